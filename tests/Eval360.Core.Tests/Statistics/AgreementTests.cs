using Eval360.Statistics;

namespace Eval360.Tests.Statistics;

/// <summary>Agreement statistics against published worked examples (the expected values are the publications', to 1e-6).</summary>
public sealed class AgreementTests
{
    /// <summary>Parses one coder's row: values separated by spaces, "." for missing.</summary>
    private static double?[] Coder(string row) =>
        row.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => v == "." ? (double?)null : double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    /// <summary>Coders' rows turned into units (one array per unit, one entry per coder).</summary>
    private static List<double?[]> Units(params string[] coders)
    {
        var rows = coders.Select(Coder).ToList();
        return Enumerable.Range(0, rows[0].Length).Select(u => rows.Select(r => r[u]).ToArray()).ToList();
    }

    // Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 observers, 12 units, 7 values missing.
    private static readonly List<double?[]> FourByTwelve = Units(
        "1 2 3 3 2 1 4 1 2 . . .",
        "1 2 3 3 2 2 4 1 2 5 . 3",
        ". 3 3 3 2 3 4 2 2 5 1 .",
        "1 2 3 3 2 4 4 1 2 5 1 .");

    [Theory]
    [InlineData(MeasurementLevel.Nominal, 0.743421)]
    [InlineData(MeasurementLevel.Ordinal, 0.815388)]
    [InlineData(MeasurementLevel.Interval, 0.849107)]
    [InlineData(MeasurementLevel.Ratio, 0.797403)]
    public void Krippendorff_alpha_of_the_four_coder_example(MeasurementLevel level, double expected) =>
        Assert.Equal(expected, Krippendorff.Alpha(FourByTwelve, level), 6);

    [Theory]
    [InlineData(MeasurementLevel.Nominal, 0.691358)]
    [InlineData(MeasurementLevel.Interval, 0.810845)]
    public void Krippendorff_alpha_of_the_three_coder_example(MeasurementLevel level, double expected)
    {
        var units = Units(
            ". . . . . 3 4 1 2 1 1 3 3 . 3",
            "1 . 2 1 3 3 4 3 . . . . . . .",
            ". . 2 1 3 4 4 . 2 1 1 3 3 . 4");
        Assert.Equal(expected, Krippendorff.Alpha(units, level), 6);
    }

    [Fact]
    public void Alpha_is_undefined_without_variation_and_the_reliability_labels_follow_krippendorffs_thresholds()
    {
        Assert.True(double.IsNaN(Krippendorff.Alpha([[3, 3], [3, 3]], MeasurementLevel.Interval)));
        Assert.True(double.IsNaN(Krippendorff.Alpha([[3, null]], MeasurementLevel.Nominal)));
        Assert.Equal("unreliable", Krippendorff.Reliability(0.6669));
        Assert.Equal("tentative", Krippendorff.Reliability(0.667));
        Assert.Equal("tentative", Krippendorff.Reliability(0.7999));
        Assert.Equal("reliable", Krippendorff.Reliability(0.8));
        Assert.Null(Krippendorff.Reliability(null));
    }

    [Fact]
    public void Fleiss_kappa_of_the_fourteen_rater_example()
    {
        // Fleiss (1971) as worked on Wikipedia's "Fleiss' kappa": 10 subjects, 14 raters, 5 categories.
        int[][] counts =
        [
            [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
            [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
        ];
        Assert.Equal(0.209931, FleissKappa.Of(counts), 6);
    }

    [Fact]
    public void Cohen_kappa_unweighted_and_weighted()
    {
        int[,] table = { { 0, 4, 1 }, { 0, 8, 0 }, { 0, 1, 5 } };
        Assert.Equal(0.4842, CohenKappa.Of(table, KappaWeights.None), 4);
        Assert.Equal(0.4701, CohenKappa.Of(table, KappaWeights.Linear), 4);
        // Quadratic, by hand: Σw·O = 4·1 + 1·4 + 1·1 = 9; Σw·E = (65 + 120 + 48 + 78) / 19 = 311/19; κ = 1 − 171/311 = 140/311.
        Assert.Equal(140 / 311.0, CohenKappa.Of(table, KappaWeights.Quadratic), 12);
    }
}
