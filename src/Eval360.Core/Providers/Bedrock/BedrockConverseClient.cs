using System.Net.Http.Headers;
using System.Runtime.CompilerServices;

namespace Eval360.Providers.Bedrock;

/// <summary>
/// Amazon Bedrock's ConverseStream API (<c>bedrock/</c>), as a thin client over AWSSDK.Core rather than the Bedrock
/// Runtime SDK: the AWS SDK finds the credentials (its default chain), signs every request (SigV4, service
/// <c>bedrock</c>) and checks each event-stream message's checksums — or an Amazon Bedrock API key authorises it
/// (<see cref="BedrockAuthorization"/>); this client writes the body, sends it on the shared <see cref="HttpClient"/>
/// and reads the events, so it sees exactly when the request left and when each token arrived, and keeps the status and
/// <c>Retry-After</c> of a refusal. Structured output (judges) is a tool the model is made to call; a model that rejects
/// tools is asked again without, once per client.
/// </summary>
internal sealed class BedrockConverseClient : IModelClient
{
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly Uri _endpoint;
    private readonly Uri _converseStream;
    private readonly string? _serviceTier;
    private readonly BedrockAuthorization _authorization;
    private readonly BedrockImages _images;
    private readonly Func<string, string> _redact;
    private volatile bool _toolsUnsupported;

    /// <param name="endpoint">The Bedrock Runtime endpoint: the profile's <c>endpoint</c>, else the region's.</param>
    public BedrockConverseClient(ModelProfile profile, Uri endpoint, BedrockAuthorization authorization, ProviderContext context)
    {
        _http = context.Http;
        _time = context.Time;
        _serviceTier = profile.ServiceTier;
        _redact = context.Redact;
        _endpoint = endpoint;

        // A model id holds ':' (and an ARN '/'), so it travels escaped as one path segment; the signer canonicalises the
        // escaped path the way the service does (each segment encoded again).
        _converseStream = new Uri(_endpoint, $"model/{Uri.EscapeDataString(profile.Model)}/converse-stream");
        _authorization = authorization;
        _images = new BedrockImages(_http, _redact);
    }

    public async IAsyncEnumerable<ChatChunk> StreamAsync(ChatRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        bool sentImage = request.Image is not null;
        var image = request.Image is null ? null : await _images.LoadAsync(request.Image, cancellationToken).ConfigureAwait(false);
        bool tools = request.ResponseFormat is not null && !_toolsUnsupported;
        HttpResponseMessage response;
        long sent;
        try
        {
            (response, sent) = await SendAsync(request, image, tools, cancellationToken).ConfigureAwait(false);
            if (tools && !response.IsSuccessStatusCode)
            {
                var error = await BedrockErrors.ReadAsync(response, sentImage, cancellationToken).ConfigureAwait(false);
                response.Dispose();
                if (!error.RejectsTools)
                {
                    throw error.ToException(_redact);
                }

                // Models without tool use (or without a forced tool choice) refuse the request: ask again without and
                // remember; the verdict parser reads JSON given as plain text too.
                _toolsUnsupported = true;
                (response, sent) = await SendAsync(request, image, tools: false, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not ProviderException && (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested))
        {
            throw HttpFailures.FromException(e, "sending the request", _redact);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw (await BedrockErrors.ReadAsync(response, sentImage, cancellationToken).ConfigureAwait(false)).ToException(_redact);
            }

            yield return ChatChunk.SentAt(sent);

            Stream body;
            try
            {
                body = new TimedBodyStream(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), _time);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                throw HttpFailures.FromException(e, "reading the stream", _redact);
            }

            await foreach (var chunk in BedrockEventReader.ReadAsync(body, sentImage, _redact, cancellationToken).ConfigureAwait(false))
            {
                yield return chunk;
            }
        }
    }

    /// <summary>Warms connections with unsigned <c>GET</c>s of the endpoint's root: no credentials needed.</summary>
    public Task WarmUpAsync(int connections, CancellationToken cancellationToken) =>
        ConnectionWarmer.OpenAsync(_http, _endpoint, connections, cancellationToken);

    /// <summary>Builds, authorises (signed afresh for every attempt) and sends one request; returns the response and when it left.</summary>
    private async Task<(HttpResponseMessage Response, long Sent)> SendAsync(ChatRequest request, BedrockImage? image, bool tools, CancellationToken cancellationToken)
    {
        var body = BedrockConverseBody.Write(request, image, _serviceTier, tools);
        using var message = new HttpRequestMessage(HttpMethod.Post, _converseStream) { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        await _authorization.AuthorizeAsync(message, body, cancellationToken).ConfigureAwait(false);
        long sent = _time.GetTimestamp();
        var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        return (response, sent);
    }
}
