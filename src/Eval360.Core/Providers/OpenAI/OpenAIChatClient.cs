using System.Buffers;
using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using OpenAI;
using OpenAI.Chat;

namespace Eval360.Providers.OpenAI;

/// <summary>
/// Chat Completions over the official OpenAI .NET SDK, for every provider that speaks that protocol (OpenAI, Gemini's
/// OpenAI-compatible endpoint, Ollama, vLLM, LM Studio, proxies).
/// <para>
/// It uses the SDK's client, pipeline, authentication and transport through the SDK's protocol method, and reads the
/// stream itself, because the SDK's convenience layer would lose what a benchmark must see: it throws mid-stream on a
/// finish_reason it does not know, swallows a mid-stream <c>data: {"error": …}</c>, hides <c>reasoning_content</c>, and
/// allocates a model object per chunk. Status and headers (<c>Retry-After</c>) stay visible; the SDK's own retries are
/// off because Eval360's resilience layer owns and counts them.
/// </para>
/// </summary>
internal sealed class OpenAIChatClient : IModelClient
{
    /// <summary>JSON for an API, not for HTML: prompts keep their characters instead of growing into \u escapes.</summary>
    private static readonly JsonWriterOptions RequestJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ChatClient _client;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly Uri _models;
    private readonly string _model;
    private readonly bool _useMaxCompletionTokens;
    private readonly Func<string, string> _redact;
    private volatile bool _structuredOutputUnsupported;

    /// <param name="client">The SDK's chat client, whose pipeline was set up by <see cref="Configure"/>.</param>
    /// <param name="warmUpUrl">A URL that costs nothing to GET, for opening connections before the measured calls.</param>
    internal OpenAIChatClient(ChatClient client, string model, Uri warmUpUrl, bool useMaxCompletionTokens, HttpClient httpClient, TimeProvider time, Func<string, string> redact)
    {
        _client = client;
        _model = model;
        _models = warmUpUrl;
        _useMaxCompletionTokens = useMaxCompletionTokens;
        _http = httpClient;
        _time = time;
        _redact = redact;
    }

    /// <summary>OpenAI itself or any server speaking its protocol at <paramref name="endpoint"/> (a key is optional).</summary>
    public static OpenAIChatClient ForOpenAI(string model, Uri endpoint, string? apiKey, bool useMaxCompletionTokens, HttpClient httpClient, TimeProvider time, Func<string, string> redact)
    {
        var options = Configure(new OpenAIClientOptions { Endpoint = endpoint }, httpClient);
        AuthenticationPolicy authentication = string.IsNullOrEmpty(apiKey)
            ? new AnonymousAuthenticationPolicy()
            : ApiKeyAuthenticationPolicy.CreateBearerAuthorizationPolicy(new ApiKeyCredential(apiKey));
        // The AuthenticationPolicy constructor is marked experimental (OPENAI001); it is the SDK's only way to send no
        // Authorization header to keyless local servers. The SDK version is pinned, so a change cannot surprise us.
#pragma warning disable OPENAI001
        var client = new ChatClient(model, authentication, options);
#pragma warning restore OPENAI001
        var root = endpoint.AbsoluteUri.EndsWith('/') ? endpoint : new Uri(endpoint.AbsoluteUri + "/");
        return new OpenAIChatClient(client, model, new Uri(root, "models"), useMaxCompletionTokens, httpClient, time, redact);
    }

    /// <summary>The pipeline every OpenAI-protocol client shares: our transport, no retries, no logging.</summary>
    internal static T Configure<T>(T options, HttpClient httpClient)
        where T : ClientPipelineOptions
    {
        // No retries in the SDK (its default is 3, with no back-off): Eval360's resilience pipeline retries and counts
        // every attempt. A pass-through in place of ClientRetryPolicy(0) also spares each call its per-try
        // bookkeeping; timeouts are the engine's too (attempt and stall limits).
        options.RetryPolicy = PassThroughPolicy.Instance;
        options.NetworkTimeout = Timeout.InfiniteTimeSpan;

        // The SDK's message logging and tracing would inspect every request and response on the hot path; the engine
        // reports what matters itself, with secrets removed.
        options.MessageLoggingPolicy = PassThroughPolicy.Instance;
        options.ClientLoggingOptions = new ClientLoggingOptions { EnableLogging = false, EnableMessageLogging = false, EnableMessageContentLogging = false };
        options.EnableDistributedTracing = false;
        options.Transport = new HttpClientPipelineTransport(httpClient);
        return options;
    }

