using Eval360.Statistics;

namespace Eval360.Tests.Statistics;

public sealed class MomentsTests
{
    [Fact]
    public void Mean_variance_skewness_and_kurtosis_of_a_small_sample_worked_by_hand()
    {
        // 1, 2, 3, 4, 10: mean 4, deviations −3 −2 −1 0 6.
        // m2 = (9 + 4 + 1 + 0 + 36) / 5 = 10, variance (n − 1) = 50 / 4 = 12.5, SD = √12.5 = 3.5355339…
        // m3 = (−27 − 8 − 1 + 0 + 216) / 5 = 36, g1 = 36 / 10^1.5 = 1.1384199…, G1 = √(5 × 4) / 3 × g1 = 1.6970563…
        // m4 = (81 + 16 + 1 + 0 + 1296) / 5 = 278.8, g2 = 278.8 / 100 − 3 = −0.212, G2 = 4 / (3 × 2) × (6 × −0.212 + 6) = 3.152
        var m = Moments.Of([1, 2, 3, 4, 10])!;
        Assert.Equal(5, m.Count);
        Assert.Equal(4, m.Mean, 12);
        Assert.Equal(12.5, m.Variance, 12);
        Assert.Equal(3.5355339059, m.StandardDeviation, 9);
        Assert.Equal(1.6970562748, m.Skewness!.Value, 9);
        Assert.Equal(3.152, m.ExcessKurtosis!.Value, 9);
        // Five values are too few to call anything far from normal.
        Assert.False(m.FarFromNormal);
    }

    [Fact]
    public void A_long_tail_is_far_from_normal_and_a_flat_symmetric_sample_is_not()
    {
        // Seven latencies near 0.2 s and one of 1.5 s (scipy.stats.skew(bias=False) 2.8255, kurtosis(bias=False) 7.9877).
        var tail = Moments.Of([0.2, 0.21, 0.22, 0.2, 0.23, 0.21, 0.22, 1.5])!;
        Assert.Equal(2.8255332375, tail.Skewness!.Value, 8);
        Assert.Equal(7.9877042469, tail.ExcessKurtosis!.Value, 8);
        Assert.True(tail.FarFromNormal);

        // 1…8: skewness 0, excess kurtosis −1.2 (a uniform spread), variance 6.
        var flat = Moments.Of([1, 2, 3, 4, 5, 6, 7, 8])!;
        Assert.Equal(0, flat.Skewness!.Value, 12);
        Assert.Equal(-1.2, flat.ExcessKurtosis!.Value, 12);
        Assert.Equal(6, flat.Variance, 12);
        Assert.False(flat.FarFromNormal);
    }

    [Fact]
    public void Constant_and_tiny_samples_have_no_shape()
    {
        Assert.Null(Moments.Of([]));
        var one = Moments.Of([0.3])!;
        Assert.Equal(0, one.Variance);
        Assert.Null(one.Skewness);
        var constant = Moments.Of([0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3])!;
        Assert.Null(constant.Skewness);
        Assert.Null(constant.ExcessKurtosis);
        Assert.False(constant.FarFromNormal);
    }

    [Fact]
    public void The_normal_density_is_the_textbook_one()
    {
        // Mean 4, SD √12.5: at the mean, 1 / (SD √(2π)) = 0.1128379…; one SD away, that × e^(−1/2) = 0.0684397…
        var m = Moments.Of([1, 2, 3, 4, 10])!;
        Assert.Equal(0.1128379167, m.NormalDensity(4), 9);
        Assert.Equal(0.0684397, m.NormalDensity(4 + Math.Sqrt(12.5)), 6);
    }
}
