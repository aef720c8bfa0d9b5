using Eval360.Statistics;
using static Eval360.Tests.Statistics.JuryResults;

namespace Eval360.Tests.Statistics;

/// <summary>Paired model comparisons and run-over-run regressions: known gaps found, equal models left alone at the stated rate.</summary>
public sealed class ComparisonTests
{
    private static ResultStatistics Of(IEnumerable<InvocationResult> results)
    {
        var statistics = new ResultStatistics();
        statistics.AddRange(results);
        return statistics;
    }

    /// <summary>Three judges score an answer around its item's difficulty plus the model's gap, with seeded noise, clamped to 1–5.</summary>
    private static IEnumerable<InvocationResult> Seeded(SeededRandom random, int items, double gapOfA)
    {
        for (int i = 0; i < items; i++)
        {
            double difficulty = 2 + random.Next(3);
            foreach (var (model, gap) in new[] { ("a", gapOfA), ("b", 0.0) })
            {
                var scores = Enumerable.Range(0, 3).Select(_ => (double?)Math.Clamp(Math.Round(difficulty + gap + random.Next(3) - 1), 1, 5)).ToArray();
                yield return Answer(model, i, scores);
            }
        }
    }

    [Fact]
    public void A_known_gap_is_found_and_stated()
    {
        // Model a's answers get exactly one point more from every judge on each of 12 items: every difference is +1,
        // so the exact signed-rank p is 2/2^12 and Holm over three metrics (two dimensions and Passed) multiplies the smallest by 3.
        var results = Enumerable.Range(0, 12).SelectMany(i => new[] { Answer("a", i, 3, 3, 3), Answer("b", i, 2, 2, 2) });
        var comparisons = Of(results).Compare("a", "b");
        var correctness = Assert.Single(comparisons, c => c.Metric == "Correctness");
        Assert.Equal(1, correctness.Difference);
        Assert.Equal(1, correctness.CiLow);
        Assert.Equal(1, correctness.CiHigh);
        Assert.Equal(2 / 4096.0, correctness.PValue!.Value, 12);
        Assert.Equal(3 * 2 / 4096.0, correctness.PAdjusted!.Value, 12);
        Assert.Equal(12, correctness.Items);
        Assert.True(correctness.Significant);
        Assert.Equal(WilcoxonSignedRank.Exact, correctness.Test);
        Assert.Equal("a beats b on Correctness by 1.00 [1.00, 1.00], p = 0.0015 after Holm", correctness.Statement);
        // Every answer of a passes (3 ≥ 3), none of b: McNemar with b = 12, c = 0, p = 2/2^12.
        var passed = Assert.Single(comparisons, c => c.Metric == JuryStatistic.PassedMetric);
        Assert.Equal(McNemar.Exact, passed.Test);
        Assert.Equal(2 / 4096.0, passed.PValue!.Value, 12);
        Assert.Equal(1, passed.Difference);

        var reversed = Assert.Single(Of(results).Compare("b", "a"), c => c.Metric == "Correctness");
        Assert.Equal(-1, reversed.Difference);
        Assert.Equal("a beats b on Correctness by 1.00 [1.00, 1.00], p = 0.0015 after Holm", reversed.Statement);
    }

    [Fact]
    public void Identical_models_show_no_difference_and_say_what_could_have_been_seen()
    {
        var results = Enumerable.Range(0, 10).SelectMany(i => new[] { Answer("a", i, 2 + i % 3, 3, 4), Answer("b", i, 2 + i % 3, 3, 4) });
        var correctness = Assert.Single(Of(results).Compare("a", "b"), c => c.Metric == "Correctness");
        Assert.Equal(0, correctness.Difference);
        Assert.Equal(1, correctness.PValue);
        Assert.False(correctness.Significant);
        Assert.Equal(0, correctness.MinimumDetectableDifference);
        Assert.StartsWith("No significant difference between a and b on Correctness: 0.00 [0.00, 0.00], p = 1 after Holm", correctness.Statement);
    }

    [Fact]
    public void Equal_models_are_called_different_about_five_percent_of_the_time_and_a_real_gap_nearly_always()
    {
        // 200 seeded repetitions of two models of the same quality, 30 items each: at α = 0.05 the signed-rank test on
        // one metric should reject about 5% of the time (exact and conditional on ties, so a little less is expected);
        // Holm keeps the chance of any significant metric of the pair at or below 5%.
        var random = new SeededRandom(2024);
        int rejected = 0, anySignificant = 0, found = 0;
        const int repetitions = 200;
        for (int r = 0; r < repetitions; r++)
        {
            var same = Of(Seeded(random, 30, 0)).Compare("a", "b");
            rejected += same.Single(c => c.Metric == "Correctness").PValue < 0.05 ? 1 : 0;
            anySignificant += same.Any(c => c.Significant) ? 1 : 0;
            found += Of(Seeded(random, 30, 0.75)).Compare("a", "b").Single(c => c.Metric == "Correctness").Significant ? 1 : 0;
        }

        double rate = rejected / (double)repetitions;
        Assert.InRange(rate, 0.02, 0.08);
        Assert.InRange(anySignificant / (double)repetitions, 0, 0.06);
        Assert.True(found >= 0.9 * repetitions, $"a 0.75-point gap was found {found} times in {repetitions}");
    }

