namespace Eval360.FakeProviders;

/// <summary>
/// Decides each request's fault from a seed and the request's ordinal (not from a shared Random), so the same seed
/// yields the same fates in the same order under any concurrency.
/// </summary>
internal sealed class FaultSchedule(
    int seed,
    double throttle429Percent,
    int retryAfterSeconds,
    double server5xxPercent,
    double dropPercent,
    double stallPercent,
    TimeSpan stallFor)
{
    private long _ordinal = -1;

    public ModelBehavior? Pick(FakeRequest request)
    {
        var ordinal = Interlocked.Increment(ref _ordinal);
        var draw = Mix((ulong)(uint)seed << 32 ^ (ulong)ordinal);
        var percent = (draw >> 11) * (100.0 / (1UL << 53));
        var behavior = request.Behavior with { PerRequest = null };
        var halfway = Math.Max(0, behavior.TokenCount / 2);

        if ((percent -= throttle429Percent) < 0)
        {
            return behavior with
            {
                Status = 429,
                RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
        }

        if ((percent -= server5xxPercent) < 0)
        {
            return behavior with { Status = (draw & 1) == 0 ? 500 : 503 };
        }

        if ((percent -= dropPercent) < 0)
        {
            return behavior with { DropAfter = halfway };
        }

        if ((percent -= stallPercent) < 0)
        {
            return behavior with { StallAfter = halfway, StallFor = stallFor };
        }

        return null;
    }

    /// <summary>SplitMix64's finaliser: consecutive inputs give independent-looking outputs.</summary>
    private static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
