using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Anthropic;
using Anthropic.Core;
using Anthropic.Models.Messages;
using Eval360.Configuration;

namespace Eval360.Providers.Anthropic;

/// <summary>
/// Anthropic's Messages API (<c>anthropic/</c>) over the official Anthropic .NET SDK.
/// <para>
/// It uses the SDK's client, request path and transport — <see cref="IAnthropicClientWithRawResponse.Execute{T}"/> with
/// a <see cref="MessageCreateParams"/> made from the body written here, the SDK's lowest level — and reads the stream
/// itself, because the SDK would hide what a benchmark must see: its exceptions for HTTP errors keep the status and the
/// body but not the headers (<c>retry-after</c>, <c>anthropic-ratelimit-*-reset</c>), and its typed stream ends quietly
/// when the connection closes before <c>message_stop</c> and turns every event into a model object. A delegating
/// handler, the SDK's own extension point and the last step before the shared HttpClient, notes when the request
/// leaves, sends the key and the API version, and hands error responses back whole instead of to the SDK.
/// </para>
/// <para>
/// The SDK (13.x) would send a key as <c>Authorization: Bearer</c> and <c>anthropic-version: 2026-10-21</c>; this client
/// sends <c>x-api-key</c>, the API's documented header for keys, and pins <c>2023-06-01</c>, whose stream format
/// <see cref="AnthropicStreamReader"/> parses. The SDK is given no credential at all, so it never looks for one in the
/// environment, in profile files or through workload identity: which key goes where is Eval360's decision
/// (<c>api_key_env</c>, <c>.env</c>), and every key it hands out is redacted. The SDK's retries are off (Eval360's
/// resilience pipeline owns and counts them) and so is its tracing.
/// </para>
/// </summary>
internal sealed class AnthropicMessagesClient : IModelClient
{
    public const string ApiVersion = "2023-06-01";

    /// <summary>JSON for an API, not for HTML: prompts keep their characters instead of growing into \u escapes.</summary>
    private static readonly JsonWriterOptions RequestJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly IReadOnlyDictionary<string, JsonElement> None = new Dictionary<string, JsonElement>();

    /// <summary>Where <see cref="WireHandler"/> leaves the moment the request went out, on the request itself.</summary>
    private static readonly HttpRequestOptionsKey<long> SentAtKey = new("eval360.sent-at");

    /// <summary>Never disposed: disposing an SDK client disposes the HttpClient it was given, which is shared.</summary>
    private readonly IAnthropicClientWithRawResponse _client;
    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly string _model;
    private readonly Func<string, string> _redact;
    private readonly TimeProvider _time;

    public AnthropicMessagesClient(string model, Uri endpoint, string apiKey, HttpClient http, TimeProvider time, Func<string, string> redact)
    {
        _time = time;
        _model = model;
        _endpoint = endpoint;
        _http = http;
        _redact = redact;
        var client = new AnthropicClient(new ClientOptions
        {
            HttpClient = http,
            Handlers = [new WireHandler(apiKey, time)],
            BaseUrl = endpoint.AbsoluteUri,

            // Null, not unset: an unset credential makes the SDK search the environment and profile files.
            ApiKey = null,
            AuthToken = null,

            MaxRetries = 0,

            // The engine's attempt and stall limits are the real ones. The SDK's covers only the wait for response
            // headers; an infinite one would go out as the header X-Stainless-Timeout: -0.001.
            Timeout = TimeSpan.FromHours(1),
            OpenTelemetry = false,
        });
        _client = client.WithRawResponse;
    }

    public async IAsyncEnumerable<ChatChunk> StreamAsync(ChatRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        HttpResponse response;
        try
        {
            response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (ErrorResponseException e)
        {
            using (e.Response)
            {
                throw await HttpFailures.FromResponseAsync(e.Response, request.Image is not null, _redact, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not ProviderException and not OperationCanceledException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw HttpFailures.FromException(e, "sending the request", _redact);
        }

        using (response)
        {
            if (response.RawMessage.RequestMessage?.Options.TryGetValue(SentAtKey, out var sent) == true)
            {
                yield return ChatChunk.SentAt(sent);
            }

            Stream stream;
            try
            {
                stream = new TimedBodyStream(await response.RawMessage.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), _time);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                throw HttpFailures.FromException(e, "reading the stream", _redact);
            }

            await foreach (var chunk in AnthropicStreamReader.ReadAsync(stream, _redact, cancellationToken).ConfigureAwait(false))
            {
                yield return chunk;
            }
        }
    }

    /// <summary>Warms connections with <c>GET</c>s of the base URL.</summary>
    public Task WarmUpAsync(int connections, CancellationToken cancellationToken) =>
        ConnectionWarmer.OpenAsync(_http, _endpoint, connections, cancellationToken);

    private async Task<HttpResponse> SendAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        // The SDK takes a body as JSON values; they point into the document, which must outlive the send.
        using var body = JsonDocument.Parse(WriteBody(request));
        var parameters = MessageCreateParams.FromRawUnchecked(None, None, body.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value));
        return await _client.Execute(new HttpRequest<MessageCreateParams> { Method = HttpMethod.Post, Params = parameters }, cancellationToken).ConfigureAwait(false);
    }

