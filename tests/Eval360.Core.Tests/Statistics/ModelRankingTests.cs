using Eval360.Statistics;

namespace Eval360.Tests.Statistics;

public sealed class ModelRankingTests
{
    /// <summary>
    /// A fast, cheap model that fails most answers against a slow, dear one that passes. By hand, default weights:
    /// fast: quality (0.3 + (2.2 − 1) / 4) / 2 = 0.3, latency 1, cost 1, reliability 1 → 100 × (0.15 + 0.2 + 0.15 + 0.15) = 65;
    /// slow: quality (0.9 + (4.6 − 1) / 4) / 2 = 0.9, latency 0.05 / 2 = 0.025, cost 0.0001 / 0.01 = 0.01, reliability 1
    ///       → 100 × (0.45 + 0.005 + 0.0015 + 0.15) = 60.65.
    /// </summary>
    private static IEnumerable<InvocationResult> FastFailingAndSlowPassing() =>
        new ConstructedResults("p/fast-failing") { Judged = 40, Passed = 12, Score = 2.2, TimeToFirstToken = [0.05], Cost = 0.0001 }.Generate()
            .Concat(new ConstructedResults("p/slow-passing") { Judged = 40, Passed = 36, Score = 4.6, TimeToFirstToken = [2.0], Cost = 0.01 }.Generate());

    [Fact]
    public void The_quality_floor_puts_a_fast_failing_model_below_a_slow_passing_one()
    {
        var statistics = new ResultStatistics();
        statistics.AddRange(FastFailingAndSlowPassing());

        var ranked = statistics.Rank().Summaries;
        Assert.Equal(["p/slow-passing", "p/fast-failing"], ranked.Select(s => s.ModelId));
        Assert.Equal([1, 2], ranked.Select(s => s.Rank));
        Assert.False(ranked[0].BelowQualityFloor);
        Assert.True(ranked[1].BelowQualityFloor);
        // The floor reorders; it does not change the scores.
        Assert.Equal(60.65, ranked[0].CompositeScore!.Value, 2);
        Assert.Equal(65.0, ranked[1].CompositeScore!.Value, 2);

        // Without the floor, the composite alone puts the fast model first.
        var unfloored = statistics.Rank(new RankingOptions { QualityFloor = 0 }).Summaries;
        Assert.Equal(["p/fast-failing", "p/slow-passing"], unfloored.Select(s => s.ModelId));
        Assert.All(unfloored, s => Assert.False(s.BelowQualityFloor));

        // A model whose every call failed has no pass rate: below any floor, but not when the floor is off.
        statistics.AddRange(new ConstructedResults("p/broken") { Failed = 10 }.Generate());
        Assert.True(statistics.Rank().Summaries.Single(s => s.ModelId == "p/broken").BelowQualityFloor);
        Assert.False(statistics.Rank(new RankingOptions { QualityFloor = 0 }).Summaries.Single(s => s.ModelId == "p/broken").BelowQualityFloor);
    }

    [Fact]
    public void Weights_reorder_models_above_the_floor_only()
    {
        var statistics = new ResultStatistics();
        statistics.AddRange(FastFailingAndSlowPassing());
        statistics.AddRange(new ConstructedResults("p/middle") { Judged = 40, Passed = 30, Score = 4.0, TimeToFirstToken = [0.3], Cost = 0.001 }.Generate());

        var speed = statistics.Rank(new RankingOptions { Weights = new CompositeWeights(Quality: 0, Latency: 1, Cost: 0, Reliability: 0) }).Summaries;
        // Latency only: middle (0.05 / 0.3) beats slow (0.05 / 2); fast-failing is fastest of all, and still last.
        Assert.Equal(["p/middle", "p/slow-passing", "p/fast-failing"], speed.Select(s => s.ModelId));
    }

