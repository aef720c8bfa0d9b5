using Eval360.Statistics;

namespace Eval360.Tests.Statistics;

public sealed class BootstrapTests
{
    [Fact]
    public void The_generator_is_SplitMix64_whatever_the_process()
    {
        // The published SplitMix64 sequence from state 0.
        var random = new SeededRandom(0);
        Assert.Equal(0xE220A8397B1DCDAFUL, random.NextUInt64());
        Assert.Equal(0x6E789E6AA1B965F4UL, random.NextUInt64());
        Assert.Equal(0x06C45D188009454FUL, random.NextUInt64());
    }

    [Fact]
    public void The_interval_of_a_mean_is_reproducible_and_covers_it()
    {
        double[] values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        Interval? MeanInterval(ulong seed) => Bootstrap.Intervals(values.Length, 1, (draws, figures) =>
        {
            double sum = 0;
            foreach (int i in draws)
            {
                sum += values[i];
            }

            figures[0] = sum / draws.Length;
        }, seed: seed)[0];

        var first = MeanInterval(Bootstrap.Seed)!.Value;
        Assert.Equal(first, MeanInterval(Bootstrap.Seed));
        // Mean 5.5; the standard error is 2.872 / √10 = 0.908, so a 95% interval is about 5.5 ± 1.78: 3.72 to 7.28.
        Assert.True(first.Contains(5.5));
        Assert.InRange(first.Low, 3.4, 4.0);
        Assert.InRange(first.High, 7.0, 7.6);
        Assert.NotEqual(first, MeanInterval(7));
    }

    [Fact]
    public void Nothing_to_draw_from_gives_no_interval_and_an_undefined_figure_none_either()
    {
        Assert.Null(Bootstrap.Intervals(0, 1, (_, figures) => figures[0] = 1)[0]);
        var intervals = Bootstrap.Intervals(5, 2, (_, figures) => figures[0] = 3);
        Assert.Equal(new Interval(3, 3), intervals[0]);
        Assert.Null(intervals[1]);
    }
}
