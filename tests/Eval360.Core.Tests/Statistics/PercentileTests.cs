using Eval360.Statistics;

namespace Eval360.Tests.Statistics;

/// <summary>Percentiles as numpy computes them (linear interpolation between closest ranks), worked out by hand.</summary>
public sealed class PercentileTests
{
    [Fact]
    public void One_value_is_every_percentile()
    {
        double[] one = [2.5];
        Assert.Equal(2.5, Percentile.Linear(one, 0));
        Assert.Equal(2.5, Percentile.Linear(one, 50));
        Assert.Equal(2.5, Percentile.Linear(one, 99));
    }

    [Fact]
    public void Two_values_are_interpolated()
    {
        double[] two = [1, 3];
        // rank = p/100 × (n − 1): p50 → 0.5 → 1 + 0.5 × 2; p95 → 0.95 → 1 + 0.95 × 2; p99 → 1 + 0.99 × 2.
        Assert.Equal(2.0, Percentile.Linear(two, 50)!.Value, 12);
        Assert.Equal(2.9, Percentile.Linear(two, 95)!.Value, 12);
        Assert.Equal(2.98, Percentile.Linear(two, 99)!.Value, 12);
        Assert.Equal(1.0, Percentile.Linear(two, 0));
        Assert.Equal(3.0, Percentile.Linear(two, 100));
    }

    [Fact]
    public void Ties_hold_until_the_rank_passes_them()
    {
        double[] tied = [1, 2, 2, 2, 5];
        // rank 1 and 2 land on the tie; p95: rank 3.8 → 2 + 0.8 × (5 − 2) = 4.4; p99: rank 3.96 → 2 + 0.96 × 3 = 4.88.
        Assert.Equal(2.0, Percentile.Linear(tied, 25));
        Assert.Equal(2.0, Percentile.Linear(tied, 50));
        Assert.Equal(4.4, Percentile.Linear(tied, 95)!.Value, 12);
        Assert.Equal(4.88, Percentile.Linear(tied, 99)!.Value, 12);
    }

    [Fact]
    public void No_values_have_no_percentile()
    {
        Assert.Null(Percentile.Linear([], 50));
    }
}