    /// <summary>A run of models "steady" and "slowed": per scenario <paramref name="invocations"/> answers with seeded log-normal latencies.</summary>
    private static RunSample Run(SeededRandom random, double slowedFactor, int scenarios = 8, int invocations = 3)
    {
        var sample = new RunSample();
        for (int s = 0; s < scenarios; s++)
        {
            for (int i = 0; i < invocations; i++)
            {
                foreach (var (model, factor) in new[] { ("steady", 1.0), ("slowed", slowedFactor) })
                {
                    double Noise() => Math.Exp(0.05 * Gaussian(random));
                    var result = Answer(model, s, 3 + random.Next(3), 3 + random.Next(3), 3 + random.Next(3));
                    result.TimeToFirstToken = 0.1 * factor * Noise();
                    result.TimeToLastByte = 0.1 * factor + 0.5 * Noise();
                    result.OutputTokensPerSecond = 20 / result.TimeToLastByte;
                    result.Cost = 0.001;
                    sample.Add(result);
                }
            }
        }

        return sample;
    }

    private static double Gaussian(SeededRandom random)
    {
        double u1 = (random.NextUInt64() >> 11) * (1.0 / (1UL << 53)), u2 = (random.NextUInt64() >> 11) * (1.0 / (1UL << 53));
        return Math.Sqrt(-2 * Math.Log(1 - u1)) * Math.Cos(2 * Math.PI * u2);
    }

    [Fact]
    public void A_thirty_percent_slower_first_token_is_a_regression_of_that_metric_only()
    {
        var random = new SeededRandom(11);
        var comparisons = RunComparisons.Of(Run(random, 1.0), Run(random, 1.3), tolerance: 0.1);
        var regressed = comparisons.Where(c => c.Regressed).Select(c => (c.ModelId, c.Metric)).ToList();
        Assert.Equal([("slowed", RunComparisons.TimeToFirstToken)], regressed);
        var ttft = comparisons.Single(c => c.ModelId == "slowed" && c.Metric == RunComparisons.TimeToFirstToken);
        Assert.InRange(ttft.Change!.Value, 0.2, 0.4);
        Assert.True(ttft.CiLow > 0);
        Assert.Equal(MannWhitneyU.Exact, ttft.Test);   // 24 + 24 values
        Assert.Equal(24, ttft.BaselineCount);
        // TTLB grew by 0.03 s on 0.6 s: 5%, within the tolerance although significant.
        var ttlb = comparisons.Single(c => c.ModelId == "slowed" && c.Metric == RunComparisons.TimeToLastByte);
        Assert.True(ttlb.PValue < 0.05);
        Assert.False(ttlb.Regressed);
        var quality = comparisons.Single(c => c.ModelId == "slowed" && c.Metric == "Correctness");
        Assert.Equal(8, quality.BaselineCount);
        Assert.StartsWith("Wilcoxon", quality.Test);
    }

    [Fact]
    public void An_unchanged_model_is_flagged_in_at_most_five_percent_of_a_hundred_seeded_repetitions()
    {
        var random = new SeededRandom(99);
        int flagged = 0, significant = 0, tests = 0;
        for (int r = 0; r < 100; r++)
        {
            var comparisons = RunComparisons.Of(Run(random, 1.0), Run(random, 1.0));
            flagged += comparisons.Any(c => c.Regressed) ? 1 : 0;
            significant += comparisons.Count(c => c.PValue < 0.05);
            tests += comparisons.Count(c => c.PValue is not null);
        }

        Assert.True(flagged <= 5, $"flagged in {flagged} of 100");
        // Significance alone, over every metric of both models, stays near its nominal 5%.
        Assert.InRange(significant / (double)tests, 0, 0.08);
    }

    [Fact]
    public void The_median_difference_interval_is_reproducible_and_covers_the_true_shift()
    {
        var a = Enumerable.Range(0, 50).Select(i => 0.1 + i / 1000.0).ToList();
        var b = a.Select(x => x + 0.02).Reverse().ToList();
        var interval = Bootstrap.MedianDifference(a, b)!.Value;
        Assert.Equal(interval, Bootstrap.MedianDifference(a.AsEnumerable().Reverse().ToList(), b)!.Value);
        Assert.True(interval.Contains(0.02), interval.ToString());
        Assert.Null(Bootstrap.MedianDifference([], b));
    }
}
