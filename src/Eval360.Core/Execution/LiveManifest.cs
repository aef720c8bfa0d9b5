using Eval360.Results;

namespace Eval360.Execution;

/// <summary>
/// Keeps a run's <c>run.json</c> current while the run is in flight: every <see cref="RunManifest.LiveInterval"/> it
/// copies the live counts in (done = on disk, never ahead of the journal) and rewrites the file atomically, so
/// <c>updated_at</c> advances even while nothing finishes. Every write goes through one lock, and after
/// <see cref="SaveFinal"/> the timer writes nothing more: a late tick can never put <c>running</c> back over the outcome.
/// </summary>
internal sealed class LiveManifest : IDisposable
{
    private readonly object _gate = new();
    private readonly RunManifest _manifest;
    private readonly string _directory;
    private readonly TimeProvider _time;
    private Func<RunCounts>? _counts;
    private ITimer? _timer;
    private bool _final;

    public LiveManifest(RunManifest manifest, string directory, TimeProvider time)
    {
        _manifest = manifest;
        _directory = directory;
        _time = time;
    }

    public RunManifest Manifest => _manifest;

    /// <summary>Starts the periodic rewrite, reading the counts from <paramref name="counts"/> each time.</summary>
    public void Track(Func<RunCounts> counts)
    {
        lock (_gate)
        {
            _counts = counts;
            _timer ??= _time.CreateTimer(_ => Tick(), null, RunManifest.LiveInterval, RunManifest.LiveInterval);
        }
    }

    /// <summary>Writes the manifest as it stands now (with the latest counts while tracking).</summary>
    public void Save()
    {
        lock (_gate)
        {
            if (!_final)
            {
                Write();
            }
        }
    }

    /// <summary>Writes the outcome and stops the periodic rewrite for good.</summary>
    public void SaveFinal()
    {
        lock (_gate)
        {
            _final = true;
            _timer?.Dispose();
            _timer = null;
            _manifest.Save(_directory, _time.GetUtcNow());
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _timer?.Dispose();
            _timer = null;
        }
    }

    private void Tick()
    {
        try
        {
            Save();
        }
        catch (IOException)
        {
            // A busy or briefly unavailable disk: the next tick writes again, and the run's results are unaffected.
        }
        catch (UnauthorizedAccessException)
        {
            // On Windows a reader holding run.json open can block the replace; the next tick writes again.
        }
    }

    private void Write()
    {
        if (_counts is not null)
        {
            var counts = _counts();
            _manifest.Finished = counts.Done;
            _manifest.Failed = counts.Failed;
            _manifest.SpentUsd = Math.Round(counts.SpentUsd, 6);
        }

        _manifest.Save(_directory, _time.GetUtcNow());
    }
}

/// <summary>A run's counts at one moment: invocations on disk, of which failed, and USD spent so far.</summary>
internal readonly record struct RunCounts(int Done, int Failed, double SpentUsd);
