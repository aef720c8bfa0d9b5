using System.Collections.Concurrent;

namespace Eval360.FakeProviders;

/// <summary>A request as served, numbered in arrival order.</summary>
public interface ISequencedRequest
{
    long Sequence { get; }
}

/// <summary>The recorded requests, capped so a long benchmark cannot exhaust memory.</summary>
internal sealed class RequestLog<T>(bool enabled, int capacity)
    where T : ISequencedRequest
{
    private ConcurrentQueue<T> _items = new();
    private int _count;
    private TaskCompletionSource _changed = NewSignal();

    public bool Enabled => enabled;

    public void Add(T request)
    {
        if (!enabled || Interlocked.Increment(ref _count) > capacity)
        {
            return;
        }

        Volatile.Read(ref _items).Enqueue(request);
        Interlocked.Exchange(ref _changed, NewSignal()).TrySetResult();
    }

    /// <summary>The recorded requests in arrival order.</summary>
    public IReadOnlyList<T> Snapshot()
    {
        var items = Volatile.Read(ref _items).ToArray();
        Array.Sort(items, static (a, b) => a.Sequence.CompareTo(b.Sequence));
        return items;
    }

    public void Clear()
    {
        Volatile.Write(ref _items, new ConcurrentQueue<T>());
        Volatile.Write(ref _count, 0);
    }

    public async Task<IReadOnlyList<T>> WaitForCountAsync(int count, TimeSpan timeout)
    {
        using var expiry = new CancellationTokenSource(timeout);
        while (true)
        {
            var changed = Volatile.Read(ref _changed).Task;
            var items = Snapshot();
            if (items.Count >= count)
            {
                return items;
            }

            try
            {
                await changed.WaitAsync(expiry.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"the fake server recorded {items.Count} request(s) within {timeout}, not {count}");
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
