using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;

namespace Eval360.FakeProviders;

/// <summary>
/// <c>POST /v1/messages</c>: authenticates (<c>x-api-key</c>, <c>anthropic-version</c>), validates and answers a
/// Messages API request the way Anthropic does, with the behaviour chosen by the body's <c>model</c>.
/// </summary>
internal sealed class AnthropicMessagesEndpoint(FakeOpenAIServer server)
{
    public async Task ServeAsync(HttpContext context, RequestTrace trace, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var requestId = "req_" + server.Tag + "-" + trace.Sequence.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["request-id"] = requestId;
        if (!HttpMethods.IsPost(request.Method))
        {
            await RejectAsync(context, trace, AnthropicError.MethodNotAllowed(), requestId).ConfigureAwait(false);
            return;
        }

        trace.ApiVersion = request.Headers["anthropic-version"].ToString() is { Length: > 0 } version ? version : null;
        if (Authenticate(request, trace) is { } denied)
        {
            await RejectAsync(context, trace, denied, requestId).ConfigureAwait(false);
            return;
        }

        var (parsed, behavior) = await ReadRequestAsync(context, trace, requestId, cancellationToken).ConfigureAwait(false);
        if (parsed is null || behavior is null)
        {
            return;
        }

        if (behavior.Status is int status)
        {
            await SendStatusFaultAsync(context, trace, behavior, status, requestId).ConfigureAwait(false);
            return;
        }

        var plan = ReplyPlan.For(behavior, parsed);
        if (server.Log.Enabled)
        {
            trace.ReplyContent = plan.Content;
        }

        var sequence = server.Tag + "-" + trace.Sequence.ToString(CultureInfo.InvariantCulture);
        var json = new AnthropicJson("msg_" + sequence, "toolu_" + sequence, parsed.Model);
        var writer = new AnthropicReplyWriter(context, plan, behavior, parsed, json, trace, server.Delay);
        if (parsed.Stream)
        {
            await writer.StreamAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private AnthropicError? Authenticate(HttpRequest request, RequestTrace trace)
    {
        string? apiKey = request.Headers["x-api-key"];
        if (server.RequiredApiKey is { } key && apiKey != key)
        {
            return AnthropicError.Authentication(string.IsNullOrEmpty(apiKey) ? "x-api-key header is required" : "invalid x-api-key");
        }

        return trace.ApiVersion is null ? AnthropicError.InvalidRequest("anthropic-version: header is required") : null;
    }

    /// <summary>Reads and validates the body and picks the behaviour; on a 400 it has already answered and returns nulls.</summary>
    private async Task<(ParsedChatRequest? Request, ModelBehavior? Behavior)> ReadRequestAsync(
        HttpContext context, RequestTrace trace, string requestId, CancellationToken cancellationToken)
    {
        var reader = context.Request.BodyReader;
        var body = await RequestBody.ReadToEndAsync(reader, cancellationToken).ConfigureAwait(false);
        try
        {
            if (server.Log.Enabled)
            {
                trace.BodyJson = Encoding.UTF8.GetString(body);
            }

            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(body);
            }
            catch (JsonException)
            {
                await RejectAsync(context, trace, AnthropicError.InvalidRequest("There was an issue with your request body: it is not valid JSON."), requestId).ConfigureAwait(false);
                return (null, null);
            }

            using (document)
            {
                var parsed = AnthropicRequestParser.Parse(document.RootElement, out var invalid);
                if (parsed is null)
                {
                    await RejectAsync(context, trace, invalid!, requestId).ConfigureAwait(false);
                    return (null, null);
                }

                trace.Request = parsed;
                var behavior = server.Resolve(trace, parsed, document.RootElement);
                trace.Behavior = behavior;
                return (parsed, behavior);
            }
        }
        finally
        {
            reader.AdvanceTo(body.End);
        }
    }

    /// <summary>
    /// An injected status with Anthropic's error body and its retry hints: <c>retry-after</c> (and <c>retry-after-ms</c>)
    /// as configured, and with <see cref="ModelBehavior.RateLimitReset"/> the <c>anthropic-ratelimit-*</c> headers of an
    /// exhausted request limit beside a token limit that is not.
    /// </summary>
    private static async Task SendStatusFaultAsync(HttpContext context, RequestTrace trace, ModelBehavior behavior, int status, string requestId)
    {
        var headers = context.Response.Headers;
        if (behavior.RetryAfter is { } retryAfter)
        {
            headers.RetryAfter = retryAfter;
        }

        if (behavior.RetryAfterMs is int retryAfterMs)
        {
            headers["retry-after-ms"] = retryAfterMs.ToString(CultureInfo.InvariantCulture);
        }

        if (behavior.RateLimitReset is { } reset)
        {
            var now = DateTimeOffset.UtcNow;
            headers["anthropic-ratelimit-requests-limit"] = "50";
            headers["anthropic-ratelimit-requests-remaining"] = "0";
            headers["anthropic-ratelimit-requests-reset"] = Rfc3339(now + reset);
            headers["anthropic-ratelimit-tokens-limit"] = "100000";
            headers["anthropic-ratelimit-tokens-remaining"] = "100000";
            headers["anthropic-ratelimit-tokens-reset"] = Rfc3339(now);
        }

        await SendErrorAsync(context, trace, AnthropicError.ForStatus(status, behavior.ErrorType, behavior.ErrorMessage), requestId).ConfigureAwait(false);
        trace.Outcome = ServedOutcome.StatusFault;
    }

    private static async Task RejectAsync(HttpContext context, RequestTrace trace, AnthropicError error, string requestId)
    {
        await SendErrorAsync(context, trace, error, requestId).ConfigureAwait(false);
        trace.Outcome = ServedOutcome.Rejected;
    }

    private static async Task SendErrorAsync(HttpContext context, RequestTrace trace, AnthropicError error, string requestId)
    {
        var body = error.ToJson(requestId);
        var response = context.Response;
        response.StatusCode = error.Status;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        trace.StatusCode = error.Status;
        trace.Error = error.Message;
        await response.Body.WriteAsync(body).ConfigureAwait(false);
        await response.CompleteAsync().ConfigureAwait(false);
        trace.LastByteFlushTimestamp = System.Diagnostics.Stopwatch.GetTimestamp();
    }

    private static string Rfc3339(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
