using Eval360.Jury;
using Eval360.Statistics;

namespace Eval360.Tests.Statistics;

/// <summary>The statistics layer against figures worked out by hand.</summary>
public sealed class ResultStatisticsTests
{
    private static readonly string[] Metrics = ["Correctness", "Format"];

    private static JudgeVerdict Verdict(string judge, double correctness, double format)
    {
        var scores = new Dictionary<string, double> { ["Correctness"] = correctness, ["Format"] = format };
        return new JudgeVerdict { JudgeModelId = judge, Scores = scores, Passed = JuryVerdict.JudgePasses(scores, Metrics, 3), Cost = 0.001 };
    }

    private static JudgeVerdict Broken(string judge, string error) => new() { JudgeModelId = judge, Error = error };

    private static InvocationResult Answer(int invocation, double ttft, double ttlb, double tps, params JudgeVerdict[] verdicts)
    {
        var result = new InvocationResult
        {
            RunId = "r",
            ModelId = "p/a",
            Provider = "p",
            ScenarioId = "s",
            Invocation = invocation,
            TimeToFirstToken = ttft,
            TimeToLastByte = ttlb,
            OutputTokensPerSecond = tps,
            InputTokens = 10,
            OutputTokens = 50,
            Cost = 0.01,
            Key = "k" + invocation,
        };
        if (verdicts.Length > 0)
        {
            // As a run records it: the jury service's outcome, aggregated by the pure function.
            new JuryOutcome(verdicts, JuryVerdict.Combine(verdicts, Metrics, 3, JuryAggregation.Mean)).WriteTo(result);
        }

        return result;
    }

    /// <summary>Six invocations of one model: three decided, one the jury could not judge, one failed call, one not put to a jury.</summary>
    private static List<InvocationResult> Mixed() =>
    [
        Answer(1, 0.3, 1.0, 50, Verdict("j1", 4, 5), Verdict("j2", 4, 5)),
        Answer(2, 0.1, 0.5, 100, Verdict("j1", 2, 3), Broken("j2", "server: HTTP 500")),
        Answer(3, 0.2, 0.7, 60, Broken("j1", "timeout: no answer"), Broken("j2", "server: HTTP 500")),
        new InvocationResult { RunId = "r", ModelId = "p/a", Provider = "p", ScenarioId = "s", Invocation = 4, Status = InvocationStatus.Failed, ErrorCode = "throttled", Retries = 2, ProviderThrottles = 1, Cost = 0 },
        Answer(5, 0.4, 1.2, 40, Verdict("j1", 5, 5), Verdict("j2", 2, 5)),
        Answer(6, 0.25, 0.6, 30),
    ];

    [Fact]
    public void Counts_pass_rate_and_errors_leave_out_failed_and_unjudged_invocations()
    {
        var s = Assert.Single(ResultStatistics.Of(Mixed()));

        Assert.Equal((6, 5, 1), (s.Invocations, s.Succeeded, s.Failed));
        // Decided: 1 (pass), 2 (fail: Correctness 2), 5 (pass: means 3.5 and 5). Not 3 (no usable judge), 4 (failed), 6 (no jury).
        Assert.Equal((3, 2), (s.Judged, s.Passed));
        Assert.Equal(2 / 3.0, s.PassRate!.Value, 12);
        Assert.Equal(new Dictionary<string, int> { ["throttled"] = 1, ["jury_unavailable"] = 1 }, s.Errors);
        Assert.Equal((2, 1), (s.Retries, s.ProviderThrottles));
        // Tokens of the five successful invocations; the model's cost of all six; the jury's: 2 + 1 + 0 + 2 usable judge calls at $0.001.
        Assert.Equal((50L, 250L), (s.InputTokens, s.OutputTokens));
        Assert.Equal(0.05, s.Cost, 12);
        Assert.Equal(0.005, s.JuryCost, 12);
    }

