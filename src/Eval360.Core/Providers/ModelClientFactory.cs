using System.Collections.Concurrent;
using System.Net;

namespace Eval360.Providers;

/// <summary>Creates (once per profile) the client that speaks each provider's protocol.</summary>
public sealed class ModelClientFactory : IDisposable
{
    private readonly ConcurrentDictionary<string, IModelClient> _clients = new();
    private readonly Credentials _credentials;
    private readonly HttpClient _http;

    private readonly TimeProvider _time;

    public ModelClientFactory(Credentials credentials, TimeProvider? time = null)
    {
        _credentials = credentials;
        _time = time ?? TimeProvider.System;
        _http = new HttpClient(new SocketsHttpHandler
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
    }

    public SecretRedactor Redactor => _credentials.Redactor;

    public IModelClient Create(ModelProfile profile) => _clients.GetOrAdd(profile.Key, _ => Build(profile));

    private IModelClient Build(ModelProfile profile)
    {
        var redact = _credentials.Redactor.Redact;
        switch (profile.Provider)
        {
            case ProviderKind.Simulator:
                return new SimulatedModelClient(profile.Model, _time);
            case ProviderKind.OpenAI:
            case ProviderKind.Gemini:
                var key = _credentials.KeyFor(profile);
                if (key is null)
                {
                    return new UnavailableModelClient(MissingKey(profile));
                }

                return OpenAIChatClient.ForOpenAI(profile.Model, profile.Endpoint ?? profile.Traits.DefaultEndpoint!, key,
                    useMaxCompletionTokens: profile.Provider == ProviderKind.OpenAI, _http, _time, redact);
            case ProviderKind.Ollama:
            case ProviderKind.OpenAICompatible:
                return OpenAIChatClient.ForOpenAI(profile.Model, profile.Endpoint ?? profile.Traits.DefaultEndpoint!, _credentials.KeyFor(profile),
                    useMaxCompletionTokens: false, _http, _time, redact);
            case ProviderKind.Azure:
                return Guard(() => CreateAzure(profile));
            case ProviderKind.Bedrock:
                return Guard(() => BedrockConverseClient.Create(profile, _credentials, _http, _time));
            case ProviderKind.Anthropic:
                return Guard(() => AnthropicMessagesClient.Create(profile, _credentials, _http, _time));
            default:
                return new UnavailableModelClient(new ProviderException(FailureKind.Validation,
                    $"{profile.Traits.Prefix}/ models are not supported by this version of Eval360 yet"));
        }
    }

    private IModelClient CreateAzure(ModelProfile profile)
    {
        var key = _credentials.KeyFor(profile) ?? throw MissingKey(profile);
        var endpointText = profile.Endpoint?.AbsoluteUri ?? _credentials.Setting("AZURE_OPENAI_ENDPOINT")
            ?? throw new ProviderException(FailureKind.Auth, $"no endpoint for {profile.ModelId}: set the profile's endpoint or AZURE_OPENAI_ENDPOINT (https://<resource>.openai.azure.com/)");
        if (!Uri.TryCreate(endpointText, UriKind.Absolute, out var endpoint))
        {
            throw new ProviderException(FailureKind.Validation, $"AZURE_OPENAI_ENDPOINT is not an absolute URL");
        }

        return OpenAIChatClient.ForAzure(profile.Model, endpoint, key, profile.ApiVersion, _http, _time, _credentials.Redactor.Redact);
    }

    /// <summary>A client that cannot be built (no key, no credentials) becomes one whose every call fails with the reason.</summary>
    private static IModelClient Guard(Func<IModelClient> create)
    {
        try
        {
            return create();
        }
        catch (ProviderException e)
        {
            return new UnavailableModelClient(e);
        }
    }

    private static ProviderException MissingKey(ModelProfile profile)
    {
        var names = profile.ApiKeyEnv is not null ? profile.ApiKeyEnv : string.Join(" or ", profile.Traits.KeyVariables);
        return new ProviderException(FailureKind.Auth, $"no API key for {profile.ModelId}: set {names} in the environment or in .env");
    }

    public void Dispose() => _http.Dispose();

    /// <summary>A client for a profile that cannot work (no key, unsupported provider): every call fails with the reason.</summary>
    private sealed class UnavailableModelClient(ProviderException reason) : IModelClient
    {
        public IAsyncEnumerable<ChatChunk> StreamAsync(ChatRequest request, CancellationToken cancellationToken) => throw reason;
    }
}
