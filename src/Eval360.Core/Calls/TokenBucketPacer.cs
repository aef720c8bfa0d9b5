using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.RateLimiting;
using Eval360.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Eval360.Calls;

/// <summary>
/// Paces each model×region to its profile's <c>target_rpm</c> and <c>target_tpm</c> with token buckets from
/// System.Threading.RateLimiting. Callers queue for their turn in arrival order (a reservation), so workers that wake
/// together never burst past the bucket; the buckets are refilled by a timer on the run's <see cref="TimeProvider"/>,
/// so the same code runs on fake time in tests. A bucket holds at most 50 ms of requests, so at 30 RPM calls are exactly
/// 2 s apart and at 6,000 RPM five go every 50 ms — the seed let a second's worth go at once. Token pacing starts from estimates (prompt length
/// plus the output limit) and is corrected by real usage as calls finish. Tiers of one model share its buckets, as in
/// the seed. Every attempt is counted, paced or not, for the achieved rate.
/// </summary>
internal sealed class TokenBucketPacer : IRequestPacer, IDisposable
{
    private readonly ConcurrentDictionary<string, ModelPace> _paces = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly ILogger _log;

    /// <param name="log">Where each model's pace, and when pacing starts holding its calls back, are logged; none when null.</param>
    public TokenBucketPacer(TimeProvider time, ILogger? log = null)
    {
        _time = time;
        _log = log ?? NullLogger.Instance;
    }

    public static string KeyOf(ModelProfile profile) => $"{profile.ModelId}@{profile.Region}";

    public async ValueTask<PacingTicket> AcquireAsync(ModelProfile profile, int estimatedTokens, CancellationToken cancellationToken)
    {
        var pace = _paces.GetOrAdd(KeyOf(profile), _ => new ModelPace(profile, _time));
        if (pace.FirstUse() && pace.Limits is { } limits)
        {
            _log.PaceSet(LogEvents.Of(profile), limits);
        }

        var ticket = await pace.AcquireAsync(estimatedTokens, cancellationToken).ConfigureAwait(false);
        if (ticket.Waited > TimeSpan.Zero && pace.FirstWait())
        {
            _log.PacingHolds(LogEvents.Of(profile), ticket.Waited.TotalSeconds);
        }

        pace.Sent(_time.GetTimestamp());
        return ticket;
    }

    public void ReportUsage(ModelProfile profile, int estimatedTokens, long actualTokens)
    {
        if (_paces.TryGetValue(KeyOf(profile), out var pace))
        {
            pace.Correct(actualTokens - estimatedTokens);
        }
    }

    /// <summary>Requests per minute sent to the profile's model and region so far (first to last request).</summary>
    public double? ActualRpm(ModelProfile profile) => _paces.TryGetValue(KeyOf(profile), out var pace) ? pace.ActualRpm(_time.TimestampFrequency) : null;

    public void Dispose()
    {
        foreach (var pace in _paces.Values)
        {
            pace.Dispose();
        }
    }

    /// <summary>One model×region's buckets and traffic.</summary>
    private sealed class ModelPace : IDisposable
    {
        private readonly TimeProvider _time;
        private readonly Bucket? _requests;
        private readonly Bucket? _tokens;
        private readonly object _traffic = new();
        private long _tokenAdjustment;
        private long _first, _last;
        private int _sent;
        private int _used, _waited;

        public ModelPace(ModelProfile profile, TimeProvider time)
        {
            _time = time;
            if (profile.TargetRpm is double rpm)
            {
                _requests = new Bucket(rpm / 60.0, TimeSpan.FromMilliseconds(50), time);
            }

            if (profile.TargetTpm is double tpm)
            {
                // Ten seconds of tokens: large enough for any normal request, which is then paced by its real size.
                _tokens = new Bucket(tpm / 60.0, TimeSpan.FromSeconds(10), time);
            }

            var limits = new List<string>();
            if (profile.TargetRpm is double targetRpm)
            {
                limits.Add(string.Create(CultureInfo.InvariantCulture, $"{targetRpm:0.##} requests a minute (one every {60 / targetRpm:0.###} s)"));
            }

            if (profile.TargetTpm is double targetTpm)
            {
                limits.Add(string.Create(CultureInfo.InvariantCulture, $"{targetTpm:0.##} tokens a minute"));
            }

            Limits = limits.Count > 0 ? string.Join(" and ", limits) : null;
        }

