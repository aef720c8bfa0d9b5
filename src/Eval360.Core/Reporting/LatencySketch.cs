namespace Eval360.Reporting;

/// <summary>
/// A distribution of positive values (seconds, tokens per second) in fixed memory: counts in logarithmic buckets 2%
/// wide from 0.1 ms to 10,000 s, plus the exact count, sum, minimum and maximum. Quantiles read from it are within
/// about 1% of the exact ones, whatever the number of values, so a report can draw histograms and medians for any
/// grouping without keeping the values themselves.
/// </summary>
internal sealed class LatencySketch
{
    private const double Lowest = 1e-4;
    private const double Highest = 1e4;
    private static readonly double LogGamma = Math.Log(1.02);
    private static readonly int BucketCount = (int)Math.Ceiling(Math.Log(Highest / Lowest) / LogGamma) + 1;

    private readonly Statistics.ExactSum _sum = new();
    private int[]? _buckets;

    public long Count { get; private set; }

    /// <summary>The sum of the values, the same whatever order they were added in.</summary>
    public double Sum => _sum.Value;

    public double Min { get; private set; } = double.PositiveInfinity;

    public double Max { get; private set; } = double.NegativeInfinity;

    public double? Mean => Count > 0 ? Sum / Count : null;

    public void Add(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value) || value < 0)
        {
            return;
        }

        _buckets ??= new int[BucketCount];
        _buckets[Bucket(value)]++;
        Count++;
        _sum.Add(value);
        Min = Math.Min(Min, value);
        Max = Math.Max(Max, value);
    }

    /// <summary>The value below which <paramref name="fraction"/> (0–1) of the values lie; null when empty.</summary>
    public double? Quantile(double fraction)
    {
        if (_buckets is null || Count == 0)
        {
            return null;
        }

        if (fraction <= 0)
        {
            return Min;
        }

        if (fraction >= 1)
        {
            return Max;
        }

        long target = (long)Math.Ceiling(fraction * Count);
        long seen = 0;
        for (int i = 0; i < _buckets.Length; i++)
        {
            seen += _buckets[i];
            if (seen >= target)
            {
                return Math.Clamp(Representative(i), Min, Max);
            }
        }

        return Max;
    }

    /// <summary>Counts per equal-width bin over [<paramref name="low"/>, <paramref name="high"/>); values above land in the last bin.</summary>
    public int[] Histogram(double low, double high, int bins)
    {
        var counts = new int[bins];
        if (_buckets is null || high <= low)
        {
            return counts;
        }

        for (int i = 0; i < _buckets.Length; i++)
        {
            if (_buckets[i] == 0)
            {
                continue;
            }

            double value = Math.Clamp(Representative(i), Min, Max);
            int bin = (int)Math.Floor((value - low) / (high - low) * bins);
            counts[Math.Clamp(bin, 0, bins - 1)] += _buckets[i];
        }

        return counts;
    }

    private static int Bucket(double value) =>
        value <= Lowest ? 0 : Math.Min(BucketCount - 1, (int)(Math.Log(value / Lowest) / LogGamma) + 1);

    /// <summary>The geometric middle of a bucket: the value that is at most ~1% from anything in it.</summary>
    private static double Representative(int bucket) =>
        bucket == 0 ? Lowest / 2 : Lowest * Math.Exp((bucket - 0.5) * LogGamma);
}
