namespace Eval360;

/// <summary>Whether a model answers in a region and service tier, from one minimal request (or the cache of one).</summary>
public sealed class ModelCapability
{
    public string ModelId { get; set; } = string.Empty;

    public string? Region { get; set; }

    /// <summary><c>default</c>, <c>priority</c> or <c>flex</c>.</summary>
    public string ServiceTier { get; set; } = "default";

    /// <summary>True when the model answered, or was reachable but busy (throttled, overloaded).</summary>
    public bool Available { get; set; }

    /// <summary>Why it is not available (<c>auth</c>, <c>not_found</c>, <c>validation</c>…); null when it is.</summary>
    public string? ErrorCode { get; set; }

    public string? Error { get; set; }

    /// <summary>Seconds the minimal request took, first byte to last.</summary>
    public double? LatencySeconds { get; set; }

    public DateTimeOffset CheckedAt { get; set; }

    /// <summary>True when this came from the cache rather than a request made now.</summary>
    public bool FromCache { get; set; }

    public override string ToString() => $"{ModelId} {Region} {ServiceTier}: {(Available ? "available" : ErrorCode)}";
}
