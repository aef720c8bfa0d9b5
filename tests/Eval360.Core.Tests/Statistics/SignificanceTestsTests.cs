using Eval360.Statistics;

namespace Eval360.Tests.Statistics;

/// <summary>The significance tests against published worked examples and values computed by another tool (SciPy 1.10).</summary>
public sealed class SignificanceTestsTests
{
    private static readonly double[] Differences = [6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75];

    [Fact]
    public void Wilcoxon_signed_rank_exact()
    {
        // The d-vector of SciPy's wilcoxon documentation (Cheng's example): statistic 24, two-sided exact p 0.041259765625 = 1352/32768.
        var outcome = WilcoxonSignedRank.Test(Differences);
        Assert.Equal(24, outcome.Statistic);
        Assert.Equal(0.041259765625, outcome.PValue, 12);
        Assert.Equal(WilcoxonSignedRank.Exact, outcome.Test);
    }

    [Fact]
    public void Wilcoxon_signed_rank_exact_with_ties_and_zeros()
    {
        // By hand: zeros dropped; |d| = 1, 1, 2, 2 get mid-ranks 1.5, 1.5, 3.5, 3.5; W+ = 6.5, W− = 3.5. Of the 16 sign
        // assignments, 6 give W+ ≤ 3.5 (∅, {1.5} twice, {1.5, 1.5}, {3.5} twice): p = 2 × 6/16.
        var outcome = WilcoxonSignedRank.Test([1, 0, 1, 2, -2, 0]);
        Assert.Equal(3.5, outcome.Statistic);
        Assert.Equal(0.75, outcome.PValue, 12);
        Assert.Equal(1, WilcoxonSignedRank.Test([0, 0]).PValue);
    }

    [Fact]
    public void Wilcoxon_signed_rank_normal_approximation_beyond_fifty()
    {
        // 64 differences in thirds (as jury means give), 5 zeros, many ties. SciPy 1.10:
        // wilcoxon(d, zero_method='wilcox', correction=True, method='approx') → statistic 585, p 0.023212639540569128.
        var d = Enumerable.Range(0, 64).Select(i => (i * 7 % 11 - 4) / 3.0).ToList();
        var outcome = WilcoxonSignedRank.Test(d);
        Assert.Equal(WilcoxonSignedRank.Approximate, outcome.Test);
        Assert.Equal(585, outcome.Statistic, 9);
        Assert.Equal(0.023212639540569128, outcome.PValue, 9);
    }

    [Fact]
    public void Mann_whitney_exact_and_approximate()
    {
        // SciPy 1.10: mannwhitneyu(x, y, method='exact') → U 1, p 0.002331002331002331 (= 2 × 2/1716).
        var exact = MannWhitneyU.Test([0.112, 0.118, 0.121, 0.125, 0.131, 0.109], [0.141, 0.139, 0.150, 0.128, 0.162, 0.145, 0.137]);
        Assert.Equal(MannWhitneyU.Exact, exact.Test);
        Assert.Equal(1, exact.Statistic);
        Assert.Equal(0.002331002331002331, exact.PValue, 12);

        // By hand, with ties: x = {1, 2}, y = {2, 3}; ranks 1, 2.5, 2.5, 4; R1 = 3.5, U = 0.5. Of the 6 ways to pick two
        // ranks, 2 sum to ≤ 3.5 and all 6 to ≥ 3.5: p = 2 × 2/6.
        var tied = MannWhitneyU.Test([1, 2], [2, 3]);
        Assert.Equal(0.5, tied.Statistic);
        Assert.Equal(2 / 3.0, tied.PValue, 12);

        // SciPy 1.10: mannwhitneyu(a, b, method='asymptotic', use_continuity=True) → U 706.5, p 0.08882263118847587.
        var a = Enumerable.Range(0, 40).Select(i => Math.Round(0.1 + i * 13 % 17 / 100.0, 2)).ToList();
        var b = Enumerable.Range(0, 45).Select(i => Math.Round(0.11 + i * 11 % 19 / 100.0, 2)).ToList();
        var approximate = MannWhitneyU.Test(a, b);
        Assert.Equal(MannWhitneyU.Approximate, approximate.Test);
        Assert.Equal(706.5, approximate.Statistic, 9);
        Assert.Equal(0.08882263118847587, approximate.PValue, 9);
    }

    [Fact]
    public void McNemar_exact()
    {
        // b = 10, c = 2: p = 2 × (C(12,0) + C(12,1) + C(12,2)) / 2^12 = 2 × 79 / 4096 = 79/2048.
        Assert.Equal(79 / 2048.0, McNemar.Test(10, 2).PValue, 12);
        Assert.Equal(79 / 2048.0, McNemar.Test(2, 10).PValue, 12);
        Assert.Equal(1, McNemar.Test(0, 0).PValue);
        Assert.Equal(1, McNemar.Test(3, 3).PValue);
    }

    [Fact]
    public void Holm_adjusts_step_down_and_keeps_the_order()
    {
        // Sorted 0.01, 0.02, 0.04 → 3 × 0.01, max(0.03, 2 × 0.02), max(0.04, 1 × 0.04).
        var adjusted = Holm.Adjust([0.04, 0.01, 0.02, double.NaN]);
        Assert.Equal(0.04, adjusted[0], 12);
        Assert.Equal(0.03, adjusted[1], 12);
        Assert.Equal(0.04, adjusted[2], 12);
        Assert.True(double.IsNaN(adjusted[3]));
        Assert.Equal([1.0, 1.0], Holm.Adjust([0.6, 0.9]));
    }
}
