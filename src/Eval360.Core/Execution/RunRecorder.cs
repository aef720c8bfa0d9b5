using System.Threading.Channels;
using Eval360.Results;

namespace Eval360.Execution;

/// <summary>
/// The single writer of a run's files. Workers hand finished results over without waiting; this loop appends them to
/// the journal and the CSV, flushes, and only then publishes them — so whatever the pipeline has seen is on disk.
/// Under load it writes what has queued up in one batch and flushes once.
/// </summary>
internal sealed class RunRecorder : IAsyncDisposable
{
    private readonly Channel<InvocationResult> _incoming = Channel.CreateUnbounded<InvocationResult>(new UnboundedChannelOptions { SingleReader = true });
    private readonly RunDirectory _directory;
    private readonly ChannelWriter<RunEvent> _events;
    private readonly CancellationToken _eventsGone;
    private readonly RunProgress _progress;
    private readonly RunJournal _journal;
    private readonly InvocationCsv _csv;
    private readonly UnprocessedLog _unprocessed;
    private readonly Task _loop;
    private double _spent;
    private int _failed;
    private bool _disposed;

    /// <param name="finishedKeys">The keys a resumed run's journal already holds; its results are counted again here.</param>
    public RunRecorder(RunDirectory directory, IReadOnlySet<string> finishedKeys, ChannelWriter<RunEvent> events, RunProgress progress, CancellationToken eventsGone)
    {
        _directory = directory;
        _events = events;
        _eventsGone = eventsGone;
        _progress = progress;
        _unprocessed = new UnprocessedLog(directory.Unprocessed);
        if (finishedKeys.Count > 0)
        {
            RecountEarlier(finishedKeys);
        }

        _journal = RunJournal.Open(directory.Journal);
        _csv = InvocationCsv.Open(directory.Csv);
        _unprocessed.Save(force: true);
        _loop = Task.Run(WriteLoopAsync);
    }

    public RunSummary Summary { get; } = new();

    public double SpentUsd => Volatile.Read(ref _spent);

    public int Failed => Volatile.Read(ref _failed);

    /// <summary>Queues a finished result; never blocks and never drops, even while the run is being cancelled.</summary>
    public void Record(InvocationResult result) => _incoming.Writer.TryWrite(result);

    /// <summary>Cost so far, updated as results arrive (before they are written, so budgets react at once).</summary>
    public void AddSpend(double usd)
    {
        double current, updated;
        do
        {
            current = Volatile.Read(ref _spent);
            updated = current + usd;
        }
        while (Interlocked.CompareExchange(ref _spent, updated, current) != current);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _incoming.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        _journal.Dispose();
        _csv.Dispose();
        _unprocessed.Save(force: true);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<InvocationResult>(256);
        var reader = _incoming.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < 4096 && reader.TryRead(out var result))
            {
                _journal.Append(result);
                _csv.Append(result);
                _unprocessed.AddIfUnprocessed(result);
                Count(result);
                batch.Add(result);
            }

            _journal.Flush();
            _csv.Flush();
            _unprocessed.Save();
            foreach (var result in batch)
            {
                _progress.Recorded(result.Status != "Succeeded");
                await PublishAsync(result).ConfigureAwait(false);
            }
        }
    }

    private async ValueTask PublishAsync(InvocationResult result)
    {
        if (_eventsGone.IsCancellationRequested)
        {
            return;
        }

        try
        {
            await _events.WriteAsync(new ResultRecorded(result), _eventsGone).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            // Nobody is listening any more (the pipeline stopped); the result is on disk all the same.
        }
    }

    /// <summary>
    /// Counts a resumed run's earlier results and rebuilds its CSV from the journal, the source of truth: a process
    /// killed between the two writes may have left the CSV a row short, or with half a row. One streaming pass.
    /// </summary>
    private void RecountEarlier(IReadOnlySet<string> finishedKeys)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var earlier = RunJournal.Scan(_directory.Journal, new RunJournal.JournalScan())
            .Where(r => finishedKeys.Contains(r.Key) && seen.Add(r.Key))
            .Select(r =>
            {
                Count(r);
                AddSpend(r.Cost + r.JuryCost);
                _unprocessed.AddIfUnprocessed(r);
                return r;
            });
        InvocationCsv.WriteAll(_directory.Csv, earlier);
    }

    private void Count(InvocationResult result)
    {
        Summary.Add(result);
        if (result.Status != "Succeeded")
        {
            Interlocked.Increment(ref _failed);
        }
    }
}
