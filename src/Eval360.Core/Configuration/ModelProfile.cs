namespace Eval360;

/// <summary>The role a profile plays in a run.</summary>
public enum ProfileRole
{
    Candidate,
    Judge,
}

/// <summary>A model to benchmark or a judge, read from a model or judge profile file (or built in code).</summary>
public sealed record ModelProfile
{
    /// <summary>The full id as written in the profile, <c>provider/model</c>.</summary>
    public required string ModelId { get; init; }

    /// <summary>The provider the id's prefix names.</summary>
    public required ProviderTraits Provider { get; init; }

    /// <summary>The provider's own model name: the id without its <c>provider/</c> prefix.</summary>
    public required string Model { get; init; }

    public ProfileRole Role { get; init; } = ProfileRole.Candidate;

    public string? Region { get; init; }

    /// <summary>USD per 1,000 input tokens.</summary>
    public double InputCostPer1K { get; init; }

    /// <summary>USD per 1,000 output tokens.</summary>
    public double OutputCostPer1K { get; init; }

    public double? TargetRpm { get; init; }

    public double? TargetTpm { get; init; }

    /// <summary><c>default</c>, <c>priority</c> or <c>flex</c>; null when the profile does not say.</summary>
    public string? ServiceTier { get; init; }

    /// <summary>
    /// The tier this profile asked for when the provider refused it for the model and region: the profile then runs at
    /// the default tier (<see cref="ServiceTier"/> null) and its results say so. Set by the access check, never read from a file.
    /// </summary>
    public string? RefusedServiceTier { get; init; }

    public Uri? Endpoint { get; init; }

    public string? ApiKeyEnv { get; init; }

    public string? ApiVersion { get; init; }

    /// <summary>Where the profile came from (<c>file:line</c>), for messages.</summary>
    public string Source { get; init; } = string.Empty;

    /// <summary>Identifies a distinct target: the same model in another region or tier is another target.</summary>
    public string Key => $"{ModelId}|{Region}|{ServiceTier ?? "default"}";

    /// <summary>The name results show: the model id, with the tier appended when one is set (<c>…_priority</c>), as the seed does.</summary>
    public string DisplayName => ServiceTier is null or "default" ? ModelId : $"{ModelId}_{ServiceTier}";

    public bool IsSimulated => Provider.Simulated;

    public double CostOf(long inputTokens, long outputTokens) =>
        (inputTokens * InputCostPer1K + outputTokens * OutputCostPer1K) / 1000.0;
}