    [Fact]
    public void Models_the_data_cannot_tell_apart_are_tied_and_share_a_rank()
    {
        // 7/10 against 6/10 with the same latencies and price: a difference the data cannot bear out.
        double[] latencies = [0.40, 0.45, 0.50, 0.55, 0.60];
        var statistics = new ResultStatistics();
        statistics.AddRange(new ConstructedResults("p/seven") { Judged = 10, Passed = 7, TimeToFirstToken = latencies }.Generate());
        statistics.AddRange(new ConstructedResults("p/six") { Judged = 10, Passed = 6, TimeToFirstToken = latencies }.Generate());
        statistics.AddRange(new ConstructedResults("p/far-behind") { Judged = 10, Passed = 5, Score = 1.5, TimeToFirstToken = [3.0], Cost = 0.02 }.Generate());

        var ranking = statistics.Rank();
        var ranked = ranking.Summaries;
        Assert.Equal(["p/seven", "p/six", "p/far-behind"], ranked.Select(s => s.ModelId));
        Assert.Equal([1, 1, 3], ranked.Select(s => s.Rank));
        Assert.Equal([true, true, false], ranked.Select(s => s.Tied));

        // The same pass rates over a hundred times as many answers are told apart.
        var large = new ResultStatistics();
        large.AddRange(new ConstructedResults("p/seven") { Judged = 1000, Passed = 700, TimeToFirstToken = latencies }.Generate());
        large.AddRange(new ConstructedResults("p/six") { Judged = 1000, Passed = 600, TimeToFirstToken = latencies }.Generate());
        Assert.Equal([1, 2], large.Rank().Summaries.Select(s => s.Rank));
        Assert.All(large.Rank().Summaries, s => Assert.False(s.Tied));
    }

    [Fact]
    public void Pass_rates_that_do_not_differ_significantly_are_grouped()
    {
        var statistics = new ResultStatistics();
        statistics.AddRange(new ConstructedResults("p/a") { Judged = 20, Passed = 18 }.Generate());
        statistics.AddRange(new ConstructedResults("p/b") { Judged = 20, Passed = 17 }.Generate());
        statistics.AddRange(new ConstructedResults("p/c") { Judged = 200, Passed = 40 }.Generate());

        var groups = statistics.Rank().QualityGroups();
        Assert.Equal(2, groups.Count);
        Assert.Equal(["p/a", "p/b"], groups[0].Select(m => m.Summary.ModelId));
        Assert.Equal(["p/c"], groups[1].Select(m => m.Summary.ModelId));
    }

    [Fact]
    public void Grouping_by_run_gives_one_summary_per_model_and_run()
    {
        var statistics = new ResultStatistics(SummaryGrouping.Run);
        statistics.AddRange(new ConstructedResults("p/a") { Judged = 10, Passed = 9, RunId = "monday" }.Generate());
        statistics.AddRange(new ConstructedResults("p/a") { Judged = 10, Passed = 4, RunId = "tuesday" }.Generate());

        var ranking = statistics.Rank();
        Assert.Equal(["monday", "tuesday"], ranking.Summaries.Select(s => s.RunId));
        Assert.Equal([0.9, 0.4], ranking.Summaries.Select(s => s.PassRate));
        Assert.Equal(["p/a · run monday", "p/a · run tuesday"], ranking.Models.Select(m => m.Label));
        Assert.All(ranking.Summaries, s => Assert.Null(s.ExperimentName));

        var merged = new ResultStatistics();
        merged.AddRange(new ConstructedResults("p/a") { Judged = 10, Passed = 9, RunId = "monday" }.Generate());
        merged.AddRange(new ConstructedResults("p/a") { Judged = 10, Passed = 4, RunId = "tuesday" }.Generate());
        var one = Assert.Single(merged.Summaries());
        Assert.Equal(13 / 20.0, one.PassRate);
        Assert.Null(one.RunId);
    }

    [Fact]
    public void Without_a_jury_the_floor_plays_no_part()
    {
        var statistics = new ResultStatistics();
        statistics.AddRange(new ConstructedResults("p/slow") { LatencyOnly = true, Unjudged = 20, TimeToFirstToken = [1.0] }.Generate());
        statistics.AddRange(new ConstructedResults("p/quick") { LatencyOnly = true, Unjudged = 20, TimeToFirstToken = [0.1] }.Generate());

        var ranking = statistics.Rank();
        Assert.False(ranking.FloorApplies);
        Assert.False(ranking.Scale.HasQuality);
        Assert.Equal(["p/quick", "p/slow"], ranking.Summaries.Select(s => s.ModelId));
        Assert.All(ranking.Summaries, s => Assert.False(s.BelowQualityFloor));
    }
}
