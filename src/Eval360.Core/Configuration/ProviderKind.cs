namespace Eval360;

/// <summary>The provider named by a model id's prefix (<c>openai/gpt-4o</c> → <see cref="OpenAI"/>).</summary>
public enum ProviderKind
{
    Bedrock,
    OpenAI,
    Azure,
    Gemini,
    Anthropic,
    Ollama,
    OpenAICompatible,
    Simulator,
}

/// <summary>What Eval360 knows about each provider: its prefix, limits and where its keys live.</summary>
public sealed record ProviderTraits(
    ProviderKind Kind,
    string Prefix,
    double MaxTemperature,
    bool RequiresRegion,
    bool RequiresEndpoint,
    Uri? DefaultEndpoint,
    IReadOnlyList<string> KeyVariables)
{
    public static IReadOnlyList<ProviderTraits> All { get; } =
    [
        new(ProviderKind.Bedrock, "bedrock", 1.0, RequiresRegion: true, RequiresEndpoint: false, null, []),
        new(ProviderKind.OpenAI, "openai", 2.0, false, false, new Uri("https://api.openai.com/v1/"), ["OPENAI_API_KEY", "OPENAI_API"]),
        new(ProviderKind.Azure, "azure", 2.0, false, false, null, ["AZURE_OPENAI_API_KEY", "AZURE_API_KEY"]),
        new(ProviderKind.Gemini, "gemini", 2.0, false, false, new Uri("https://generativelanguage.googleapis.com/v1beta/openai/"), ["GEMINI_API_KEY", "GOOGLE_API"]),
        new(ProviderKind.Anthropic, "anthropic", 1.0, false, false, new Uri("https://api.anthropic.com/"), ["ANTHROPIC_API_KEY"]),
        new(ProviderKind.Ollama, "ollama", 2.0, false, false, new Uri("http://localhost:11434/v1/"), []),
        new(ProviderKind.OpenAICompatible, "openai-compatible", 2.0, false, RequiresEndpoint: true, null, []),
        new(ProviderKind.Simulator, "sim", 2.0, false, false, null, []),
    ];

    public static ProviderTraits Of(ProviderKind kind) => All.First(t => t.Kind == kind);

    public static ProviderTraits? FromPrefix(string prefix) =>
        All.FirstOrDefault(t => string.Equals(t.Prefix, prefix, StringComparison.OrdinalIgnoreCase));

    public static string KnownPrefixes => string.Join(", ", All.Select(t => t.Prefix + "/"));
}
