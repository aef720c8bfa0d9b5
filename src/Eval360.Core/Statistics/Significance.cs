using System.Globalization;
using MathNet.Numerics.Distributions;

namespace Eval360.Statistics;

/// <summary>The conventions every comparison Eval360 makes shares: the significance level, the power, and how a p-value reads.</summary>
public static class Significance
{
    /// <summary>A (Holm-adjusted, where several are tested) p-value below this is significant.</summary>
    public const double Level = 0.05;

    /// <summary>The power the minimum detectable difference is stated at: a real difference that large is found four times in five.</summary>
    public const double Power = 0.8;

    /// <summary>
    /// The smallest mean difference a two-sided test at <see cref="Level"/> would detect with <see cref="Power"/>, given
    /// the standard deviation of the paired differences and their number: (z₀.₉₇₅ + z₀.₈) × sd / √n. Null below two pairs.
    /// </summary>
    public static double? MinimumDetectable(IReadOnlyList<double> differences)
    {
        ArgumentNullException.ThrowIfNull(differences);
        int n = differences.Count;
        if (n < 2)
        {
            return null;
        }

        double mean = differences.Average();
        double sd = Math.Sqrt(differences.Sum(d => (d - mean) * (d - mean)) / (n - 1));
        return (Normal.InvCDF(0, 1, 1 - Level / 2) + Normal.InvCDF(0, 1, Power)) * sd / Math.Sqrt(n);
    }

    /// <summary>"p = 0.0015", "p = 0.41" (two significant digits), "p &lt; 0.001".</summary>
    public static string Describe(double p) =>
        p < 0.001 ? "p < 0.001" : "p = " + p.ToString("G2", CultureInfo.InvariantCulture);
}
