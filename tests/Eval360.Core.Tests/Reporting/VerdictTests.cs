using Eval360.Reporting;
using Eval360.Statistics;
using Eval360.Tests.Statistics;

namespace Eval360.Tests.Reporting;

/// <summary>The "what we found" text names the right models for inputs whose answer is known by hand.</summary>
public sealed class VerdictTests
{
    [Fact]
    public void One_clear_winner_is_named_everywhere_and_dominates_the_rest()
    {
        var verdict = Of(
            new ConstructedResults("p/winner") { Judged = 200, Passed = 190, Score = 4.7, TimeToFirstToken = [0.2], Cost = 0.001 },
            new ConstructedResults("p/second") { Judged = 200, Passed = 140, Score = 3.9, TimeToFirstToken = [0.6], Cost = 0.003 },
            new ConstructedResults("p/third") { Judged = 200, Passed = 120, Score = 3.5, TimeToFirstToken = [0.9], Cost = 0.002 });

        Assert.Contains(verdict.Findings, f => f.StartsWith("Best overall: p/winner (composite", StringComparison.Ordinal));
        Assert.Contains(verdict.Findings, f => f.StartsWith("Best quality: p/winner, passing 95% (190/200)", StringComparison.Ordinal));
        Assert.Contains(verdict.Findings, f => f.StartsWith("Fastest to the first token: p/winner (median 0.200 s over 200 calls", StringComparison.Ordinal));
        Assert.Contains(verdict.Findings, f => f.StartsWith("Cheapest model above the quality floor: p/winner ($0.001", StringComparison.Ordinal));
        Assert.Contains(verdict.Findings, f => f.StartsWith("Pareto frontier: p/winner alone", StringComparison.Ordinal) &&
            f.Contains("Dominated: p/second (by p/winner); p/third (by p/winner).", StringComparison.Ordinal));
        Assert.DoesNotContain(verdict.Findings, f => f.Contains("not significantly different", StringComparison.Ordinal));
        Assert.Empty(verdict.Caveats);
    }

    [Fact]
    public void A_trade_off_names_the_best_on_each_count_and_puts_all_three_on_the_frontier()
    {
        // The composite tests' trade-off, as results: A passes most, B answers first, C costs least. By hand, C has the
        // best composite (71.5 against B's 68.0 and A's 66.9); with 1,000 answers each the gaps exceed the uncertainty.
        var verdict = Of(
            new ConstructedResults("p/quality") { Judged = 1000, Passed = 900, Score = 4.6, TimeToFirstToken = [0.8], Cost = 0.004 },
            new ConstructedResults("p/latency") { Judged = 900, Passed = 540, Score = 3.4, Unjudged = 50, Failed = 50, TimeToFirstToken = [0.2], Cost = 0.002 },
            new ConstructedResults("p/cost") { Judged = 800, Passed = 560, Score = 3.8, Unjudged = 100, Failed = 100, TimeToFirstToken = [0.5], Cost = 0.0005 });

        Assert.Contains(verdict.Findings, f => f.StartsWith("Best overall: p/cost (composite 71.5; next p/latency, 68.0).", StringComparison.Ordinal));
        Assert.Contains(verdict.Findings, f => f.StartsWith("Best quality: p/quality, passing 90% (900/1000)", StringComparison.Ordinal));
        Assert.Contains(verdict.Findings, f => f.StartsWith("Fastest to the first token: p/latency (median 0.200 s", StringComparison.Ordinal) && f.EndsWith(").", StringComparison.Ordinal));
        Assert.Contains(verdict.Findings, f => f.StartsWith("Cheapest model above the quality floor: p/cost ($0.0005", StringComparison.Ordinal));
        Assert.Contains(verdict.Findings, f => f.StartsWith("Pareto frontier (quality, median time to first token, cost per response", StringComparison.Ordinal) &&
            f.EndsWith(": p/cost, p/latency and p/quality.", StringComparison.Ordinal));
        // 5% and 10% of calls failed: only the one beyond 5% is worth a caveat.
        Assert.Contains(verdict.Caveats, c => c.StartsWith("Failures: p/cost failed 10% of its calls (server × 100)", StringComparison.Ordinal));
        Assert.DoesNotContain(verdict.Caveats, c => c.Contains("p/latency failed", StringComparison.Ordinal));
    }

