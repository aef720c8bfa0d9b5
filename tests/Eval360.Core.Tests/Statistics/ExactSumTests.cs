using Eval360.Statistics;

namespace Eval360.Tests.Statistics;

/// <summary>Sums that do not depend on the order of their terms, against sums worked out by hand.</summary>
public sealed class ExactSumTests
{
    private static double Sum(params double[] values)
    {
        var sum = new ExactSum();
        foreach (var value in values)
        {
            sum.Add(value);
        }

        return sum.Value;
    }

    [Fact]
    public void Ten_tenths_make_exactly_one()
    {
        // A running sum gives 0.9999999999999999: 0.1 is not exact in binary and the error piles up.
        Assert.NotEqual(1.0, Enumerable.Repeat(0.1, 10).Aggregate(0.0, (a, b) => a + b));
        Assert.Equal(1.0, Sum([.. Enumerable.Repeat(0.1, 10)]));
    }

    [Fact]
    public void Terms_that_cancel_leave_what_a_running_sum_loses()
    {
        // 1e100 + 1 - 1e100 is 1; a running sum loses the 1 in the first addition and gives 0.
        Assert.Equal(1.0, Sum(1e100, 1.0, -1e100));
        Assert.Equal(1.0 + 1e-100, Sum(1e100, 1.0, -1e100, 1e-100));
        Assert.Equal(0.0, Sum());
        Assert.Equal(double.PositiveInfinity, Sum(1, double.PositiveInfinity, 2));
        Assert.True(double.IsNaN(Sum(double.PositiveInfinity, double.NegativeInfinity)));
    }

    [Fact]
    public void Any_order_gives_the_same_bits()
    {
        var random = new Random(360);
        var values = Enumerable.Range(0, 500).Select(_ => random.NextDouble() * Math.Pow(10, random.Next(-8, 4))).ToArray();
        var expected = Sum(values);
        for (int round = 0; round < 20; round++)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(Sum([.. values.OrderBy(_ => random.Next())])));
        }

        // Within a rounding of the sum in decimal, as a cross-check of the value itself.
        Assert.Equal((double)values.Select(v => (decimal)v).Sum(), expected, 1e-9);
    }
}
