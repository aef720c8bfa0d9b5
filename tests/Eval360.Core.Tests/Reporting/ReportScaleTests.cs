using System.Diagnostics;
using Eval360.Reporting;
using Xunit.Abstractions;

namespace Eval360.Tests.Reporting;

[Collection(EndToEnd.TimingCollection.Name)]
public sealed class ReportScaleTests(ITestOutputHelper output)
{
    [Fact]
    public void A_hundred_thousand_results_make_a_small_report_quickly_in_flat_memory()
    {
        using var work = new TempDirectory();
        var data = new SyntheticResults
        {
            Models = ["openai/a", "openai/b", "openai/c", "bedrock/d", "bedrock/e"],
            Regions = ["us-east-1", "us-west-2"],
            Temperatures = [0.2, 0.5, 0.8],
            UserMetrics = ["tone"],
        };

        // How long making the results takes on its own, to tell it apart from the report's share below.
        var generation = Stopwatch.StartNew();
        long generated = data.Generate(100_000).LongCount();
        generation.Stop();

        var builder = new ReportBuilder();
        builder.AddRange(data.Generate(1_000));
        long before = GC.GetTotalMemory(forceFullCollection: true);
        var clock = Stopwatch.StartNew();
        builder.AddRange(data.Generate(100_000));
        var added = clock.Elapsed;
        long after = GC.GetTotalMemory(forceFullCollection: true);
        var file = builder.Write(Path.Combine(work.Path, "report.html"));
        clock.Stop();
        GC.KeepAlive(builder);

        long retained = after - before;
        output.WriteLine($"{generated:N0} results: generated alone in {generation.Elapsed.TotalSeconds:0.00} s; generated and added in {added.TotalSeconds:0.00} s, written in {(clock.Elapsed - added).TotalSeconds:0.00} s; " +
            $"retained {retained / 1024.0 / 1024.0:0.0} MiB; report {file.Length / 1024.0:0} KiB");
        Assert.Equal(101_000, builder.Count);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        // What stays is aggregates: a double or two per successful result for the exact percentiles, and fixed-size
        // distributions; the results themselves (prompts, answers, verdicts) are long gone.
        Assert.True(retained < 16 * 1024 * 1024, $"{retained} bytes retained for 100,000 results");
        Assert.True(file.Length < 2 * 1024 * 1024, $"the report is {file.Length} bytes");
    }

    [Fact]
    public void The_report_size_does_not_grow_with_the_number_of_results()
    {
        var data = new SyntheticResults();
        int small = ReportContentTests.Render(data.Generate(3_000)).Length;
        int large = ReportContentTests.Render(data.Generate(30_000)).Length;
        Assert.InRange(large, small * 0.9, small * 1.1);
    }
}
