using System.Diagnostics;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;

namespace Eval360.FakeProviders;

/// <summary>
/// Routes, authenticates, validates and answers every request the fake receives (Anthropic's Messages route is answered
/// by <see cref="AnthropicMessagesEndpoint"/>).
/// </summary>
internal sealed class ChatCompletionsEndpoint(FakeOpenAIServer server)
{
    private const string ChatCompletionsSuffix = "/chat/completions";
    private const string AzureDeploymentsPrefix = "/openai/deployments/";

    private readonly AnthropicMessagesEndpoint _anthropic = new(server);

    public async Task HandleAsync(HttpContext context)
    {
        var arrival = Stopwatch.GetTimestamp();
        var request = context.Request;
        var path = request.Path.Value ?? "";
        if (path.StartsWith(ControlEndpoints.Prefix, StringComparison.Ordinal))
        {
            await ControlEndpoints.HandleAsync(context, server).ConfigureAwait(false);
            return;
        }

        var route = RouteOf(path, out var deployment);
        var trace = new RequestTrace(server.NextSequence(), arrival, route)
        {
            Method = request.Method,
            PathAndQuery = path + request.QueryString.Value,
        };
        if (server.Log.Enabled)
        {
            trace.Headers = HeadersOf(request);
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, server.Stopping);
        try
        {
            var serving = trace.Route == ChatRoute.AnthropicMessages
                ? _anthropic.ServeAsync(context, trace, linked.Token)
                : ServeAsync(context, trace, deployment, linked.Token);
            await serving.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            trace.Outcome = server.Stopping.IsCancellationRequested ? ServedOutcome.ServerStopped : ServedOutcome.ClientDisconnected;
            trace.LastByteFlushTimestamp ??= Stopwatch.GetTimestamp();
            context.Abort();
        }
        catch (Exception e)
        {
            trace.Outcome = ServedOutcome.ServerError;
            trace.Error = e.ToString();
            server.ReportServerError(e);
            context.Abort();
        }
        finally
        {
            server.Log.Add(trace.Freeze());
        }
    }

