using System.Buffers;
using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using OpenAI;
using OpenAI.Chat;

namespace Eval360.Providers;

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
    private readonly string _model;
    private readonly bool _useMaxCompletionTokens;
    private readonly Func<string, string> _redact;
    private volatile bool _structuredOutputUnsupported;

    public OpenAIChatClient(string model, Uri endpoint, string? apiKey, bool useMaxCompletionTokens, HttpClient httpClient, Func<string, string> redact)
    {
        _model = model;
        _useMaxCompletionTokens = useMaxCompletionTokens;
        _redact = redact;
        var options = new OpenAIClientOptions
        {
            Endpoint = endpoint,
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            Transport = new HttpClientPipelineTransport(httpClient),
            NetworkTimeout = Timeout.InfiniteTimeSpan,
        };
        AuthenticationPolicy authentication = string.IsNullOrEmpty(apiKey)
            ? new AnonymousAuthenticationPolicy()
            : ApiKeyAuthenticationPolicy.CreateBearerAuthorizationPolicy(new ApiKeyCredential(apiKey));
        // The AuthenticationPolicy constructor is marked experimental (OPENAI001); it is the SDK's only way to send no
        // Authorization header to keyless local servers. The SDK version is pinned, so a change cannot surprise us.
#pragma warning disable OPENAI001
        _client = new ChatClient(model, authentication, options);
#pragma warning restore OPENAI001
    }

    public async IAsyncEnumerable<ChatChunk> StreamAsync(ChatRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        bool structured = request.ResponseFormat is not null && !_structuredOutputUnsupported;
        PipelineResponse response;
        try
        {
            response = await SendAsync(request, structured, cancellationToken).ConfigureAwait(false);
            if (structured && response.Status == 400 && MentionsResponseFormat(response))
            {
                // Servers without structured output (older vLLM, Ollama, proxies) reject response_format: ask again
                // without it and remember; the verdict parser copes with JSON given in plain text.
                response.Dispose();
                _structuredOutputUnsupported = true;
                response = await SendAsync(request, structured: false, cancellationToken).ConfigureAwait(false);
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

            await foreach (var chunk in OpenAIStreamReader.ReadAsync(response.ContentStream!, _redact, cancellationToken).ConfigureAwait(false))
            {
                yield return chunk;
            }
        }
    }

    private async Task<PipelineResponse> SendAsync(ChatRequest request, bool structured, CancellationToken cancellationToken)
    {
        using var body = BinaryContent.Create(WriteBody(request, structured));
        var options = new RequestOptions
        {
            BufferResponse = false,
            ErrorOptions = ClientErrorBehaviors.NoThrow,
            CancellationToken = cancellationToken,
        };
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

    /// <summary>Local servers need no key: send no Authorization header at all rather than a made-up one.</summary>
    private sealed class AnonymousAuthenticationPolicy : AuthenticationPolicy
    {
        public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex) =>
            ProcessNext(message, pipeline, currentIndex);

        public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex) =>
            ProcessNextAsync(message, pipeline, currentIndex);
    }
}
