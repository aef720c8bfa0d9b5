using System.Runtime;

namespace Eval360.Execution;

/// <summary>
/// Keeps blocking full garbage collections out of the windows in which streams are timed: while any run in the process
/// is measuring, the GC runs in <see cref="GCLatencyMode.SustainedLowLatency"/> (full collections happen in the
/// background; young-generation ones, short, still run). The mode is process-wide, so runs sharing a process (a
/// script, a test host) count in and out, and the last one out puts back the mode it found.
/// </summary>
internal static class LowLatencyGc
{
    private static readonly object Gate = new();
    private static int _runs;
    private static GCLatencyMode _before;

    public static IDisposable Enter()
    {
        lock (Gate)
        {
            if (_runs++ == 0)
            {
                _before = GCSettings.LatencyMode;
                GCSettings.LatencyMode = GCLatencyMode.SustainedLowLatency;
            }
        }

        return new Exit();
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
                    GCSettings.LatencyMode = _before;
                }
            }
        }
    }
}