    private async Task ServeAsync(HttpContext context, RequestTrace trace, string? deployment, CancellationToken cancellationToken)
    {
        var request = context.Request;
        context.Response.Headers["x-request-id"] = "req_" + server.Tag + "-" + trace.Sequence.ToString(CultureInfo.InvariantCulture);
        if (trace.Route == ChatRoute.Unmatched)
        {
            await RejectAsync(context, trace, OpenAIError.NotFound(request.Method, request.Path.Value ?? "")).ConfigureAwait(false);
            return;
        }

        if (!HttpMethods.IsPost(request.Method))
        {
            await RejectAsync(context, trace, OpenAIError.MethodNotAllowed(request.Method, request.Path.Value ?? "")).ConfigureAwait(false);
            return;
        }

        trace.ApiVersion = request.Query["api-version"].ToString() is { Length: > 0 } version ? version : null;
        if (Authenticate(request, trace) is { } denied)
        {
            await RejectAsync(context, trace, denied).ConfigureAwait(false);
            return;
        }

        var (parsed, behavior) = await ReadRequestAsync(context, trace, deployment, cancellationToken).ConfigureAwait(false);
        if (parsed is null || behavior is null)
        {
            return;
        }

        if (behavior.RejectResponseFormat && parsed.ResponseFormatType is not null)
        {
            await RejectAsync(context, trace, OpenAIError.ResponseFormatUnsupported()).ConfigureAwait(false);
            return;
        }

        if (behavior.Status is int status)
        {
            await SendStatusFaultAsync(context, trace, behavior, status).ConfigureAwait(false);
            return;
        }

        var plan = ReplyPlan.For(behavior, parsed);
        if (server.Log.Enabled)
        {
            trace.ReplyContent = plan.Content;
        }

        var sendUsage = parsed.Stream && parsed.IncludeUsage && behavior.IncludeUsage;
        var id = "chatcmpl-" + server.Tag + "-" + trace.Sequence.ToString(CultureInfo.InvariantCulture);
        var json = new CompletionJson(id, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), parsed.Model, usageField: sendUsage);
        var writer = new ReplyWriter(context, plan, behavior, json, trace, server.Delay);
        if (parsed.Stream)
        {
            await writer.StreamAsync(sendUsage, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads and validates the body and picks the behaviour; on a 400 it has already answered and returns nulls.</summary>
    private async Task<(ParsedChatRequest? Request, ModelBehavior? Behavior)> ReadRequestAsync(
        HttpContext context, RequestTrace trace, string? deployment, CancellationToken cancellationToken)
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
                await RejectAsync(context, trace, OpenAIError.InvalidRequest(
                    "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
                    param: null, code: null)).ConfigureAwait(false);
                return (null, null);
            }

            using (document)
            {
                var parsed = ChatRequestParser.Parse(document.RootElement, deployment, out var invalid);
                if (parsed is null)
                {
                    await RejectAsync(context, trace, invalid!).ConfigureAwait(false);
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

    private OpenAIError? Authenticate(HttpRequest request, RequestTrace trace)
    {
        var key = server.RequiredApiKey;
        string? authorization = request.Headers.Authorization;
        string? apiKey = request.Headers["api-key"];
        switch (trace.Route)
        {
            case ChatRoute.OpenAI or ChatRoute.Gemini when key is not null && authorization != "Bearer " + key:
                return OpenAIError.InvalidApiKey(string.IsNullOrEmpty(authorization)
                    ? "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."
                    : $"Incorrect API key provided: {Mask(authorization)}.");
            case ChatRoute.AzureDeployment when trace.ApiVersion is null:
                return OpenAIError.AzureAccessDenied("Missing required query parameter: api-version.");
            case ChatRoute.AzureDeployment when string.IsNullOrEmpty(apiKey) || (key is not null && apiKey != key):
            case ChatRoute.AzureV1 when key is null ? string.IsNullOrEmpty(apiKey) && string.IsNullOrEmpty(authorization)
                                                   : apiKey != key && authorization != "Bearer " + key:
                return OpenAIError.AzureAccessDenied(
                    "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.");
            default:
                return null;
        }
    }

    private static async Task SendStatusFaultAsync(HttpContext context, RequestTrace trace, ModelBehavior behavior, int status)
    {
        var response = context.Response;
        if (behavior.RetryAfter is { } retryAfter)
        {
            response.Headers.RetryAfter = retryAfter;
        }

        if (behavior.RetryAfterMs is int retryAfterMs)
        {
            response.Headers["retry-after-ms"] = retryAfterMs.ToString(CultureInfo.InvariantCulture);
        }

        await SendErrorAsync(context, trace, OpenAIError.ForStatus(status, behavior.ErrorMessage)).ConfigureAwait(false);
        trace.Outcome = ServedOutcome.StatusFault;
    }

    private static async Task RejectAsync(HttpContext context, RequestTrace trace, OpenAIError error)
    {
        await SendErrorAsync(context, trace, error).ConfigureAwait(false);
        trace.Outcome = ServedOutcome.Rejected;
    }

    private static async Task SendErrorAsync(HttpContext context, RequestTrace trace, OpenAIError error)
    {
        var body = error.ToJson();
        var response = context.Response;
        response.StatusCode = error.Status;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        trace.StatusCode = error.Status;
        trace.Error = error.Message;
        await response.Body.WriteAsync(body).ConfigureAwait(false);
        await response.CompleteAsync().ConfigureAwait(false);
        trace.LastByteFlushTimestamp = Stopwatch.GetTimestamp();
    }

    private static ChatRoute RouteOf(string path, out string? deployment)
    {
        deployment = null;
        switch (path)
        {
            case "/v1/chat/completions":
                return ChatRoute.OpenAI;
            case "/v1beta/openai/chat/completions":
                return ChatRoute.Gemini;
            case "/openai/v1/chat/completions":
                return ChatRoute.AzureV1;
            case "/v1/messages":
                return ChatRoute.AnthropicMessages;
        }

        if (path.StartsWith(AzureDeploymentsPrefix, StringComparison.Ordinal) && path.EndsWith(ChatCompletionsSuffix, StringComparison.Ordinal))
        {
            var name = path[AzureDeploymentsPrefix.Length..^ChatCompletionsSuffix.Length];
            if (name.Length > 0 && !name.Contains('/', StringComparison.Ordinal))
            {
                deployment = name;
                return ChatRoute.AzureDeployment;
            }
        }

        return ChatRoute.Unmatched;
    }

    private static Dictionary<string, string> HeadersOf(HttpRequest request)
    {
        var headers = new Dictionary<string, string>(request.Headers.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers)
        {
            headers[name] = values.ToString();
        }

        return headers;
    }

    /// <summary>Shows a key the way OpenAI's error does: the start and the last four characters.</summary>
    private static string Mask(string authorization)
    {
        var key = authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization["Bearer ".Length..] : authorization;
        return key.Length <= 8 ? "****" : string.Concat(key.AsSpan(0, 4), new string('*', 4), key.AsSpan(key.Length - 4));
    }
}
