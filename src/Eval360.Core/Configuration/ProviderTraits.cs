namespace Eval360;

/// <summary>
/// What a profile file needs to know about a provider: the prefix its model ids start with, what its profiles must say,
/// its limits and where its keys live. Each provider's registration (under <c>Providers/</c>) declares its own; the
/// profile reader gets them through a <see cref="ProviderCatalog"/>, so this layer never knows which providers exist.
/// </summary>
public sealed record ProviderTraits(string Prefix)
{
    /// <summary>The highest temperature the provider accepts; temperature variations are capped at it.</summary>
    public double MaxTemperature { get; init; } = 2.0;

    /// <summary>Its profiles must name a <c>region</c> (Bedrock).</summary>
    public bool RequiresRegion { get; init; }

    /// <summary>Its profiles must name an <c>endpoint</c> (an OpenAI-compatible server has no default).</summary>
    public bool RequiresEndpoint { get; init; }

    /// <summary>Where requests go when the profile names no <c>endpoint</c>; null when the client works it out itself.</summary>
    public Uri? DefaultEndpoint { get; init; }

    /// <summary>The environment variables holding its key, in the order they are tried (a profile's <c>api_key_env</c> replaces them).</summary>
    public IReadOnlyList<string> KeyVariables { get; init; } = [];

    /// <summary>Eval360's built-in simulator: what it reports is marked simulated.</summary>
    public bool Simulated { get; init; }
}

/// <summary>The providers a profile may name, found by the prefix of its <c>model_id</c>.</summary>
public sealed class ProviderCatalog(IEnumerable<ProviderTraits> providers)
{
    private readonly IReadOnlyList<ProviderTraits> _providers = [.. providers];

    /// <summary><c>bedrock/, openai/, …</c>: for messages that say what a model id may start with.</summary>
    public string KnownPrefixes => string.Join(", ", _providers.Select(t => t.Prefix + "/"));

    public ProviderTraits? FromPrefix(string prefix) =>
        _providers.FirstOrDefault(t => string.Equals(t.Prefix, prefix, StringComparison.OrdinalIgnoreCase));

    /// <summary>Splits <c>provider/model</c> into its provider and the provider's own model name.</summary>
    public bool TryParseId(string modelId, out ProviderTraits provider, out string model)
    {
        provider = null!;
        model = string.Empty;
        int slash = modelId.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == modelId.Length - 1 || FromPrefix(modelId[..slash]) is not { } found)
        {
            return false;
        }

        provider = found;
        model = modelId[(slash + 1)..];
        return true;
    }
}
