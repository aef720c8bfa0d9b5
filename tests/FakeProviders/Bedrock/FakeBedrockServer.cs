using System.Collections.Concurrent;
using System.Text.Json;

namespace Eval360.FakeProviders;

/// <summary>
/// A fake Amazon Bedrock Runtime on a loopback port: <c>POST /model/{modelId}/converse-stream</c> (an AWS event stream)
/// and <c>/converse</c>, each request's SigV4 signature checked against one configured key pair, behaviours chosen per
/// model id with the same <see cref="ModelBehavior"/> as the OpenAI fake. Start with <see cref="StartAsync"/>, dispose
/// to stop. Independent of the AWS SDK and of Eval360's code.
/// </summary>
public sealed class FakeBedrockServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private ModelBehavior _defaultBehavior;
    private long _sequence;
    private long _serverErrors;
    private int _disposed;

    private FakeBedrockServer(WebApplication app, FakeBedrockOptions options)
    {
        _app = app;
        Options = options;
        _defaultBehavior = options.DefaultBehavior ?? ModelBehavior.Default;
        Behaviors = new ConcurrentDictionary<string, ModelBehavior>(options.Behaviors ?? new Dictionary<string, ModelBehavior>(), StringComparer.Ordinal);
        Verifier = new SigV4Verifier(options.AccessKeyId, options.SecretAccessKey, options.SessionToken, options.Service, options.MaxClockSkew);
        Log = new RequestLog<BedrockServedRequest>(options.RecordRequests, options.MaxRecordedRequests);
        Delay = new PreciseDelay(options.SpinWaitThreshold);
        Tag = Guid.NewGuid().ToString("N")[..6];
    }

    /// <summary>The server root, <c>http://127.0.0.1:PORT/</c>: a Bedrock profile's <c>endpoint</c>.</summary>
    public Uri Origin { get; private set; } = null!;

    public int Port => Origin.Port;

    public FakeBedrockOptions Options { get; }

    /// <summary>Behaviour per model id (as in the path, decoded), exact match; may be changed at any time.</summary>
    public ConcurrentDictionary<string, ModelBehavior> Behaviors { get; }

    /// <summary>The behaviour of model ids not in <see cref="Behaviors"/>.</summary>
    public ModelBehavior DefaultBehavior
    {
        get => Volatile.Read(ref _defaultBehavior);
        set => Volatile.Write(ref _defaultBehavior, value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <summary>
    /// Files served at <c>GET /files/{name}</c> (unsigned, not recorded), for what a client downloads on its own: a
    /// scenario's web image, say. The content type follows the name's extension.
    /// </summary>
    public ConcurrentDictionary<string, byte[]> Files { get; } = new(StringComparer.Ordinal);

    /// <summary>The URL of a file in <see cref="Files"/>.</summary>
    public Uri FileUrl(string name) => new(Origin, "files/" + Uri.EscapeDataString(name));

    /// <summary>The recorded requests (empty when recording is off), in arrival order. A snapshot.</summary>
    public IReadOnlyList<BedrockServedRequest> Requests => Log.Snapshot();

    /// <summary>Every request received, recorded or not.</summary>
    public long RequestCount => Interlocked.Read(ref _sequence);

    /// <summary>Requests that failed with a bug in the fake.</summary>
    public long ServerErrorCount => Interlocked.Read(ref _serverErrors);

    internal SigV4Verifier Verifier { get; }

    internal RequestLog<BedrockServedRequest> Log { get; }

    internal PreciseDelay Delay { get; }

    /// <summary>A short per-server prefix of request and tool-use ids.</summary>
    internal string Tag { get; }

    internal CancellationToken Stopping => _stopping.Token;

    public static async Task<FakeBedrockServer> StartAsync(FakeBedrockOptions? options = null)
    {
        options ??= new FakeBedrockOptions();
        var app = LoopbackHost.Build(options.Port);
        var server = new FakeBedrockServer(app, options);
        app.Run(new ConverseEndpoint(server).HandleAsync);
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
    public Task<IReadOnlyList<BedrockServedRequest>> WaitForRequestsAsync(int count, TimeSpan? timeout = null) =>
        Log.WaitForCountAsync(count, timeout ?? TimeSpan.FromSeconds(10));

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await LoopbackHost.StopAsync(_app).ConfigureAwait(false);
        Delay.Dispose();
        _stopping.Dispose();
    }

    internal long NextSequence() => Interlocked.Increment(ref _sequence);

    internal void ReportServerError() => Interlocked.Increment(ref _serverErrors);

    /// <summary>Picks the behaviour for a request: configured for the model id (or the default), then its PerRequest.</summary>
    internal ModelBehavior Resolve(long sequence, ParsedConverseRequest parsed, JsonElement body)
    {
        var configured = Behaviors.TryGetValue(parsed.ModelId, out var behavior) ? behavior : DefaultBehavior;
        if (configured.PerRequest is not { } perRequest)
        {
            return configured;
        }

        var request = new FakeRequest
        {
            Sequence = sequence,
            Route = ChatRoute.BedrockConverse,
            Model = parsed.ModelId,
            Stream = parsed.Stream,
            IncludeUsage = true,
            Temperature = parsed.Temperature,
            MaxTokens = parsed.MaxTokens,
            IsJudge = parsed.IsJudge,
            MessageCount = parsed.MessageCount,
            PromptChars = parsed.PromptChars,
            Body = body,
            Behavior = configured,
        };
        return perRequest(request) ?? configured;
    }

}
