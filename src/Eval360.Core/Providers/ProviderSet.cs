using System.Collections.Concurrent;
using System.Net;
using Eval360.Providers.Anthropic;
using Eval360.Providers.Azure;
using Eval360.Providers.Bedrock;
using Eval360.Providers.OpenAI;
using Eval360.Providers.Simulator;

namespace Eval360.Providers;

/// <summary>
/// The providers of one run (a benchmark or a capability check), built once: the credentials with their redactor, one
/// HTTP connection pool, and each profile's client, made on first use by its provider's registration.
/// </summary>
public sealed class ProviderSet : IDisposable
{
    /// <summary>Every provider Eval360 speaks, one registration each; a new provider is a folder and a line here.</summary>
    internal static IReadOnlyList<ModelProvider> All { get; } =
    [
        BedrockProvider.Instance,
        OpenAIProvider.OpenAI,
        AzureProvider.Instance,
        OpenAIProvider.Gemini,
        AnthropicProvider.Instance,
        OpenAIProvider.Ollama,
        OpenAIProvider.Compatible,
        SimulatorProvider.Instance,
    ];

    private static readonly Dictionary<ProviderTraits, ModelProvider> ByTraits = All.ToDictionary(p => p.Traits);

    private readonly ConcurrentDictionary<string, IModelClient> _clients = new();
    private readonly ConcurrentDictionary<string, IModelClient> _optimizers = new();
    private readonly ProviderContext _context;

    /// <param name="workingDirectory">Where a <c>.env</c> file is looked for (the PowerShell location); null for none.</param>
    public ProviderSet(string? workingDirectory, TimeProvider? time = null)
    {
        var http = new HttpClient(new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(30),
            MaxConnectionsPerServer = int.MaxValue,
            AutomaticDecompression = DecompressionMethods.All,
            EnableMultipleHttp2Connections = true,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _context = new ProviderContext(new Credentials(workingDirectory, new SecretRedactor()), http, time ?? TimeProvider.System);
    }

    /// <summary>The providers profiles may name: what the profile reader checks a <c>model_id</c> against.</summary>
    public static ProviderCatalog Catalog { get; } = new(All.Select(p => p.Traits));

    /// <summary>A setting that is not secret (a region), from the environment or the <c>.env</c> file.</summary>
    public string? Setting(string name) => _context.Credentials.Setting(name);

    /// <summary>Masks every key this run loaded (and anything shaped like one).</summary>
    public SecretRedactor Redactor => _context.Credentials.Redactor;

    /// <summary>The registration of a profile's provider.</summary>
    internal static ModelProvider Of(ModelProfile profile) => ByTraits[profile.Provider];

    /// <summary>Each profile's capability-check targets (a Bedrock profile without a tier is tried in every tier), each once.</summary>
    public static IEnumerable<ModelProfile> CapabilityTargets(IEnumerable<ModelProfile> profiles) =>
        profiles.SelectMany(p => Of(p).CapabilityTargets(p)).DistinctBy(p => p.Key);

    /// <summary>The profile's client, made once per model, region and tier.</summary>
    public IModelClient Client(ModelProfile profile) => _clients.GetOrAdd(profile.Key, _ => Build(profile));

    /// <summary>Whether prompts can be optimized for the profile's model (its provider has prompt optimization).</summary>
    internal static bool OptimizesPrompts(ModelProfile profile) => Of(profile).OptimizesPrompts;

    /// <summary>The prompt optimization client for the profile's model, made once per model and region; see <see cref="ModelProvider.CreateOptimizer"/>.</summary>
    internal IModelClient Optimizer(ModelProfile profile) =>
        _optimizers.GetOrAdd($"{profile.ModelId}|{profile.Region}", _ => Build(profile, Of(profile).CreateOptimizer));

    public void Dispose() => _context.Http.Dispose();

    private IModelClient Build(ModelProfile profile) => Build(profile, Of(profile).CreateClient);

    private IModelClient Build(ModelProfile profile, Func<ModelProfile, ProviderContext, IModelClient> create)
    {
        try
        {
            return create(profile, _context);
        }
        catch (ProviderException e)
        {
            return new UnavailableModelClient(e);
        }
    }

    /// <summary>A client for a profile that cannot work (no key, no region): every call fails with the reason.</summary>
    private sealed class UnavailableModelClient(ProviderException reason) : IModelClient
    {
        public IAsyncEnumerable<ChatChunk> StreamAsync(ChatRequest request, CancellationToken cancellationToken) => throw reason;
    }
}