    [Fact]
    public void Latency_percentiles_are_exact_and_throughput_is_the_mean()
    {
        var s = Assert.Single(ResultStatistics.Of(Mixed()));

        // TTFT of the five successes sorted: 0.1 0.2 0.25 0.3 0.4. p50 → rank 2 → 0.25; p95 → rank 3.8 → 0.3 + 0.8 × 0.1;
        // p99 → rank 3.96 → 0.3 + 0.96 × 0.1.
        Assert.Equal(0.25, s.TimeToFirstTokenP50!.Value, 12);
        Assert.Equal(0.38, s.TimeToFirstTokenP95!.Value, 12);
        Assert.Equal(0.396, s.TimeToFirstTokenP99!.Value, 12);
        // TTLB sorted: 0.5 0.6 0.7 1.0 1.2. p50 → 0.7; p95 → 1.0 + 0.8 × 0.2.
        Assert.Equal(0.7, s.TimeToLastByteP50!.Value, 12);
        Assert.Equal(1.16, s.TimeToLastByteP95!.Value, 12);
        // (50 + 100 + 60 + 40 + 30) / 5.
        Assert.Equal(56.0, s.OutputTokensPerSecond!.Value, 12);
    }

    [Fact]
    public void Means_per_dimension_leave_failed_judges_out()
    {
        var statistics = new ResultStatistics();
        statistics.AddRange(Mixed());
        var s = Assert.Single(statistics.Summaries());

        // The jury's means: answer 1 (4, 5), answer 2 (2, 3) — j2 failed, so j1's alone —, answer 5 ((5 + 2) / 2, 5).
        // Correctness (4 + 2 + 3.5) / 3 = 3.1667; Format (5 + 3 + 5) / 3 = 4.3333; overall (3.167 + 4.333) / 2.
        Assert.Equal(3.167, s.MeanScores["Correctness"]);
        Assert.Equal(4.333, s.MeanScores["Format"]);
        Assert.Equal(3.75, s.OverallScore);

        // Judges: j1 scored 4 5, 2 3, 5 5 (its timeout left out): 24 / 6; j2 scored 4 5, 2 5 (two server errors left out): 16 / 4.
        var j1 = statistics.Judges["j1"];
        var j2 = statistics.Judges["j2"];
        Assert.Equal((4, 3, 1), (j1.Verdicts, j1.Usable, j1.Failed));
        Assert.Equal(4.0, j1.MeanScore);
        Assert.Equal(new Dictionary<string, int> { ["timeout"] = 1 }, j1.Failures);
        Assert.Equal((4, 2, 2), (j2.Verdicts, j2.Usable, j2.Failed));
        Assert.Equal(4.0, j2.MeanScore);
        // j1 matched the jury on all three decisions; j2 passed answer 1 with it and failed answer 5 against it.
        Assert.Equal(1.0, j1.Agreement);
        Assert.Equal(0.5, j2.Agreement);
    }

    [Fact]
    public void The_score_table_keeps_every_verdict_and_agreement_reads_it()
    {
        var statistics = new ResultStatistics();
        statistics.AddRange(Mixed());
        var table = statistics.Scores;

        // A row per answer put to a jury (1, 2, 3, 5); none for the failed call or the answer without a jury.
        Assert.Equal(4, table.Count);
        Assert.Equal(["j1", "j2"], table.Judges);
        Assert.Equal(["Correctness", "Format"], table.Dimensions);
        var second = table[1];
        Assert.Equal(false, second.Passed);
        Assert.Equal(2.0, second.Mean(0));
        Assert.Equal((2.0, 3.0), (second.Score(0, 0), second.Score(0, 1)));
        Assert.Null(second.Score(1, 0));
        Assert.Null(second.JudgePassed(1));
        Assert.Null(table[2].Passed);

        // Two answers had two usable verdicts: answer 1 (both pass, means 4.5 and 4.5) and answer 5 (j1 passes with
        // mean 5, j2 fails with mean 3.5). Unanimous on one; spreads 0 and 1.5.
        var agreement = statistics.Agreement();
        Assert.Equal((2, 1), (agreement.Items, agreement.Unanimous));
        Assert.Equal(0.5, agreement.UnanimousShare);
        Assert.Equal(0.75, agreement.MeanSpread!.Value, 12);
    }