    [Fact]
    public void The_quality_floor_is_named_and_a_fast_failing_model_is_called_out()
    {
        var verdict = Of(
            new ConstructedResults("p/slow-passing") { Judged = 40, Passed = 36, Score = 4.6, TimeToFirstToken = [2.0], Cost = 0.01 },
            new ConstructedResults("p/fast-failing") { Judged = 40, Passed = 12, Score = 2.2, TimeToFirstToken = [0.05], Cost = 0.0001 });

        Assert.Contains(verdict.Findings, f => f.StartsWith("Best overall: p/slow-passing", StringComparison.Ordinal));
        Assert.Contains(verdict.Findings, f => f == "Fastest to the first token: p/fast-failing (median 0.050 s over 40 calls; next p/slow-passing, 2.000 s), but it passes only 30% (12/40), below the quality floor.");
        Assert.Contains(verdict.Findings, f => f.StartsWith("Cheapest model above the quality floor: p/slow-passing", StringComparison.Ordinal));
        Assert.Contains(verdict.Findings, f => f == "Below the quality floor (pass rate under 50%), so ranked after every other model whatever their speed or price: p/fast-failing (30% (12/40)).");
    }

    [Fact]
    public void A_simulated_run_says_so_first_and_small_samples_are_named()
    {
        var verdict = Of(
            new ConstructedResults("sim/a") { Judged = 12, Passed = 11, Simulated = true, TimeToFirstToken = [0.1, 0.2] },
            new ConstructedResults("sim/b") { Judged = 12, Passed = 6, Simulated = true, TimeToFirstToken = [0.3] });

        Assert.StartsWith("Simulated data: every result comes from Eval360's built-in simulator", verdict.Caveats[0], StringComparison.Ordinal);
        Assert.Contains(verdict.Caveats, c => c.StartsWith("Small samples: sim/a (12 judged) and sim/b (12 judged), under 30 each.", StringComparison.Ordinal));
        Assert.Contains(verdict.Findings, f => f.StartsWith("Best quality: sim/a", StringComparison.Ordinal));

        var partly = Of(
            new ConstructedResults("sim/a") { Judged = 40, Passed = 30, Simulated = true },
            new ConstructedResults("p/real") { Judged = 40, Passed = 30 });
        Assert.Contains(partly.Caveats, c => c == "Partly simulated: sim/a come from the built-in simulator; their figures are not measurements.");
    }

    [Fact]
    public void A_latency_only_run_names_the_fastest_and_cheapest_and_warns_that_quality_is_unknown()
    {
        var verdict = Of(
            new ConstructedResults("p/quick") { LatencyOnly = true, Unjudged = 50, TimeToFirstToken = [0.1], Cost = 0.003 },
            new ConstructedResults("p/thrifty") { LatencyOnly = true, Unjudged = 50, TimeToFirstToken = [0.4], Cost = 0.001 },
            new ConstructedResults("p/neither") { LatencyOnly = true, Unjudged = 50, TimeToFirstToken = [0.5], Cost = 0.004 });

        Assert.Contains(verdict.Findings, f => f.StartsWith("Fastest to the first token: p/quick (median 0.100 s over 50 calls; next p/thrifty, 0.400 s).", StringComparison.Ordinal));
        Assert.Contains(verdict.Findings, f => f.StartsWith("Cheapest: p/thrifty ($0.001", StringComparison.Ordinal));
        Assert.Contains(verdict.Findings, f => f.StartsWith("Pareto frontier", StringComparison.Ordinal) && f.Contains("p/quick and p/thrifty", StringComparison.Ordinal) &&
            f.EndsWith("Dominated: p/neither (by p/quick and p/thrifty).", StringComparison.Ordinal));
        Assert.DoesNotContain(verdict.Findings, f => f.StartsWith("Best quality", StringComparison.Ordinal));
        Assert.DoesNotContain(verdict.Findings, f => f.Contains("quality floor", StringComparison.Ordinal));
        Assert.Contains(verdict.Caveats, c => c.StartsWith("Latency only: no answer was judged", StringComparison.Ordinal));
    }

