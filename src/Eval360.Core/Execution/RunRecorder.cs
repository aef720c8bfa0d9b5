using System.Threading.Channels;
using Eval360.Results;
using Eval360.Statistics;

namespace Eval360.Execution;

/// <summary>
/// The single writer of a run's files. Workers hand finished results over without waiting; this loop appends them to
/// the journal and the CSV, flushes, and only then publishes them — so whatever the pipeline has seen is on disk.
/// Under load it writes what has queued up in one batch and flushes once.
/// </summary>
internal sealed class RunRecorder : IAsyncDisposable
{
    /// <summary>Bounded: when the files or the pipeline's consumer fall behind, workers wait instead of memory growing.</summary>
    private readonly Channel<InvocationResult> _incoming = Channel.CreateBounded<InvocationResult>(new BoundedChannelOptions(4096) { SingleReader = true });
    private readonly RunDirectory _directory;
    private readonly ChannelWriter<RunEvent> _events;
    private readonly CancellationToken _eventsGone;
    private readonly RunProgress _progress;
    private readonly RunJournal _journal;
    private readonly InvocationCsv _csv;
    private readonly UnprocessedLog _unprocessed;
    private readonly TaskCompletionSource _loop = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Func<InvocationResult, string> _keyOf;
    private readonly Func<InvocationResult, double> _spendOf;
    private double _spent;
    private int _failed;
    private bool _disposed;

    /// <param name="finishedKeys">The keys a resumed run's journal already holds; its results are counted again here.</param>
    /// <param name="keyOf">A result's key in <paramref name="finishedKeys"/>: its <see cref="InvocationResult.Key"/> unless said otherwise.</param>
    /// <param name="spendOf">What a result cost this run: its model and jury cost unless said otherwise (a re-judging paid for its jury only).</param>
    public RunRecorder(RunDirectory directory, IReadOnlySet<string> finishedKeys, ChannelWriter<RunEvent> events, RunProgress progress, CancellationToken eventsGone,
        Func<InvocationResult, string>? keyOf = null, Func<InvocationResult, double>? spendOf = null)
    {
        _keyOf = keyOf ?? (r => r.Key);
        _spendOf = spendOf ?? (r => r.Cost + r.JuryCost);
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
        // The writer blocks on file I/O (and fsync once a second) by design; it gets a thread of its own so it never
        // holds a thread-pool thread that the streams being timed are waiting for.
        var thread = new Thread(WriteLoop) { IsBackground = true, Name = "Eval360 run recorder" };
        thread.Start();
    }

    public ResultStatistics Statistics { get; } = new();

    public double SpentUsd => Volatile.Read(ref _spent);

    public int Failed => Volatile.Read(ref _failed);

    /// <summary>
    /// Queues a finished result; waits only while the queue is full. Never drops one, even while the run is being
    /// cancelled: the writer drains the queue to the end whatever happens to the pipeline.
    /// </summary>
    public ValueTask RecordAsync(InvocationResult result) =>
        _incoming.Writer.TryWrite(result) ? ValueTask.CompletedTask : _incoming.Writer.WriteAsync(result, CancellationToken.None);

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
        await _loop.Task.ConfigureAwait(false);
        _journal.Dispose();
        _csv.Dispose();
        _unprocessed.Save(force: true);
    }

    private void WriteLoop()
    {
        try
        {
            WriteBatches();
            _loop.SetResult();
        }
        catch (Exception e)
        {
            // A full disk or a lost folder: fail the workers waiting to hand results over, rather than leave them waiting.
            _incoming.Writer.TryComplete(e);
            _loop.SetException(e);
        }
    }

    private void WriteBatches()
    {
        var batch = new List<InvocationResult>(256);
        var reader = _incoming.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
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
                _progress.Recorded(!result.IsSucceeded());
                Publish(result);
            }
        }
    }

    private void Publish(InvocationResult result)
    {
        if (_eventsGone.IsCancellationRequested)
        {
            return;
        }

        try
        {
            var item = new ResultRecorded(result);
            if (!_events.TryWrite(item))
            {
                _events.WriteAsync(item, _eventsGone).AsTask().GetAwaiter().GetResult();
            }
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
        var earlier = RunJournal.Scan(_directory.Journal, new ResultScan())
            .Where(r => finishedKeys.Contains(_keyOf(r)) && seen.Add(_keyOf(r)))
            .Select(r =>
            {
                Count(r);
                AddSpend(_spendOf(r));
                _unprocessed.AddIfUnprocessed(r);
                return r;
            });
        InvocationCsv.WriteAll(_directory.Csv, earlier);
    }

    private void Count(InvocationResult result)
    {
        Statistics.Add(result);
        if (!result.IsSucceeded())
        {
            Interlocked.Increment(ref _failed);
        }
    }
}
