using System.Buffers;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Eval360.Providers.Bedrock;

/// <summary>
/// Amazon Bedrock's prompt optimization: Agents for Bedrock Runtime's OptimizePrompt (<c>POST /optimize-prompt</c>), a
/// thin client over AWSSDK.Core like <see cref="BedrockConverseClient"/> (the AWS SDK's credential chain, SigV4 signer
/// and event-stream checksums; the AWSSDK.BedrockAgentRuntime package is not needed). The body names the prompt
/// (<c>input.textPrompt.text</c>) and the model to rewrite it for (<c>targetModelId</c>); the reply is an event stream of
/// an <c>analyzePromptEvent</c> (what the service found in the prompt) and an <c>optimizedPromptEvent</c> (the rewritten
/// prompt), or an exception event. It streams like a model — the analysis as reasoning, the optimized prompt as the
/// answer — so it is called the way every call is made: paced, retried, timed out and classified by the same caller.
/// </summary>
internal sealed class BedrockPromptOptimizer : IModelClient
{
    private static readonly JsonWriterOptions RequestJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly Uri _optimizePrompt;
    private readonly string _targetModelId;
    private readonly BedrockAuthorization _authorization;
    private readonly Func<string, string> _redact;

    /// <param name="endpoint">The Agents for Bedrock Runtime endpoint (see <see cref="BedrockProvider.AgentRuntimeEndpoint"/>).</param>
    /// <param name="authorization">Always a SigV4 signature: Amazon Bedrock API keys do not cover the agent runtime.</param>
    public BedrockPromptOptimizer(ModelProfile profile, Uri endpoint, BedrockAuthorization authorization, ProviderContext context)
    {
        _http = context.Http;
        _time = context.Time;
        _redact = context.Redact;
        _authorization = authorization;
        _optimizePrompt = new Uri(endpoint, "optimize-prompt");
        _targetModelId = TargetModelId(profile.Model);
    }

    /// <summary>
    /// The model id OptimizePrompt takes: the foundation model's. A cross-Region inference profile id
    /// (<c>us.amazon.nova-pro-v1:0</c>: a geography, then the model) loses its geography prefix, which the operation's
    /// model id pattern does not allow; model ids (<c>amazon.nova-pro-v1:0</c>) and ARNs pass as they are.
    /// </summary>
    public static string TargetModelId(string model)
    {
        int colon = model.IndexOf(':', StringComparison.Ordinal);
        var name = colon < 0 ? model : model[..colon];
        int firstDot = name.IndexOf('.', StringComparison.Ordinal);
        return firstDot > 0 && name.IndexOf('.', firstDot + 1) > 0 ? model[(firstDot + 1)..] : model;
    }

    public async IAsyncEnumerable<ChatChunk> StreamAsync(ChatRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var body = Body(request.Prompt, _targetModelId);
        HttpResponseMessage response;
        long sent;
        try
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, _optimizePrompt) { Content = new ByteArrayContent(body) };
            message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            await _authorization.AuthorizeAsync(message, body, cancellationToken).ConfigureAwait(false);
            sent = _time.GetTimestamp();
            response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not ProviderException && (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested))
        {
            throw HttpFailures.FromException(e, "sending the prompt optimization request", _redact);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw (await BedrockErrors.ReadAsync(response, sentImage: false, cancellationToken).ConfigureAwait(false)).ToException(_redact);
            }

            yield return ChatChunk.SentAt(sent);
            Stream stream;
            try
            {
                stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                throw HttpFailures.FromException(e, "reading the stream", _redact);
            }

            var frames = new EventStreamFrames(stream, _redact);
            bool optimized = false;
            while (await frames.NextAsync(cancellationToken).ConfigureAwait(false) is { } message)
            {
                switch (EventStreamFrames.StringHeader(message, ":message-type"))
                {
                    case "exception":
                        throw BedrockErrors.FromStreamEvent(EventStreamFrames.StringHeader(message, ":exception-type"),
                            BedrockEventReader.PayloadMessage(message.Payload), sentImage: false, _redact);
                    case "error":
                        throw BedrockErrors.FromStreamEvent(EventStreamFrames.StringHeader(message, ":error-code"),
                            EventStreamFrames.StringHeader(message, ":error-message") ?? "unspecified error", sentImage: false, _redact);
                    case "event":
                        break;
                    default:
                        continue;
                }

                switch (EventStreamFrames.StringHeader(message, ":event-type"))
                {
                    case "analyzePromptEvent" when Text(message.Payload, "message") is { Length: > 0 } analysis:
                        yield return ChatChunk.Reasoning(analysis);
                        break;
                    case "optimizedPromptEvent" when Text(message.Payload, "optimizedPrompt", "textPrompt", "text") is { Length: > 0 } text:
                        optimized = true;
                        yield return ChatChunk.Answer(text);
                        break;
                }
            }

            if (!optimized)
            {
                throw new ProviderException(FailureKind.EmptyResponse, "the prompt optimization stream ended without an optimized prompt");
            }

            yield return ChatChunk.End;
        }
    }

    /// <summary><c>{"input": {"textPrompt": {"text"}}, "targetModelId"}</c>.</summary>
    internal static byte[] Body(string prompt, string targetModelId)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + prompt.Length * 2);
        using (var json = new Utf8JsonWriter(buffer, RequestJson))
        {
            json.WriteStartObject();
            json.WriteStartObject("input"u8);
            json.WriteStartObject("textPrompt"u8);
            json.WriteString("text"u8, prompt);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteString("targetModelId"u8, targetModelId);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The string at <paramref name="path"/> in an event's JSON payload; null when it is not there.</summary>
    private static string? Text(byte[] payload, params string[] path)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            var element = document.RootElement;
            foreach (var name in path)
            {
                if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
                {
                    return null;
                }
            }

            return element.ValueKind == JsonValueKind.String ? element.GetString() : null;
        }
        catch (JsonException e)
        {
            throw new ProviderException(FailureKind.InvalidResponse, $"an optimization event's payload is not JSON: {e.Message}", inner: e);
        }
    }
}
