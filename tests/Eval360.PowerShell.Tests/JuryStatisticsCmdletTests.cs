using System.Management.Automation;
using System.Text.RegularExpressions;
using Eval360.FakeProviders;

namespace Eval360.PowerShell.Tests;

/// <summary>
/// Measure-Eval360Jury and Compare-Eval360Model end to end: a benchmark against the fake OpenAI server whose judges are
/// told, answer by answer, which score to give, then the cmdlets on its results; every expected figure worked by hand.
/// </summary>
public sealed partial class JuryStatisticsCmdletTests : IDisposable
{
    private readonly HostedPowerShell _host = new();
    private readonly Scratch _scratch = new();

    public void Dispose()
    {
        _host.Dispose();
        _scratch.Dispose();
    }

    [GeneratedRegex(@"ITEM-(\d+)")]
    private static partial Regex ItemMarker();

    /// <summary>A judge that gives every metric <paramref name="score"/>(item, answered by the "good" candidate).</summary>
    private static ModelBehavior Judge(Func<int, bool, int> score) => new()
    {
        PerRequest = request =>
        {
            if (!request.IsJudge)
            {
                return null;
            }

            var body = request.Body.GetRawText();
            int item = int.Parse(ItemMarker().Match(body).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            return request.Behavior with { JudgeDefaultScore = score(item, body.Contains("ZGOODZ", StringComparison.Ordinal)) };
        },
    };

    private void Files(string endpoint, int items, string[] candidates, string[] judges)
    {
        _scratch.File("runs/items.jsonl", string.Join('\n', Enumerable.Range(0, items).Select(i =>
            $$"""{"text_prompt": "Question ITEM-{{i}}: what is {{i}} + {{i}}?", "expected_output_tokens": 20, "task": {"task_type": "QA", "task_criteria": "Correct"}, "golden_answer": "{{2 * i}}"}""")));
        _scratch.File("config/models.jsonl", string.Join('\n', candidates.Select(n => $$"""{"model_id": "openai-compatible/{{n}}", "region": "local", "input_token_cost": 0.001, "output_token_cost": 0.002, "endpoint": "{{endpoint}}"}""")));
        _scratch.File("config/judges.jsonl", string.Join('\n', judges.Select(n => $$"""{"model_id": "openai-compatible/{{n}}", "input_cost_per_1k": 0.01, "output_cost_per_1k": 0.03, "endpoint": "{{endpoint}}"}""")));
    }

    private (System.Collections.ObjectModel.Collection<PSObject> Output, System.Management.Automation.PowerShell Shell) Benchmark(string then) => _host.Run($$"""
        Set-Location $dir
        $results = Invoke-Eval360Benchmark ./runs/items.jsonl -ModelProfile ./config/models.jsonl -JudgeProfile ./config/judges.jsonl -SleepBetweenInvocations 0 -ExperimentCount 1 -InvocationsPerScenario 1 -NoReport -OutputDirectory (Join-Path $dir ([guid]::NewGuid())) 6>$null
        $results | {{then}}
        """, new Dictionary<string, object?> { ["dir"] = _scratch.Path });

    private static double Value(IEnumerable<PSObject> output, string metric, string statistic, string? judge = null, string? level = null) =>
        (double)Assert.Single(output, o =>
            (string)o.Properties["Metric"].Value == metric
            && (string)o.Properties["Statistic"].Value == statistic
            && (string?)o.Properties["Judge"].Value == judge
            && (level is null || o.Properties["Level"].Value?.ToString() == level)).Properties["Value"].Value;

    [Fact]
    public async Task A_lenient_judge_gives_the_alpha_and_leniency_worked_by_hand()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        int[] pattern = [2, 3, 4, 2];
        server.Behaviors["j1"] = Judge((item, _) => pattern[item]);
        server.Behaviors["j2"] = Judge((item, _) => pattern[item]);
        server.Behaviors["j3"] = Judge((item, _) => pattern[item] + 1);
        Files(server.BaseUrl.ToString(), 4, ["cand"], ["j1", "j2", "j3"]);
        var (output, shell) = Benchmark("Measure-Eval360Jury -Metric Correctness");
        Assert.False(shell.HadErrors, string.Join("; ", shell.Streams.Error));
        Assert.All(output, o => Assert.Equal("Eval360.JuryStatistic", o.TypeNames[0]));
        // The figures of JuryMeasuresTests.A_lenient_judge_by_hand, now through the wire and the cmdlets.
        Assert.Equal(87 / 131.0, Value(output, "Correctness", "KrippendorffAlpha", level: "Interval"), 9);
        Assert.Equal(7 / 51.0, Value(output, "Correctness", "KrippendorffAlpha", level: "Nominal"), 9);
        Assert.Equal(1, Value(output, "Correctness", "Leniency", "openai-compatible/j3"), 9);
        Assert.Equal(-0.5, Value(output, "Correctness", "Leniency", "openai-compatible/j1"), 9);
        Assert.Equal(1 - 56 / 120.0, Value(output, "Correctness", "AgreementWithRest", "openai-compatible/j3"), 9);
        var alpha = Assert.Single(output, o => (string)o.Properties["Statistic"].Value == "KrippendorffAlpha" && o.Properties["Level"].Value.ToString() == "Interval");
        Assert.Equal("unreliable", alpha.Properties["Reliability"].Value);
        Assert.Equal(4, alpha.Properties["Items"].Value);
        Assert.Equal(0, alpha.Properties["Missing"].Value);
    }

