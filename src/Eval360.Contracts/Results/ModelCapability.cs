namespace Eval360;

/// <summary>Whether a model answers in a region and service tier, from one minimal request (or the cache of one).</summary>
public sealed class ModelCapability
{
    public string ModelId { get; set; } = string.Empty;

    public string? Region { get; set; }

    /// <summary><c>default</c>, <c>priority</c> or <c>flex</c>.</summary>
    public string ServiceTier { get; set; } = "default";

    /// <summary>
    /// True when the model answered, refused only the minimal request itself (validation, content filter), or answered
    /// 429 (then <see cref="Throttled"/> is true too). False when it cannot be used: no or wrong key, no such model,
    /// nothing answering (connection refused, DNS, TLS, timeout), or a server error (5xx) on every attempt.
    /// </summary>
    public bool Available { get; set; }

    /// <summary>True when the model is reachable but throttled already: it answered the minimal request with HTTP 429.</summary>
    public bool Throttled { get; set; }

    /// <summary>
    /// Why it is not available (<c>auth</c>, <c>not_found</c>, <c>network</c>, <c>timeout</c>, <c>server</c>…), or
    /// <c>throttled</c> for an available model that answered 429; null when it answered.
    /// </summary>
    public string? ErrorCode { get; set; }

    /// <summary>What the provider (or the connection) said, secrets masked; null when the model answered.</summary>
    public string? Error { get; set; }

    /// <summary>Seconds the minimal request took, first byte to last.</summary>
    public double? LatencySeconds { get; set; }

    public DateTimeOffset CheckedAt { get; set; }

    /// <summary>True when this came from the cache rather than a request made now.</summary>
    public bool FromCache { get; set; }

    public override string ToString() => $"{ModelId} {Region} {ServiceTier}: {(Throttled ? "available (throttled)" : Available ? "available" : ErrorCode)}";
}
