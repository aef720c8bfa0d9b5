using Eval360.Jury;
using Eval360.Statistics;

namespace Eval360.Tests.Statistics;

/// <summary>The self-preference statistic against a hand computation.</summary>
public sealed class FamilyDeltaTests
{
    private static readonly string[] Metrics = ["Correctness", "Format"];
    private const string ClaudeJudge = "anthropic/claude-sonnet-4-5";
    private const string GptJudge = "openai/gpt-4.1";
    private const string SimJudge = "sim/judge";

    private static JudgeVerdict Verdict(string judge, double correctness, double format)
    {
        var scores = new Dictionary<string, double> { ["Correctness"] = correctness, ["Format"] = format };
        return new JudgeVerdict { JudgeModelId = judge, Scores = scores, Passed = JuryVerdict.JudgePasses(scores, Metrics, 3) };
    }

    private static InvocationResult Answer(string model, int invocation, params JudgeVerdict[] verdicts)
    {
        var result = new InvocationResult { RunId = "r", ModelId = model, ScenarioId = "s", Invocation = invocation, Key = $"{model}-{invocation}" };
        new JuryOutcome(verdicts, JuryVerdict.Combine(verdicts, Metrics, 3, JuryAggregation.Mean)).WriteTo(result);
        return result;
    }

    [Fact]
    public void Each_judge_s_gap_on_its_own_family_equals_the_hand_computation()
    {
        const string claude = "bedrock/us.anthropic.claude-3-5-haiku-20241022-v1:0";
        const string gpt = "openai/gpt-4o-mini";
        var statistics = new ResultStatistics();
        statistics.AddRange(
        [
            Answer(claude, 1, Verdict(ClaudeJudge, 5, 4), Verdict(GptJudge, 3, 3), Verdict(SimJudge, 1, 1)),
            Answer(claude, 2, Verdict(ClaudeJudge, 4, 4), Verdict(GptJudge, 4, 3)),
            Answer(gpt, 1, Verdict(ClaudeJudge, 3, 3), Verdict(GptJudge, 4, 5)),
            Answer(gpt, 2, Verdict(ClaudeJudge, 2, 3), new JudgeVerdict { JudgeModelId = GptJudge, Error = "server: HTTP 500" }),
            // A model of unknown family is nobody's own family: left out entirely.
            Answer("sim/x", 1, Verdict(ClaudeJudge, 5, 5), Verdict(GptJudge, 1, 1)),
            // An injection-suspected verdict is left out like any unusable one.
            Answer(gpt, 3, Verdict(ClaudeJudge, 1, 1), new JudgeVerdict { JudgeModelId = GptJudge, Scores = new Dictionary<string, double> { ["Correctness"] = 5, ["Format"] = 5 }, InjectionSuspected = true, Error = "injection_suspected: obeyed" }),
        ]);

        var bias = statistics.FamilyBias();
        Assert.Equal([ClaudeJudge, GptJudge], bias.Select(b => b.JudgeModelId));

        // Claude judge: per-answer means 4.5, 4.0 on Claude; 3.0, 2.5, 1.0 on GPT.
        //   own (4.5 + 4.0) / 2 = 4.25; other (3.0 + 2.5 + 1.0) / 3 = 2.1667; delta 2.0833.
        //   GPT judge on the same answers: 3.0, 3.5 on Claude (3.25); 4.5 on GPT (its other two are unusable): -1.25.
        //   self-preference 2.0833 + 1.25 = 3.3333. The sim judge has no family and is no one's baseline.
        var c = bias[0];
        Assert.Equal(("Anthropic Claude", 2, 3), (c.Family, c.OwnFamilyAnswers, c.OtherFamilyAnswers));
        Assert.Equal(4.25, c.OwnFamilyMean, 10);
        Assert.Equal(6.5 / 3, c.OtherFamilyMean!.Value, 10);
        Assert.Equal(4.25 - 6.5 / 3, c.Delta!.Value, 10);
        Assert.Equal(-1.25, c.OtherJudgesDelta!.Value, 10);
        Assert.Equal(4.25 - 6.5 / 3 + 1.25, c.SelfPreference!.Value, 10);

        // GPT judge: 4.5 on GPT (one usable answer); 3.0, 3.5 on Claude (3.25): delta 1.25.
        //   Claude judge on the same answers: 3.0 on GPT; 4.5, 4.0 on Claude (4.25): -1.25. Self-preference 2.5.
        var g = bias[1];
        Assert.Equal(("OpenAI GPT", 1, 2), (g.Family, g.OwnFamilyAnswers, g.OtherFamilyAnswers));
        Assert.Equal(4.5, g.OwnFamilyMean, 10);
        Assert.Equal(3.25, g.OtherFamilyMean!.Value, 10);
        Assert.Equal(1.25, g.Delta!.Value, 10);
        Assert.Equal(-1.25, g.OtherJudgesDelta!.Value, 10);
        Assert.Equal(2.5, g.SelfPreference!.Value, 10);
    }

    [Fact]
    public void A_judge_with_no_answer_of_its_own_family_gets_no_row_and_a_lone_judge_no_baseline()
    {
        var statistics = new ResultStatistics();
        statistics.AddRange(
        [
            Answer("openai/gpt-4o", 1, Verdict(ClaudeJudge, 4, 4)),
            Answer("anthropic/claude-3-haiku", 1, Verdict(ClaudeJudge, 5, 5)),
            Answer("openai/gpt-4o", 2, Verdict(SimJudge, 4, 4)),
        ]);
        var only = Assert.Single(statistics.FamilyBias());
        Assert.Equal((ClaudeJudge, 5.0, 4.0, 1.0), (only.JudgeModelId, only.OwnFamilyMean, only.OtherFamilyMean!.Value, only.Delta!.Value));
        Assert.Null(only.OtherJudgesDelta);
        Assert.Null(only.SelfPreference);
    }
}
