using System.Collections.Concurrent;
using Eval360.Providers;

namespace Eval360.Calls;

/// <summary>
/// Enforces each attempt's time limit and stall limit with one timer for all attempts, so the per-chunk cost is a
/// single timestamp write rather than a timer reset.
/// </summary>
internal sealed class CallWatchdog : IDisposable
{
    private readonly ConcurrentDictionary<AttemptGuard, byte> _active = new();
    private readonly TimeProvider _time;
    private readonly ITimer _timer;

    public CallWatchdog(TimeProvider time, TimeSpan checkEvery)
    {
        _time = time;
        _timer = time.CreateTimer(_ => Check(), null, checkEvery, checkEvery);
    }

    public AttemptGuard Watch(CancellationToken outer, TimeSpan timeout, TimeSpan stall)
    {
        var guard = new AttemptGuard(this, outer, _time, timeout, stall);
        _active.TryAdd(guard, 0);
        return guard;
    }

    internal void Release(AttemptGuard guard) => _active.TryRemove(guard, out _);

    private void Check()
    {
        long now = _time.GetTimestamp();
        foreach (var guard in _active.Keys)
        {
            guard.Check(now);
        }
    }

    public void Dispose() => _timer.Dispose();
}

/// <summary>One attempt's limits. <see cref="Touch"/> on every chunk; when a limit passes, the token is cancelled and <see cref="Fired"/> says why.</summary>
internal sealed class AttemptGuard : IDisposable
{
    private readonly CallWatchdog _owner;
    private readonly CancellationTokenSource _cts;
    private readonly long _deadline;
    private readonly long _stallTicks;
    private long _lastActivity;
    private int _fired = -1;

    public AttemptGuard(CallWatchdog owner, CancellationToken outer, TimeProvider time, TimeSpan timeout, TimeSpan stall)
    {
        _owner = owner;
        _cts = CancellationTokenSource.CreateLinkedTokenSource(outer);
        long now = time.GetTimestamp();
        _lastActivity = now;
        _deadline = now + (long)(timeout.TotalSeconds * time.TimestampFrequency);
        _stallTicks = (long)(stall.TotalSeconds * time.TimestampFrequency);
        StallLimit = stall;
        TimeLimit = timeout;
    }

    public CancellationToken Token => _cts.Token;

    public TimeSpan StallLimit { get; }

    public TimeSpan TimeLimit { get; }

    /// <summary>Why the watchdog cancelled the attempt; null when it did not.</summary>
    public FailureKind? Fired => _fired < 0 ? null : (FailureKind)_fired;

    public void Touch(long now) => Volatile.Write(ref _lastActivity, now);

    internal void Check(long now)
    {
        FailureKind? reason = now > _deadline ? FailureKind.Timeout
            : now - Volatile.Read(ref _lastActivity) > _stallTicks ? FailureKind.Stalled
            : null;
        if (reason is FailureKind kind && Interlocked.CompareExchange(ref _fired, (int)kind, -1) == -1)
        {
            try
            {
                _cts.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The attempt finished as the limit passed.
            }
        }
    }

    public void Dispose()
    {
        _owner.Release(this);
        _cts.Dispose();
    }
}
