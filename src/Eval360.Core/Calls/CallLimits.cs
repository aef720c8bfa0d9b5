using Eval360.Configuration;

namespace Eval360.Calls;

/// <summary>
/// How far one call may go: its retries and the time each attempt and all of them may take. The values (and their
/// defaults and ranges) belong to whoever owns the settings — a benchmark's options, a re-judging's — and are handed
/// down here, so the call machinery knows nothing about what it is calling for.
/// </summary>
internal sealed record CallLimits
{
    /// <summary>Retries after the first attempt, for throttling, server errors and broken streams.</summary>
    public required int MaxRetries { get; init; }

    /// <summary>The longest one attempt may take, first byte to last.</summary>
    public required TimeSpan AttemptTimeout { get; init; }

    /// <summary>How long a stream may go without a chunk before the attempt counts as stalled.</summary>
    public required TimeSpan StallTimeout { get; init; }

    /// <summary>The most time one call may spend on retries, waits included.</summary>
    public required TimeSpan MaxRetryTime { get; init; }

    /// <summary>The limits a benchmark's options set.</summary>
    public static CallLimits Of(BenchmarkOptions options) => new()
    {
        MaxRetries = options.MaxRetries,
        AttemptTimeout = options.AttemptTimeout,
        StallTimeout = options.StallTimeout,
        MaxRetryTime = options.MaxRetryTime,
    };
}
