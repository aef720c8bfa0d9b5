using System.Runtime;
using Eval360.Execution;
using Eval360.Tests.EndToEnd;

namespace Eval360.Tests.Execution;

/// <summary>
/// While a run measures, the process allocates up to <see cref="LowLatencyGc.QuietAllocationBytes"/> between
/// collections (a no-GC region, opened again after each collection), and gets its GC mode back afterwards. One at a
/// time: the GC's modes are the process's.
/// </summary>
[Collection(TimingCollection.Name)]
public sealed class LowLatencyGcTests
{
    private static object? _sink;

    private static void Allocate(long bytes)
    {
        for (long allocated = 0; allocated < bytes; allocated += 1024)
        {
            _sink = new byte[1000];
        }
    }

    [Fact]
    public void A_measuring_run_allocates_its_budget_between_collections_and_the_region_comes_back_after_one()
    {
        var before = GCSettings.LatencyMode;
        using (LowLatencyGc.Enter())
        {
            Assert.True(LowLatencyGc.InQuietRegion);
            int collections = GC.CollectionCount(0);
            Allocate(LowLatencyGc.QuietAllocationBytes / 4);
            Assert.Equal(collections, GC.CollectionCount(0));

            // Past the budget a collection happens (and ends the region)...
            Allocate(LowLatencyGc.QuietAllocationBytes * 2);
            Assert.True(GC.CollectionCount(0) > collections);

            // ...and the region is opened again.
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (!LowLatencyGc.InQuietRegion && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(10);
            }

            Assert.True(LowLatencyGc.InQuietRegion);
            collections = GC.CollectionCount(0);
            Allocate(LowLatencyGc.QuietAllocationBytes / 4);
            Assert.Equal(collections, GC.CollectionCount(0));
        }

        Assert.False(LowLatencyGc.InQuietRegion);
        Assert.Equal(before, GCSettings.LatencyMode);
    }

    [Fact]
    public void Runs_sharing_the_process_count_in_and_out()
    {
        var before = GCSettings.LatencyMode;
        var first = LowLatencyGc.Enter();
        var second = LowLatencyGc.Enter();
        first.Dispose();
        first.Dispose();
        Assert.True(LowLatencyGc.InQuietRegion);
        second.Dispose();
        Assert.False(LowLatencyGc.InQuietRegion);
        Assert.Equal(before, GCSettings.LatencyMode);
    }
}