    [Fact]
    public void A_latency_only_run_keeps_nothing_per_item()
    {
        var statistics = new ResultStatistics();
        for (int i = 0; i < 10_000; i++)
        {
            statistics.Add(new InvocationResult { ModelId = "p/a", EvalType = EvalTypes.LatencyOnly, Invocation = i, TimeToFirstToken = 0.1, TimeToLastByte = 0.2 });
        }

        Assert.Equal(0, statistics.Scores.Count);
        Assert.Empty(statistics.Judges);
        var s = Assert.Single(statistics.Summaries());
        Assert.Equal((10_000, 0), (s.Succeeded, s.Judged));
        Assert.Null(s.PassRate);
        Assert.Null(s.PassRateCiLow);
        Assert.Null(s.OverallScoreCiHigh);
        Assert.Equal(10_000, statistics.Overall.LatencyOnly);
    }

    private static IEnumerable<InvocationResult> Graded(int items, int passes, string model = "p/a", int seed = 1)
    {
        for (int i = 0; i < items; i++)
        {
            // Pass: 4 on both metrics; fail: 2 and 4. Which items pass is shuffled by the seed.
            bool pass = (i * 7919 + seed * 104729) % items < passes;
            var verdict = pass ? Verdict("j", 4, 4) : Verdict("j", 2, 4);
            var result = Answer(i, 0.1, 0.2, 10, verdict);
            result.ModelId = model;
            result.Key = $"{model}-{i}";
            yield return result;
        }
    }

    [Fact]
    public void The_pass_rate_interval_is_reproducible_whatever_the_order_and_covers_the_rate()
    {
        var results = Graded(100, 70).ToList();
        var s = Assert.Single(ResultStatistics.Of(results));
        var again = Assert.Single(ResultStatistics.Of(results));
        var reversed = Assert.Single(ResultStatistics.Of(Enumerable.Reverse(results)));

        Assert.Equal(0.7, s.PassRate!.Value, 12);
        Assert.Equal((s.PassRateCiLow, s.PassRateCiHigh), (again.PassRateCiLow, again.PassRateCiHigh));
        Assert.Equal((s.PassRateCiLow, s.PassRateCiHigh), (reversed.PassRateCiLow, reversed.PassRateCiHigh));
        Assert.Equal((s.OverallScoreCiLow, s.OverallScoreCiHigh), (reversed.OverallScoreCiLow, reversed.OverallScoreCiHigh));
        // The standard error of 70 passes in 100 is √(0.7 × 0.3 / 100) = 0.0458: a 95% interval of about 0.61 to 0.79.
        Assert.InRange(s.PassRateCiLow!.Value, 0.59, 0.63);
        Assert.InRange(s.PassRateCiHigh!.Value, 0.77, 0.81);
        // Correctness is 4 on a pass and 2 on a fail: mean 3.4, standard error 2 × 0.0458 = 0.092, about 3.22 to 3.58.
        Assert.Equal(3.4, s.MeanScores["Correctness"]);
        Assert.InRange(s.MeanScoreCiLow["Correctness"], 3.18, 3.26);
        Assert.InRange(s.MeanScoreCiHigh["Correctness"], 3.54, 3.62);
        // Format is 4 everywhere: no spread at all.
        Assert.Equal((4.0, 4.0), (s.MeanScoreCiLow["Format"], s.MeanScoreCiHigh["Format"]));
        // Overall = (Correctness + 4) / 2: 3.7, its interval half as wide.
        Assert.Equal(3.7, s.OverallScore);
        Assert.InRange(s.OverallScoreCiLow!.Value, 3.59, 3.63);
        Assert.InRange(s.OverallScoreCiHigh!.Value, 3.77, 3.81);
    }

