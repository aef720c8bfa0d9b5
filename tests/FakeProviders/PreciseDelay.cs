using System.Diagnostics;

namespace Eval360.FakeProviders;

/// <summary>
/// Completes waits at <see cref="Stopwatch"/> timestamps, to a fraction of a millisecond.
/// <para>
/// Task.Delay cannot do it: .NET timers run on the coarse clock and fire up to a kernel tick (4 ms here) late.
/// <see cref="Monitor.Wait(object, int)"/> is precise to about 0.1 ms, so one dedicated thread sleeps with it
/// until the earliest due time is within <c>spinWindow</c>, spins (yielding) the rest, and releases every wait that
/// is due. Waiters resume on the thread pool. One spinning thread per server bounds the CPU precision costs.
/// </para>
/// </summary>
internal sealed class PreciseDelay : IDisposable
{
    private readonly object _gate = new();
    private readonly PriorityQueue<TaskCompletionSource, long> _waiters = new();
    private readonly long _spinWindowTicks;
    private long _earliestDue = long.MaxValue;
    private volatile bool _earlierArrived;
    private bool _disposed;

    public PreciseDelay(TimeSpan spinWindow)
    {
        _spinWindowTicks = Math.Max(0, (long)(spinWindow.TotalSeconds * Stopwatch.Frequency));
        new Thread(Run) { IsBackground = true, Name = "FakeProviders due-time scheduler", Priority = ThreadPriority.AboveNormal }.Start();
    }

    public Task UntilAsync(long dueTimestamp, CancellationToken cancellationToken)
    {
        if (Stopwatch.GetTimestamp() >= dueTimestamp)
        {
            return Task.CompletedTask;
        }

        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _waiters.Enqueue(waiter, dueTimestamp);
            if (dueTimestamp < _earliestDue)
            {
                _earliestDue = dueTimestamp;
                _earlierArrived = true;
                Monitor.Pulse(_gate);
            }
        }

        // A cancelled wait stays queued until its due time; releasing it then is a no-op.
        return cancellationToken.CanBeCanceled ? waiter.Task.WaitAsync(cancellationToken) : waiter.Task;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            while (_waiters.TryDequeue(out var waiter, out _))
            {
                waiter.TrySetCanceled();
            }

            Monitor.Pulse(_gate);
        }
    }

    private void Run()
    {
        var due = new List<TaskCompletionSource>();
        while (true)
        {
            lock (_gate)
            {
                while (true)
                {
                    if (_disposed)
                    {
                        return;
                    }

                    if (!_waiters.TryPeek(out _, out var earliest))
                    {
                        _earliestDue = long.MaxValue;
                        Monitor.Wait(_gate);
                        continue;
                    }

                    _earliestDue = earliest;
                    _earlierArrived = false;
                    var remaining = earliest - Stopwatch.GetTimestamp();
                    if (remaining <= 0)
                    {
                        break;
                    }

                    var sleepMs = (long)Math.Round((remaining - _spinWindowTicks) * 1000.0 / Stopwatch.Frequency);
                    if (sleepMs >= 1 || _spinWindowTicks == 0)
                    {
                        // Without a spin window a sub-millisecond remainder costs one more (precise) millisecond.
                        Monitor.Wait(_gate, (int)Math.Clamp(sleepMs, 1, int.MaxValue));
                        continue;
                    }

                    break;
                }
            }

            SpinUntilEarliestDue();
            lock (_gate)
            {
                var now = Stopwatch.GetTimestamp();
                while (_waiters.TryPeek(out _, out var next) && next <= now)
                {
                    due.Add(_waiters.Dequeue());
                }
            }

            foreach (var waiter in due)
            {
                waiter.TrySetResult();
            }

            due.Clear();
        }
    }

    private void SpinUntilEarliestDue()
    {
        var earliest = Volatile.Read(ref _earliestDue);
        while (Stopwatch.GetTimestamp() < earliest && !_earlierArrived)
        {
            // Yield rather than burn: on a busy machine the serving threads get the core.
            Thread.Yield();
        }
    }
}