    [Fact]
    public async Task Judges_told_to_agree_give_alpha_one_and_judges_told_to_disagree_a_negative_alpha()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        int[] pattern = [1, 2, 4, 5];
        server.Behaviors["j1"] = Judge((item, _) => pattern[item]);
        server.Behaviors["j2"] = Judge((item, _) => pattern[item]);
        Files(server.BaseUrl.ToString(), 4, ["cand"], ["j1", "j2"]);
        var (agreeing, shell) = Benchmark("Measure-Eval360Jury -NoJudge -Level Ordinal, Interval");
        Assert.False(shell.HadErrors, string.Join("; ", shell.Streams.Error));
        Assert.Equal(6 * 2, agreeing.Count);   // six dimensions × two levels; Passed is nominal only, not asked for
        Assert.All(agreeing, o => Assert.Equal(1.0, (double)o.Properties["Value"].Value, 9));

        // Opposite views, (1, 5), (2, 4), (4, 2), (5, 1): α = 1 − 7·80/320 = −0.75 (see JuryMeasuresTests).
        server.Behaviors["j2"] = Judge((item, _) => 6 - pattern[item]);
        var (opposed, _) = Benchmark("Measure-Eval360Jury -NoJudge -Level Interval -Metric Correctness");
        Assert.Equal(-0.75, Value(opposed, "Correctness", "KrippendorffAlpha"), 9);
    }

    [Fact]
    public async Task A_known_quality_gap_is_detected_and_identical_models_are_not_told_apart()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Behaviors["good"] = new ModelBehavior { Reply = "ZGOODZ answer" };
        server.Behaviors["weak"] = new ModelBehavior { Reply = "plain answer" };
        server.Behaviors["twin"] = new ModelBehavior { Reply = "plain answer" };
        foreach (var judge in new[] { "j1", "j2", "j3" })
        {
            server.Behaviors[judge] = Judge((item, good) => 1 + item % 3 + (good ? 1 : 0));
        }

        Files(server.BaseUrl.ToString(), 12, ["good", "weak", "twin"], ["j1", "j2", "j3"]);
        var (output, shell) = Benchmark("Compare-Eval360Model");
        Assert.False(shell.HadErrors, string.Join("; ", shell.Streams.Error));
        Assert.All(output, o => Assert.Equal("Eval360.ModelComparison", o.TypeNames[0]));
        PSObject Row(string a, string b, string metric) => Assert.Single(output, o =>
            (string)o.Properties["ModelA"].Value == a && (string)o.Properties["ModelB"].Value == b && (string)o.Properties["Metric"].Value == metric);

        // The good model first (best first); every difference +1 on 12 items: exact p = 2/4096, Holm over 7 metrics.
        var gap = Row("openai-compatible/good", "openai-compatible/weak", "Correctness");
        Assert.Equal(1.0, (double)gap.Properties["Difference"].Value, 9);
        Assert.Equal(2 / 4096.0, (double)gap.Properties["PValue"].Value, 12);
        Assert.Equal(7 * 2 / 4096.0, (double)gap.Properties["PAdjusted"].Value, 12);
        Assert.True((bool)gap.Properties["Significant"].Value);
        Assert.Equal("openai-compatible/good beats openai-compatible/weak on Correctness by 1.00 [1.00, 1.00], p = 0.0034 after Holm", gap.Properties["Statement"].Value);

        // Equal scores: which of the two comes first is not the point (by name when the means are exactly equal).
        var same = Assert.Single(output, o => (string)o.Properties["Metric"].Value == "Correctness"
            && new[] { (string)o.Properties["ModelA"].Value, (string)o.Properties["ModelB"].Value }.Order(StringComparer.Ordinal)
                .SequenceEqual(["openai-compatible/twin", "openai-compatible/weak"]));
        Assert.Equal(0.0, (double)same.Properties["Difference"].Value, 9);
        Assert.False((bool)same.Properties["Significant"].Value);
        Assert.Matches("^No significant difference between openai-compatible/(weak|twin) and openai-compatible/(twin|weak) on Correctness", (string)same.Properties["Statement"].Value);
    }

    [Fact]
    public async Task Bias_gives_each_judge_s_gap_on_its_own_family_worked_by_hand()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Behaviors["claude-3-haiku"] = new ModelBehavior { Reply = "ZGOODZ answer" };
        server.Behaviors["gpt-4o-mini"] = new ModelBehavior { Reply = "plain answer" };
        server.Behaviors["claude-judge"] = Judge((_, claudeAnswer) => claudeAnswer ? 5 : 3);   // favours its own family
        server.Behaviors["gpt-judge"] = Judge((_, _) => 3);
        Files(server.BaseUrl.ToString(), 2, ["claude-3-haiku", "gpt-4o-mini"], ["claude-judge", "gpt-judge"]);
        var (output, shell) = Benchmark("Measure-Eval360Jury -Bias");
        Assert.False(shell.HadErrors, string.Join("; ", shell.Streams.Error));
        Assert.Equal(["Eval360.JudgeFamilyBias", "Eval360.JudgeFamilyBias"], output.Select(o => o.TypeNames[0]));
        PSObject Row(string judge) => Assert.Single(output, o => (string)o.Properties["JudgeModelId"].Value == $"openai-compatible/{judge}");

        // Claude judge: 5 on both Claude answers, 3 on both GPT answers: +2; the GPT judge saw no gap (3 and 3), so all
        // of it is self-preference. GPT judge: 3 and 3, no gap; the Claude judge saw −2 on the same answers (3 − 5), so
        // relative to it the GPT judge favours GPT by +2 — the measure is always against the rest of the jury.
        var claude = Row("claude-judge");
        Assert.Equal(("Anthropic Claude", 2, 2), ((string)claude.Properties["Family"].Value, (int)claude.Properties["OwnFamilyAnswers"].Value, (int)claude.Properties["OtherFamilyAnswers"].Value));
        Assert.Equal((5.0, 3.0, 2.0, 0.0, 2.0), ((double)claude.Properties["OwnFamilyMean"].Value, (double)claude.Properties["OtherFamilyMean"].Value,
            (double)claude.Properties["Delta"].Value, (double)claude.Properties["OtherJudgesDelta"].Value, (double)claude.Properties["SelfPreference"].Value));
        var gpt = Row("gpt-judge");
        Assert.Equal((3.0, 3.0, 0.0, -2.0, 2.0), ((double)gpt.Properties["OwnFamilyMean"].Value, (double)gpt.Properties["OtherFamilyMean"].Value,
            (double)gpt.Properties["Delta"].Value, (double)gpt.Properties["OtherJudgesDelta"].Value, (double)gpt.Properties["SelfPreference"].Value));
    }
}
