using Eval360.Statistics;

namespace Eval360.Tests.Statistics;

public sealed class ParetoFrontierTests
{
    [Fact]
    public void A_dominated_model_is_marked_and_named_by_what_dominates_it()
    {
        // best/good/fast are each best at something; "worse" is beaten on every count by "best" (0.9 ≥ 0.8 passed,
        // 0.5 s ≤ 0.6 s, $0.002 ≤ $0.003) and by "twin", which equals "best" (equal points dominate neither way).
        var results = new ConstructedResults("p/best") { Judged = 10, Passed = 9, TimeToFirstToken = [0.5], Cost = 0.002 }.Generate()
            .Concat(new ConstructedResults("p/worse") { Judged = 10, Passed = 8, TimeToFirstToken = [0.6], Cost = 0.003 }.Generate())
            .Concat(new ConstructedResults("p/fast") { Judged = 10, Passed = 5, TimeToFirstToken = [0.2], Cost = 0.004 }.Generate())
            .Concat(new ConstructedResults("p/twin") { Judged = 10, Passed = 9, TimeToFirstToken = [0.5], Cost = 0.002 }.Generate());
        var statistics = new ResultStatistics();
        statistics.AddRange(results);
        var summaries = statistics.Rank().Summaries.ToDictionary(s => s.ModelId);

        Assert.False(summaries["p/worse"].ParetoOptimal);
        Assert.Equal(["p/best", "p/twin"], summaries["p/worse"].DominatedBy.Order(StringComparer.Ordinal));
        foreach (var id in new[] { "p/best", "p/fast", "p/twin" })
        {
            Assert.True(summaries[id].ParetoOptimal, id);
            Assert.Empty(summaries[id].DominatedBy);
        }
    }

    [Fact]
    public void Between_equal_pass_rates_the_mean_score_decides_quality()
    {
        var better = new ParetoPoint(1.0, 4.8, 0.3, 0.001);
        var worse = new ParetoPoint(1.0, 4.3, 0.3, 0.001);
        Assert.True(ParetoFrontier.Dominates(better, worse));
        Assert.False(ParetoFrontier.Dominates(worse, better));
        // The higher score alone does not dominate a faster model.
        Assert.False(ParetoFrontier.Dominates(better, worse with { TimeToFirstToken = 0.2 }));
    }

    [Fact]
    public void A_missing_figure_is_the_worst_and_a_figure_nobody_has_plays_no_part()
    {
        // No successful call: no latency and no cost, so anything with them is better there.
        var failing = new ParetoPoint(null, null, null, null);
        var working = new ParetoPoint(null, null, 1.0, 0.01);
        Assert.True(ParetoFrontier.Dominates(working, failing));

        // Latency-only: quality is missing everywhere, so the frontier is latency against cost.
        var dominators = ParetoFrontier.Dominators([new(null, null, 0.2, 0.002), new(null, null, 0.3, 0.001), new(null, null, 0.3, 0.003)]);
        Assert.Empty(dominators[0]);
        Assert.Empty(dominators[1]);
        Assert.Equal([0, 1], dominators[2]);
    }
}
