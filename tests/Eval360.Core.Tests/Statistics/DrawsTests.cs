using Eval360.Statistics;

namespace Eval360.Tests.Statistics;

public sealed class DrawsTests
{
    [Fact]
    public void Resampled_medians_follow_the_exact_bootstrap_distribution()
    {
        // For 11 distinct values, the median of a resample is at most the k-th smallest exactly when 6 or more of the
        // 11 draws are among the k smallest: P = P(Binomial(11, k/11) ≥ 6), worked out for k = 1…11:
        double[] exact = [0.00017, 0.00721, 0.05125, 0.17275, 0.37863, 0.62137, 0.82725, 0.94875, 0.99279, 0.99983, 1.0];
        double[] sample = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
        var medians = Draws.Median(sample, seed: 7, resamples: 40_000);

        for (int k = 1; k <= 11; k++)
        {
            double observed = medians.Count(m => m <= k) / (double)medians.Length;
            Assert.InRange(observed, exact[k - 1] - 0.01, exact[k - 1] + 0.01);
        }
    }

    [Fact]
    public void Draws_are_the_same_in_every_run_and_differ_between_seeds()
    {
        double[] sample = [0.2, 0.25, 0.3, 0.5, 0.9];
        Assert.Equal(Draws.Median(sample, 42), Draws.Median(sample, 42));
        Assert.NotEqual(Draws.Median(sample, 42), Draws.Median(sample, 43));
        Assert.Equal(Draws.SeedOf("openai/a|us-east-1"), Draws.SeedOf("openai/a|us-east-1"));
        Assert.NotEqual(Draws.SeedOf("openai/a|us-east-1"), Draws.SeedOf("openai/b|us-east-1"));
    }

    [Fact]
    public void A_proportion_resamples_around_its_value_and_the_difference_test_tells_far_from_near()
    {
        var seventy = Draws.Proportion(70, 100, seed: 1);
        Assert.InRange(seventy.Average(), 0.69, 0.71);
        // Binomial standard deviation √(0.7 × 0.3 / 100) = 0.0458.
        double sd = Math.Sqrt(seventy.Select(p => (p - 0.7) * (p - 0.7)).Average());
        Assert.InRange(sd, 0.040, 0.052);

        // Large: Binomial(10,000, 0.3) / 10,000 has standard deviation √(0.3 × 0.7 / 10,000) = 0.00458.
        var large = Draws.Proportion(3000, 10_000, seed: 3);
        Assert.InRange(large.Average(), 0.2995, 0.3005);
        Assert.InRange(Math.Sqrt(large.Select(p => (p - 0.3) * (p - 0.3)).Average()), 0.0042, 0.0050);
        // The exact resampling distribution for 2 of 5: P(0) = 0.6^5 = 0.07776, P(5) = 0.4^5 = 0.01024.
        var small = Draws.Proportion(2, 5, seed: 4, resamples: 40_000);
        Assert.InRange(small.Count(p => p == 0) / 40_000.0, 0.07776 - 0.006, 0.07776 + 0.006);
        Assert.InRange(small.Count(p => p == 1) / 40_000.0, 0.01024 - 0.003, 0.01024 + 0.003);
        Assert.Equal([], Draws.Proportion(0, 0, seed: 1));

        Assert.True(ModelRanking.Differ(seventy, Draws.Proportion(40, 100, seed: 2)));
        Assert.False(ModelRanking.Differ(seventy, Draws.Proportion(66, 100, seed: 2)));
        Assert.Equal(new Interval(0, 0), Draws.Difference(seventy, seventy));
        Assert.Null(Draws.Difference([], []));
    }
}
