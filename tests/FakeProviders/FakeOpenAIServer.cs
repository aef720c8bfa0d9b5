using System.Collections.Concurrent;
using System.Text.Json;

namespace Eval360.FakeProviders;

/// <summary>
/// A fake OpenAI-compatible Chat Completions server on a loopback port, answering the OpenAI, Gemini and Azure URL
/// shapes with behaviours chosen per model. Start with <see cref="StartAsync"/>, dispose to stop.
/// </summary>
public sealed class FakeOpenAIServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private ModelBehavior _defaultBehavior;
    private long _sequence;
    private long _serverErrors;
    private int _disposed;

    private FakeOpenAIServer(WebApplication app, FakeServerOptions options)
    {
        _app = app;
        _defaultBehavior = options.DefaultBehavior ?? ModelBehavior.Default;
        Behaviors = new ConcurrentDictionary<string, ModelBehavior>(options.Behaviors ?? new Dictionary<string, ModelBehavior>(), StringComparer.Ordinal);
        Selector = options.Selector;
        RequiredApiKey = options.RequiredApiKey;
        Log = new RequestLog<ServedRequest>(options.RecordRequests, options.MaxRecordedRequests);
        Delay = new PreciseDelay(options.SpinWaitThreshold);
        Tag = Guid.NewGuid().ToString("N")[..6];
    }

    /// <summary>The OpenAI base URL, <c>http://127.0.0.1:PORT/v1/</c>.</summary>
    public Uri BaseUrl => new(Origin, "v1/");

    /// <summary>Gemini's OpenAI-compatible base URL, <c>http://127.0.0.1:PORT/v1beta/openai/</c>.</summary>
    public Uri GeminiBaseUrl => new(Origin, "v1beta/openai/");

    /// <summary>Anthropic's base URL, the server root: clients add <c>v1/messages</c>.</summary>
    public Uri AnthropicBaseUrl => Origin;

    /// <summary>The server root, <c>http://127.0.0.1:PORT/</c>: an Azure OpenAI resource endpoint.</summary>
    public Uri Origin { get; private set; } = null!;

    public int Port => Origin.Port;

    /// <summary>Behaviour per model (or Azure deployment) name, exact match; may be changed at any time.</summary>
    public ConcurrentDictionary<string, ModelBehavior> Behaviors { get; }

    /// <summary>The behaviour of models not in <see cref="Behaviors"/>.</summary>
    public ModelBehavior DefaultBehavior
    {
        get => Volatile.Read(ref _defaultBehavior);
        set => Volatile.Write(ref _defaultBehavior, value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <summary>
    /// Chooses a request's behaviour (null keeps the configured one). Runs before the chosen behaviour's
    /// <see cref="ModelBehavior.PerRequest"/>; runs concurrently, so it must be thread-safe.
    /// </summary>
    public Func<FakeRequest, ModelBehavior?>? Selector { get; set; }

    /// <summary>The key every request must carry, or null for none.</summary>
    public string? RequiredApiKey { get; }

    /// <summary>The recorded requests (empty when recording is off), in arrival order. A snapshot.</summary>
    public IReadOnlyList<ServedRequest> Requests => Log.Snapshot();

    /// <summary>Every request received, recorded or not.</summary>
    public long RequestCount => Interlocked.Read(ref _sequence);

    /// <summary>Requests that failed with a bug in the fake (see <see cref="ServedRequest.ServerError"/>).</summary>
    public long ServerErrorCount => Interlocked.Read(ref _serverErrors);

    internal RequestLog<ServedRequest> Log { get; }

    internal PreciseDelay Delay { get; }

    /// <summary>A short per-server prefix of response ids, so ids of two servers never collide.</summary>
    internal string Tag { get; }

    internal CancellationToken Stopping => _stopping.Token;

    public static async Task<FakeOpenAIServer> StartAsync(FakeServerOptions? options = null)
    {
        options ??= new FakeServerOptions();
        var app = LoopbackHost.Build(options.Port);
        var server = new FakeOpenAIServer(app, options);
        app.Run(new ChatCompletionsEndpoint(server).HandleAsync);
        try
        {
            server.Origin = await LoopbackHost.StartAsync(app).ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return server;
    }

    /// <summary>Forgets the recorded requests (the request counter goes on).</summary>
    public void ClearRequests() => Log.Clear();

    /// <summary>Waits until at least <paramref name="count"/> requests are recorded (they are recorded when their response ends).</summary>
    public Task<IReadOnlyList<ServedRequest>> WaitForRequestsAsync(int count, TimeSpan? timeout = null) =>
        Log.WaitForCountAsync(count, timeout ?? TimeSpan.FromSeconds(10));

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Cancel running replies first (stalls included), so stopping Kestrel has nothing left to wait for.
        await _stopping.CancelAsync().ConfigureAwait(false);
        await LoopbackHost.StopAsync(_app).ConfigureAwait(false);
        Delay.Dispose();
        _stopping.Dispose();
    }

    internal long NextSequence() => Interlocked.Increment(ref _sequence);

    internal void ReportServerError(Exception error)
    {
        Interlocked.Increment(ref _serverErrors);
        ServerErrorReported?.Invoke(error);
    }

    /// <summary>Called with each bug in the fake while serving (Program prints them to stderr).</summary>
    internal Action<Exception>? ServerErrorReported { get; set; }

    /// <summary>Picks the behaviour for a request: configured, then <see cref="Selector"/>, then the result's own PerRequest.</summary>
    internal ModelBehavior Resolve(RequestTrace trace, ParsedChatRequest parsed, JsonElement body)
    {
        var configured = Behaviors.TryGetValue(parsed.Model, out var behavior) ? behavior : DefaultBehavior;
        var selector = Selector;
        if (selector is null && configured.PerRequest is null)
        {
            return configured;
        }

        var request = new FakeRequest
        {
            Sequence = trace.Sequence,
            Route = trace.Route,
            Model = parsed.Model,
            Stream = parsed.Stream,
            IncludeUsage = parsed.IncludeUsage,
            Temperature = parsed.Temperature,
            MaxTokens = parsed.MaxTokens,
            MaxCompletionTokens = parsed.MaxCompletionTokens,
            ResponseFormatType = parsed.ResponseFormatType,
            ForcedTool = parsed.ForcedTool,
            IsJudge = parsed.IsJudge,
            MessageCount = parsed.MessageCount,
            PromptChars = parsed.PromptChars,
            Body = body,
            Behavior = configured,
        };
        var chosen = selector?.Invoke(request) ?? configured;
        if (chosen.PerRequest is { } perRequest)
        {
            chosen = perRequest(request with { Behavior = chosen }) ?? chosen;
        }

        return chosen;
    }
}