    private ReadOnlyMemory<byte> WriteBody(ChatRequest request)
    {
        var buffer = new ArrayBufferWriter<byte>(1024 + request.Prompt.Length * 2);
        using (var json = new Utf8JsonWriter(buffer, RequestJson))
        {
            json.WriteStartObject();
            json.WriteString("model"u8, _model);
            json.WriteNumber("max_tokens"u8, request.MaxOutputTokens);
            if (request.Temperature is double temperature)
            {
                json.WriteNumber("temperature"u8, temperature);
            }

            if (request.SystemPrompt is not null)
            {
                json.WriteString("system"u8, request.SystemPrompt);
            }

            json.WriteStartArray("messages"u8);
            json.WriteStartObject();
            json.WriteString("role"u8, "user"u8);
            json.WriteStartArray("content"u8);
            json.WriteStartObject();
            json.WriteString("type"u8, "text"u8);
            json.WriteString("text"u8, request.Prompt);
            json.WriteEndObject();
            if (request.Image is { } image)
            {
                WriteImage(json, image);
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();

            if (request.ResponseFormat is { } format)
            {
                // Anthropic's structured output: one tool whose input is the schema, and the model made to call it.
                // Its input streams as input_json_delta fragments, which the reader passes on as answer text.
                json.WriteStartArray("tools"u8);
                json.WriteStartObject();
                json.WriteString("name"u8, format.Name);
                json.WriteString("description"u8, "Give the reply as this JSON object.");
                json.WritePropertyName("input_schema"u8);
                json.WriteRawValue(format.Schema.ToMemory().Span, skipInputValidation: true);
                json.WriteEndObject();
                json.WriteEndArray();
                json.WriteStartObject("tool_choice"u8);
                json.WriteString("type"u8, "tool"u8);
                json.WriteString("name"u8, format.Name);
                json.WriteEndObject();
            }

            json.WriteBoolean("stream"u8, true);
            json.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }

    /// <summary>A web image by URL (the API fetches it); a local file or a <c>data:</c> URI inline, as base64.</summary>
    private static void WriteImage(Utf8JsonWriter json, ImageReference image)
    {
        json.WriteStartObject();
        json.WriteString("type"u8, "image"u8);
        json.WriteStartObject("source"u8);
        if (image.IsRemote)
        {
            json.WriteString("type"u8, "url"u8);
            json.WriteString("url"u8, image.Original);
        }
        else
        {
            var dataUri = image.ToUrl();
            json.WriteString("type"u8, "base64"u8);
            json.WriteString("media_type"u8, image.MediaType.ToLowerInvariant());
            json.WriteString("data"u8, dataUri.AsSpan(dataUri.IndexOf(',', StringComparison.Ordinal) + 1));
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>
    /// The last step before the shared HttpClient: notes when the request leaves, sends the key and the API version,
    /// and hands an error response back whole (the SDK's exception for it would keep the body but not the headers).
    /// </summary>
    private sealed class WireHandler(string apiKey, TimeProvider time) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var headers = request.Headers;
            headers.Remove("anthropic-version");
            headers.TryAddWithoutValidation("anthropic-version", ApiVersion);
            headers.Remove("x-api-key");
            headers.TryAddWithoutValidation("x-api-key", apiKey);
            request.Options.Set(SentAtKey, time.GetTimestamp());
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? response : throw new ErrorResponseException(response);
        }
    }

    /// <summary>Carries an error response past the SDK, which passes exceptions of its transport on unchanged.</summary>
    private sealed class ErrorResponseException(HttpResponseMessage response) : Exception($"HTTP {(int)response.StatusCode}")
    {
        public HttpResponseMessage Response { get; } = response;
    }
}