    [Fact]
    public void Every_figure_is_the_same_whatever_order_the_results_come_in()
    {
        // Two models, tenths in the scores, costs and throughput that a running sum would add up differently.
        var results = Graded(40, 25).Concat(Graded(30, 12, model: "p/b", seed: 3)).Concat(Mixed()).ToList();
        foreach (var (result, i) in results.Select((r, i) => (r, i)))
        {
            result.Cost = 0.1 + (i * 0.007);
            result.JuryCost = 0.03 * (i % 7);
            result.OutputTokensPerSecond = 10.1 + (i % 13 * 0.3);
            result.TargetRpm = 60;
            result.ActualRpm = 50 + i;
            result.StartedAt = new DateTimeOffset(2025, 1, 1, 0, 0, i % 17, TimeSpan.Zero);
        }

        string Figures(IEnumerable<InvocationResult> ordered)
        {
            var statistics = new ResultStatistics();
            statistics.AddRange(ordered);
            var judges = statistics.Judges.Values.OrderBy(j => j.JudgeModelId, StringComparer.Ordinal).Select(j => new { j.JudgeModelId, j.MeanScore, j.Cost, j.Agreement });
            return System.Text.Json.JsonSerializer.Serialize(new { Summaries = statistics.Summaries(), Judges = judges, Agreement = statistics.Agreement(), statistics.Overall.Cost, statistics.Overall.MeanScore });
        }

        var expected = Figures(results);
        var random = new Random(12);
        for (int round = 0; round < 10; round++)
        {
            Assert.Equal(expected, Figures(results.OrderBy(_ => random.Next())));
        }

        // The achieved rate is the one the latest request reported (second 16, the greatest key among them), not the last read.
        var a = ResultStatistics.Of(results).Single(s => s.ModelId == "p/a");
        var latest = results.Where(r => r.ModelId == "p/a" && r.StartedAt.Second == 16).MaxBy(r => r.Key, StringComparer.Ordinal)!;
        Assert.Equal(latest.ActualRpm, a.ActualRpm);
    }

    [Fact]
    public void One_judged_answer_has_an_interval_of_one_point()
    {
        var s = Assert.Single(ResultStatistics.Of(Graded(1, 1)));
        Assert.Equal((1.0, 1.0), (s.PassRateCiLow, s.PassRateCiHigh));
        Assert.Equal((4.0, 4.0), (s.OverallScoreCiLow, s.OverallScoreCiHigh));
    }

    [Fact]
    public void Over_many_samples_about_95_percent_of_intervals_hold_the_true_rate()
    {
        // 200 samples of 100 answers from a model whose true pass rate is 0.7.
        var random = new Random(20250301);
        int covered = 0;
        for (int sample = 0; sample < 200; sample++)
        {
            var results = Enumerable.Range(0, 100).Select(i =>
            {
                var result = Answer(i, 0.1, 0.2, 10, random.NextDouble() < 0.7 ? Verdict("j", 4, 4) : Verdict("j", 2, 4));
                result.RunId = "sample" + sample;
                return result;
            });
            var s = Assert.Single(ResultStatistics.Of(results));
            covered += s.PassRateCiLow <= 0.7 && 0.7 <= s.PassRateCiHigh ? 1 : 0;
        }

        // Binomial(200, 0.95) lies in 182–197 with probability above 99%; the percentile bootstrap runs a little narrow at n = 100.
        Assert.InRange(covered, 178, 198);
    }

    [Fact]
    public void Answers_of_two_models_to_the_same_item_share_its_identity()
    {
        var a = Answer(1, 0.1, 0.2, 10);
        var b = Answer(1, 0.1, 0.2, 10);
        b.ModelId = "p/b";
        b.Key = "other";
        var next = Answer(2, 0.1, 0.2, 10);
        Assert.Equal(ItemIdentity.Of(a), ItemIdentity.Of(b));
        Assert.NotEqual(ItemIdentity.Of(a), ItemIdentity.Of(next));
    }
}
