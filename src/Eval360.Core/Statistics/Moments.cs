namespace Eval360.Statistics;

/// <summary>
/// The shape of a sample beside its percentiles: mean, variance and standard deviation (sample, n − 1), skewness and
/// excess kurtosis (the adjusted Fisher–Pearson estimators G1 and G2, as Excel and scipy with <c>bias=False</c> give
/// them), and whether the sample is far from a normal distribution, by a rule of thumb: |skewness| &gt; 1 or |excess
/// kurtosis| &gt; 2, over at least 8 values. Latencies usually are (a long right tail), which is why the report shows
/// percentiles first and draws the normal curve only for reference.
/// </summary>
public sealed record Moments(int Count, double Mean, double Variance, double? Skewness, double? ExcessKurtosis)
{
    /// <summary>Beyond this |skewness| a sample is far from normal.</summary>
    public const double SkewnessLimit = 1;

    /// <summary>Beyond this |excess kurtosis| a sample is far from normal.</summary>
    public const double KurtosisLimit = 2;

    /// <summary>Fewer values than this say nothing about shape.</summary>
    public const int ShapeMinimum = 8;

    public double StandardDeviation => Math.Sqrt(Variance);

    /// <summary>Enough values to judge, and skewed or tailed beyond the limits.</summary>
    public bool FarFromNormal => Count >= ShapeMinimum &&
        (Math.Abs(Skewness ?? 0) > SkewnessLimit || Math.Abs(ExcessKurtosis ?? 0) > KurtosisLimit);

    /// <summary>The moments of <paramref name="values"/> (two passes: the mean, then the central moments); null when empty.</summary>
    public static Moments? Of(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        int n = values.Count;
        if (n == 0)
        {
            return null;
        }

        double mean = 0;
        foreach (var v in values)
        {
            mean += v;
        }

        mean /= n;
        double m2 = 0, m3 = 0, m4 = 0;
        foreach (var v in values)
        {
            double d = v - mean, d2 = d * d;
            m2 += d2;
            m3 += d2 * d;
            m4 += d2 * d2;
        }

        m2 /= n;
        m3 /= n;
        m4 /= n;
        double variance = n > 1 ? m2 * n / (n - 1) : 0;

        // A constant sample has no shape; tiny spreads against a large mean are rounding, not shape.
        bool spread = m2 > 1e-24 * Math.Max(1, mean * mean);
        double? skewness = spread && n >= 3 ? Math.Sqrt(n * (n - 1.0)) / (n - 2.0) * (m3 / Math.Pow(m2, 1.5)) : null;
        double? kurtosis = spread && n >= 4 ? (n - 1.0) / ((n - 2.0) * (n - 3.0)) * ((n + 1.0) * (m4 / (m2 * m2) - 3) + 6) : null;
        return new Moments(n, mean, variance, skewness, kurtosis);
    }

    /// <summary>The density of the normal distribution with this mean and standard deviation at <paramref name="x"/>.</summary>
    public double NormalDensity(double x)
    {
        double sd = StandardDeviation;
        if (!(sd > 0))
        {
            return 0;
        }

        double z = (x - Mean) / sd;
        return Math.Exp(-0.5 * z * z) / (sd * Math.Sqrt(2 * Math.PI));
    }
}