    [Fact]
    public void Ties_at_the_top_are_reported_as_ties()
    {
        double[] latencies = [0.40, 0.45, 0.50, 0.55, 0.60];
        var verdict = Of(
            new ConstructedResults("p/seven") { Judged = 10, Passed = 7, TimeToFirstToken = latencies },
            new ConstructedResults("p/six") { Judged = 10, Passed = 6, TimeToFirstToken = latencies });

        Assert.Contains(verdict.Findings, f => f.StartsWith("Best overall: p/seven and p/six are tied (composite ", StringComparison.Ordinal) &&
            f.EndsWith("the differences between them are within their 95% uncertainty.", StringComparison.Ordinal));
        Assert.Contains(verdict.Findings, f => f.StartsWith("Best quality: p/seven, passing 70% (7/10)", StringComparison.Ordinal) &&
            f.EndsWith("not significantly different: p/six (60%).", StringComparison.Ordinal));
        // p/seven passes more at the same speed and price, so it dominates p/six — by less than the uncertainty.
        Assert.Contains(verdict.Findings, f => f.EndsWith("Dominated: p/six (by p/seven; tied in the ranking with p/seven, so by less than the uncertainty).", StringComparison.Ordinal));
    }

    [Fact]
    public void A_disagreeing_jury_and_throttling_are_caveats()
    {
        // Two judges who agree on only every other answer; 10 of 40 calls throttled by the provider.
        var verdict = Of(
            new ConstructedResults("p/a") { Judged = 40, Passed = 30, Judges = ["j/one", "j/two"], JudgeVerdict = (j, i) => j == 0 || i % 2 == 0, ProviderThrottles = 10 },
            new ConstructedResults("p/b") { Judged = 40, Passed = 30, Judges = ["j/one", "j/two"], JudgeVerdict = (j, i) => j == 0 || i % 2 == 0 });

        Assert.Contains(verdict.Caveats, c => c.StartsWith("The judges often disagreed: unanimous on pass or fail for only 50% of 80 answers", StringComparison.Ordinal));
        Assert.Contains(verdict.Caveats, c => c.StartsWith("Throttling: the provider answered HTTP 429 on 25% of p/a's calls (10 retries)", StringComparison.Ordinal));
        Assert.DoesNotContain(verdict.Caveats, c => c.Contains("p/b's calls", StringComparison.Ordinal));
    }

    [Fact]
    public void The_best_model_per_task_type_is_named()
    {
        var verdict = Of(
            new ConstructedResults("p/writer") { Judged = 100, Passed = 95, TaskType = "Summarization" },
            new ConstructedResults("p/writer") { Judged = 100, Passed = 50, TaskType = "QA", RunId = "run2" },
            new ConstructedResults("p/answerer") { Judged = 100, Passed = 60, TaskType = "Summarization" },
            new ConstructedResults("p/answerer") { Judged = 100, Passed = 90, TaskType = "QA", RunId = "run2" });

        Assert.Contains(verdict.Findings, f => f == "Best per task type: QA: p/answerer (90/100 passed), ahead of p/writer (50/100); Summarization: p/writer (95/100 passed), ahead of p/answerer (60/100).");
    }

    [Fact]
    public void One_model_has_nothing_to_be_compared_with()
    {
        var verdict = Of(new ConstructedResults("p/alone") { Judged = 40, Passed = 30 });

        // Quality (0.75 + (4 − 1) / 4) / 2 = 0.75; alone it is the fastest and the cheapest, and never failed:
        // 100 × (0.5 × 0.75 + 0.2 + 0.15 + 0.15) = 87.5.
        Assert.Equal("One model was measured, p/alone (composite 87.5): there is nothing to compare it with.", Assert.Single(verdict.Findings));
    }

    private static Verdict Of(params ConstructedResults[] models)
    {
        var builder = new ReportBuilder();
        foreach (var model in models)
        {
            builder.AddRange(model.Generate());
        }

        return builder.Verdict();
    }
}