    public async IAsyncEnumerable<ChatChunk> StreamAsync(ChatRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        bool structured = request.ResponseFormat is not null && !_structuredOutputUnsupported;
        var sent = new SendTimestampPolicy(_time);
        PipelineResponse response;
        try
        {
            response = await SendAsync(request, structured, sent, cancellationToken).ConfigureAwait(false);
            if (structured && response.Status == 400 && MentionsResponseFormat(response))
            {
                // Servers without structured output (older vLLM, Ollama, proxies) reject response_format: ask again
                // without it and remember; the verdict parser copes with JSON given in plain text.
                response.Dispose();
                _structuredOutputUnsupported = true;
                response = await SendAsync(request, structured: false, sent, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not ProviderException and not OperationCanceledException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw Classify(e, "sending the request");
        }

        using (response)
        {
            if (response.Status is < 200 or >= 300)
            {
                throw HttpFailures.FromResponse(response, request.Image is not null, _redact);
            }

            yield return ChatChunk.SentAt(sent.Timestamp);

            await foreach (var chunk in OpenAIStreamReader.ReadAsync(new TimedBodyStream(response.ContentStream!, _time), _redact, cancellationToken).ConfigureAwait(false))
            {
                yield return chunk;
            }
        }
    }

    /// <summary>Warms connections with <c>GET …/models</c>, which is free.</summary>
    public Task WarmUpAsync(int connections, CancellationToken cancellationToken) =>
        ConnectionWarmer.OpenAsync(_http, _models, connections, cancellationToken);

    private async Task<PipelineResponse> SendAsync(ChatRequest request, bool structured, SendTimestampPolicy sent, CancellationToken cancellationToken)
    {
        using var body = BinaryContent.Create(WriteBody(request, structured));
        var options = new RequestOptions
        {
            BufferResponse = false,
            ErrorOptions = ClientErrorBehaviors.NoThrow,
            CancellationToken = cancellationToken,
        };
        options.AddPolicy(sent, PipelinePosition.BeforeTransport);
        var result = await _client.CompleteChatAsync(body, options).ConfigureAwait(false);
        return result.GetRawResponse();
    }

    private BinaryData WriteBody(ChatRequest request, bool structured)
    {
        var buffer = new ArrayBufferWriter<byte>(1024 + request.Prompt.Length * 2);
        using (var json = new Utf8JsonWriter(buffer, RequestJson))
        {
            json.WriteStartObject();
            json.WriteString("model"u8, _model);
            json.WriteStartArray("messages"u8);
            if (request.SystemPrompt is not null)
            {
                json.WriteStartObject();
                json.WriteString("role"u8, "system"u8);
                json.WriteString("content"u8, request.SystemPrompt);
                json.WriteEndObject();
            }

            json.WriteStartObject();
            json.WriteString("role"u8, "user"u8);
            if (request.Image is null)
            {
                json.WriteString("content"u8, request.Prompt);
            }
            else
            {
                json.WriteStartArray("content"u8);
                json.WriteStartObject();
                json.WriteString("type"u8, "text"u8);
                json.WriteString("text"u8, request.Prompt);
                json.WriteEndObject();
                json.WriteStartObject();
                json.WriteString("type"u8, "image_url"u8);
                json.WriteStartObject("image_url"u8);
                json.WriteString("url"u8, request.Image.ToUrl());
                json.WriteEndObject();
                json.WriteEndObject();
                json.WriteEndArray();
            }

            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteBoolean("stream"u8, true);
            json.WriteStartObject("stream_options"u8);
            json.WriteBoolean("include_usage"u8, true);
            json.WriteEndObject();
            json.WriteNumber(_useMaxCompletionTokens ? "max_completion_tokens"u8 : "max_tokens"u8, request.MaxOutputTokens);
            if (request.Temperature is double temperature)
            {
                json.WriteNumber("temperature"u8, temperature);
            }

            if (structured && request.ResponseFormat is { } format)
            {
                json.WriteStartObject("response_format"u8);
                json.WriteString("type"u8, "json_schema"u8);
                json.WriteStartObject("json_schema"u8);
                json.WriteString("name"u8, format.Name);
                json.WriteBoolean("strict"u8, true);
                json.WritePropertyName("schema"u8);
                json.WriteRawValue(format.Schema.ToMemory().Span, skipInputValidation: true);
                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        return new BinaryData(buffer.WrittenMemory);
    }

    private static bool MentionsResponseFormat(PipelineResponse response)
    {
        response.BufferContent();
        var text = response.Content.ToString();
        return text.Contains("response_format", StringComparison.OrdinalIgnoreCase) || text.Contains("json_schema", StringComparison.OrdinalIgnoreCase);
    }

    private ProviderException Classify(Exception e, string during) => HttpFailures.FromException(e, during, _redact);

    /// <summary>The last step before the transport: notes when the request really leaves.</summary>
    private sealed class SendTimestampPolicy(TimeProvider time) : PipelinePolicy
    {
        public long Timestamp { get; private set; }

        public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            Timestamp = time.GetTimestamp();
            ProcessNext(message, pipeline, currentIndex);
        }

        public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            Timestamp = time.GetTimestamp();
            return ProcessNextAsync(message, pipeline, currentIndex);
        }
    }

    /// <summary>A pipeline step that does nothing but pass the message on.</summary>
    private sealed class PassThroughPolicy : PipelinePolicy
    {
        public static PassThroughPolicy Instance { get; } = new();

        public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex) =>
            ProcessNext(message, pipeline, currentIndex);

        public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex) =>
            ProcessNextAsync(message, pipeline, currentIndex);
    }

    /// <summary>Local servers need no key: send no Authorization header at all rather than a made-up one.</summary>
    private sealed class AnonymousAuthenticationPolicy : AuthenticationPolicy
    {
        public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex) =>
            ProcessNext(message, pipeline, currentIndex);

        public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex) =>
            ProcessNextAsync(message, pipeline, currentIndex);
    }
}
