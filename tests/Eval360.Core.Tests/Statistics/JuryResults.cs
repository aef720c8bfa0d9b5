using Eval360.Jury;

namespace Eval360.Tests.Statistics;

/// <summary>Judged results built as a run records them, for the statistics tests.</summary>
internal static class JuryResults
{
    public static readonly string[] Metrics = ["Correctness", "Completeness"];

    /// <summary>A judge's verdict giving <paramref name="score"/> on every metric; null score: the judge failed.</summary>
    public static JudgeVerdict Verdict(string judge, double? score)
    {
        if (score is not double s)
        {
            return new JudgeVerdict { JudgeModelId = judge, Error = "server: HTTP 500" };
        }

        var scores = Metrics.ToDictionary(m => m, _ => s);
        return new JudgeVerdict { JudgeModelId = judge, Scores = scores, Passed = JuryVerdict.JudgePasses(scores, Metrics, 3) };
    }

    /// <summary>One answer of <paramref name="model"/> to scenario <paramref name="scenario"/>, judged by judges j1, j2, … with the scores given (null: that judge failed).</summary>
    public static InvocationResult Answer(string model, int scenario, params double?[] scores)
    {
        var result = new InvocationResult
        {
            RunId = "run",
            Experiment = 1,
            ModelId = model,
            Provider = "p",
            Region = "r",
            ScenarioId = "s" + scenario,
            Invocation = 1,
            Key = $"{model}/s{scenario}",
            TimeToFirstToken = 0.1,
            TimeToLastByte = 0.5,
        };
        var verdicts = scores.Select((s, j) => Verdict("j" + (j + 1), s)).ToList();
        new JuryOutcome(verdicts, JuryVerdict.Combine(verdicts, Metrics, 3, JuryAggregation.Mean)).WriteTo(result);
        return result;
    }
}