        /// <summary>What paces this model, for the log; null when nothing does.</summary>
        public string? Limits { get; }

        /// <summary>True the first time only (a plain read after that: this is on every call's path).</summary>
        public bool FirstUse() => Volatile.Read(ref _used) == 0 && Interlocked.Exchange(ref _used, 1) == 0;

        /// <summary>True the first time a call had to wait only.</summary>
        public bool FirstWait() => Volatile.Read(ref _waited) == 0 && Interlocked.Exchange(ref _waited, 1) == 0;

        public async ValueTask<PacingTicket> AcquireAsync(int estimatedTokens, CancellationToken cancellationToken)
        {
            if (_requests is null && _tokens is null)
            {
                return default;
            }

            long started = _time.GetTimestamp();
            bool waited = false;
            if (_requests is not null)
            {
                waited |= await _requests.TakeAsync(1, cancellationToken).ConfigureAwait(false);
            }

            if (_tokens is not null)
            {
                long adjustment = Interlocked.Exchange(ref _tokenAdjustment, 0);
                int permits = (int)Math.Clamp(estimatedTokens + adjustment, 0, _tokens.Capacity);
                if (permits > 0)
                {
                    waited |= await _tokens.TakeAsync(permits, cancellationToken).ConfigureAwait(false);
                }
            }

            return waited ? new PacingTicket(_time.GetElapsedTime(started)) : default;
        }

        /// <summary>Real usage above the estimate is owed by the next request; below it, credited to it.</summary>
        public void Correct(long difference) => Interlocked.Add(ref _tokenAdjustment, difference);

        public void Sent(long timestamp)
        {
            lock (_traffic)
            {
                if (_sent++ == 0)
                {
                    _first = timestamp;
                }

                _last = timestamp;
            }
        }

        public double? ActualRpm(long frequency)
        {
            lock (_traffic)
            {
                double minutes = (_last - _first) / (double)frequency / 60.0;
                return _sent > 1 && minutes > 0 ? Math.Round((_sent - 1) / minutes, 2) : null;
            }
        }

        public void Dispose()
        {
            _requests?.Dispose();
            _tokens?.Dispose();
        }
    }

    /// <summary>
    /// A queueing token bucket refilled by a timer on the run's clock. It holds one refill's worth of tokens and each
    /// refill tops it up to full, so the rate is exactly <c>capacity / period</c> and no burst is ever larger than one
    /// refill — however many callers are queued when it comes.
    /// </summary>
    private sealed class Bucket : IDisposable
    {
        private readonly TokenBucketRateLimiter _limiter;
        private readonly ITimer _refill;

        /// <param name="perSecond">The target rate.</param>
        /// <param name="shortestPeriod">The shortest refill period; the refill is whole tokens, so slow rates refill less often.</param>
        public Bucket(double perSecond, TimeSpan shortestPeriod, TimeProvider time)
        {
            Capacity = Math.Max(1, (int)Math.Floor(perSecond * shortestPeriod.TotalSeconds));
            var period = TimeSpan.FromSeconds(Capacity / perSecond);
            _limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = Capacity,
                TokensPerPeriod = Capacity,
                // The limiter measures refills by the real clock; our timer keeps the period on the run's clock (fake
                // time in tests), so the limiter is told the shortest possible period and every refill fills it up.
                ReplenishmentPeriod = TimeSpan.FromTicks(1),
                AutoReplenishment = false,
                QueueLimit = int.MaxValue,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            });
            _refill = time.CreateTimer(_ => _limiter.TryReplenish(), null, period, period);
        }

        public int Capacity { get; }

        /// <returns>Whether the caller had to wait for its turn.</returns>
        public async ValueTask<bool> TakeAsync(int permits, CancellationToken cancellationToken)
        {
            using var immediate = _limiter.AttemptAcquire(permits);
            if (immediate.IsAcquired)
            {
                return false;
            }

            using var lease = await _limiter.AcquireAsync(permits, cancellationToken).ConfigureAwait(false);
            if (!lease.IsAcquired)
            {
                throw new InvalidOperationException("the pacing queue refused a request");
            }

            return true;
        }

        public void Dispose()
        {
            _refill.Dispose();
            _limiter.Dispose();
        }
    }
}
