using Eval360.Reporting;

namespace Eval360.Tests.Reporting;

public sealed class LatencySketchTests
{
    [Theory]
    [InlineData(0.5)]
    [InlineData(0.95)]
    [InlineData(0.99)]
    public void Quantiles_are_within_about_one_percent_of_the_exact_ones(double fraction)
    {
        var random = new Random(42);
        var values = Enumerable.Range(0, 50_000).Select(_ => 0.05 + Math.Exp(random.NextDouble() * 4 - 3)).ToList();
        var sketch = new LatencySketch();
        values.ForEach(sketch.Add);
        values.Sort();

        // The exact quantile, worked here (numpy's linear method), not by the product's own percentile code.
        double rank = fraction * (values.Count - 1);
        int low = (int)Math.Floor(rank);
        double exact = values[low] + (rank - low) * (values[Math.Min(low + 1, values.Count - 1)] - values[low]);
        Assert.InRange(sketch.Quantile(fraction)!.Value, exact * 0.985, exact * 1.015);
        Assert.Equal(values[0], sketch.Min);
        Assert.Equal(values[^1], sketch.Max);
        Assert.Equal(values.Count, sketch.Count);
    }

    [Fact]
    public void Histograms_count_every_value_once_and_put_the_tail_in_the_last_bin()
    {
        var sketch = new LatencySketch();
        foreach (var v in new[] { 0.0, 0.15, 0.25, 0.35, 0.45, 5.0 })
        {
            sketch.Add(v);
        }

        var bins = sketch.Histogram(0, 0.5, 5);
        Assert.Equal(6, bins.Sum());
        Assert.Equal(2, bins[^1]);
    }

    [Fact]
    public void An_empty_sketch_has_no_quantiles_and_ignores_nonsense()
    {
        var sketch = new LatencySketch();
        sketch.Add(double.NaN);
        sketch.Add(-1);
        sketch.Add(double.PositiveInfinity);
        Assert.Null(sketch.Quantile(0.5));
        Assert.Null(sketch.Mean);
        Assert.Equal(0, sketch.Histogram(0, 1, 4).Sum());
    }
}
