using System.Runtime;

namespace Eval360.Execution;

/// <summary>
/// Keeps garbage collections out of the windows in which streams are timed. While any run in the process is measuring:
/// <list type="bullet">
/// <item>the GC runs in <see cref="GCLatencyMode.SustainedLowLatency"/>: full collections happen in the background;</item>
/// <item>a no-GC region of <see cref="QuietAllocationBytes"/> is kept open (<see cref="GC.TryStartNoGCRegion(long)"/>),
/// and opened again soon after an allocation past it ends it. The young generation's own budget is a few megabytes, so
/// hundreds of timed streams would otherwise be paused by a collection every few hundred milliseconds, each pause landing
/// in somebody's time to first token; with the region they are paused once per <see cref="QuietAllocationBytes"/>.</item>
/// </list>
/// The modes are process-wide, so runs sharing a process (a script, a test host) count in and out, and the last one out
/// puts back the mode it found.
/// </summary>
internal static class LowLatencyGc
{
    /// <summary>
    /// What the process may allocate between two collections while a run measures: about 1,000 streamed answers of 100
    /// chunks, or 1,500 latency-only invocations. It is also what a measuring run's peak memory may grow by.
    /// </summary>
    internal const long QuietAllocationBytes = 32L << 20;

    /// <summary>How soon a no-GC region ended by a collection is opened again.</summary>
    private static readonly TimeSpan ReopenAfter = TimeSpan.FromMilliseconds(20);

    private static readonly object Gate = new();
    private static int _runs;
    private static GCLatencyMode _before;
    private static Timer? _reopen;

    public static IDisposable Enter()
    {
        lock (Gate)
        {
            if (_runs++ == 0)
            {
                _before = GCSettings.LatencyMode;
                GCSettings.LatencyMode = GCLatencyMode.SustainedLowLatency;
                OpenRegion();
                _reopen = new Timer(static _ => Reopen(), null, ReopenAfter, ReopenAfter);
            }
        }

        return new Exit();
    }

    /// <summary>Whether a no-GC region is open now (for tests).</summary>
    internal static bool InQuietRegion => GCSettings.LatencyMode == GCLatencyMode.NoGCRegion;

    private static void Reopen()
    {
        lock (Gate)
        {
            if (_runs > 0 && !InQuietRegion)
            {
                OpenRegion();
            }
        }
    }

    private static void OpenRegion()
    {
        try
        {
            GC.TryStartNoGCRegion(QuietAllocationBytes);
        }
        catch (InvalidOperationException)
        {
            // Somebody else in the process holds a no-GC region: theirs stands.
        }
    }

    private static void CloseRegion()
    {
        if (!InQuietRegion)
        {
            return;
        }

        try
        {
            GC.EndNoGCRegion();
        }
        catch (InvalidOperationException)
        {
            // A collection or another caller ended it first.
        }
    }

    private sealed class Exit : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) != 0)
            {
                return;
            }

            lock (Gate)
            {
                if (--_runs == 0)
                {
                    _reopen?.Dispose();
                    _reopen = null;
                    CloseRegion();
                    GCSettings.LatencyMode = _before;
                }
            }
        }
    }
}
