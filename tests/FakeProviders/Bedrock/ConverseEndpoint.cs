using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace Eval360.FakeProviders;

/// <summary>Routes, authenticates (SigV4), validates and answers every request a <see cref="FakeBedrockServer"/> receives.</summary>
internal sealed class ConverseEndpoint(FakeBedrockServer server)
{
    private const string ModelPrefix = "/model/";

    private const string FilesPrefix = "/files/";

    public async Task HandleAsync(HttpContext context)
    {
        if (HttpMethods.IsGet(context.Request.Method) && context.Request.Path.StartsWithSegments(FilesPrefix.TrimEnd('/'), out var name))
        {
            await ServeFileAsync(context, name.Value?.TrimStart('/') ?? "").ConfigureAwait(false);
            return;
        }

        var served = new BedrockServedRequest(server.NextSequence(), Stopwatch.GetTimestamp())
        {
            Method = context.Request.Method,
            RawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path + context.Request.QueryString,
        };
        if (server.Log.Enabled)
        {
            served.Headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, server.Stopping);
        try
        {
            await ServeAsync(context, served, linked.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            served.Outcome = server.Stopping.IsCancellationRequested ? ServedOutcome.ServerStopped : ServedOutcome.ClientDisconnected;
            served.LastByteFlushTimestamp ??= Stopwatch.GetTimestamp();
            context.Abort();
        }
        catch (Exception e)
        {
            served.Outcome = ServedOutcome.ServerError;
            served.ErrorMessage = e.ToString();
            server.ReportServerError();
            context.Abort();
        }
        finally
        {
            server.Log.Add(served);
        }
    }

    private async Task ServeAsync(HttpContext context, BedrockServedRequest served, CancellationToken cancellationToken)
    {
        var request = context.Request;
        context.Response.Headers["x-amzn-RequestId"] = $"{server.Tag}-{served.Sequence.ToString(CultureInfo.InvariantCulture)}";
        var (modelId, operation) = RouteOf(served.RawTarget);
        if (operation is null || !HttpMethods.IsPost(request.Method))
        {
            // What a connection warm-up (an unsigned GET of the root) gets, as from the real endpoint: a refusal, any status will do.
            await RefuseAsync(context, served, BedrockError.UnknownOperation()).ConfigureAwait(false);
            return;
        }

        (served.ModelId, served.Operation) = (modelId, operation);
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        var body = buffer.ToArray();
        if (server.Log.Enabled)
        {
            served.BodyJson = Encoding.UTF8.GetString(body);
        }

        if (Authenticate(request, served, operation, body) is { } refusal)
        {
            await RefuseAsync(context, served, refusal).ConfigureAwait(false);
            return;
        }

        if (operation == OptimizePromptReply.Operation)
        {
            await OptimizePromptReply.ServeAsync(context, server, served, body, cancellationToken).ConfigureAwait(false);
            return;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            await RefuseAsync(context, served, BedrockError.Validation("Malformed input request, please reformat your input and try again.")).ConfigureAwait(false);
            return;
        }

        ParsedConverseRequest? parsed;
        ModelBehavior behavior;
        using (document)
        {
            parsed = ConverseRequestParser.Parse(document.RootElement, modelId!, operation == "converse-stream", out var invalid);
            if (parsed is null)
            {
                await RefuseAsync(context, served, invalid!).ConfigureAwait(false);
                return;
            }

            behavior = server.Resolve(served.Sequence, parsed, document.RootElement);
        }

        Record(served, parsed, behavior, server.Log.Enabled);
        if (behavior.RejectResponseFormat && parsed.HasToolConfig)
        {
            await RefuseAsync(context, served, BedrockError.Validation("This model doesn't support tool use.")).ConfigureAwait(false);
            return;
        }

        if (parsed.ServiceTier is { } tier && behavior.RefusedServiceTiers?.Contains(tier, StringComparer.Ordinal) == true)
        {
            await RefuseAsync(context, served, BedrockError.Validation($"The provided service tier '{tier}' is not supported for model {parsed.ModelId} in this Region.")).ConfigureAwait(false);
            return;
        }

        if (behavior.Status is int status)
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

            await SendErrorAsync(context, served, BedrockError.ForStatus(status, behavior.ErrorMessage)).ConfigureAwait(false);
            served.Outcome = ServedOutcome.StatusFault;
            return;
        }

        var plan = BedrockReplyPlan.For(behavior, parsed);
        (served.ReplyContent, served.RepliedWithTool) = (server.Log.Enabled ? plan.Content : null, plan.ViaTool);
        var writer = new ConverseReplyWriter(context, plan, behavior, served, server.Delay, $"tooluse_{server.Tag}{served.Sequence.ToString(CultureInfo.InvariantCulture)}");
        if (parsed.Stream)
        {
            await writer.StreamAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ServeFileAsync(HttpContext context, string name)
    {
        var response = context.Response;
        if (!server.Files.TryGetValue(name, out var content))
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        response.ContentType = Path.GetExtension(name).ToLowerInvariant() switch
        {
            ".png" => "image/png",
            ".jpg" or ".jpeg" => "image/jpeg",
            ".gif" => "image/gif",
            ".webp" => "image/webp",
            _ => "application/octet-stream",
        };
        response.ContentLength = content.Length;
        await response.Body.WriteAsync(content, context.RequestAborted).ConfigureAwait(false);
    }

    private static void Record(BedrockServedRequest served, ParsedConverseRequest parsed, ModelBehavior behavior, bool keepContent)
    {
        served.Prompt = keepContent ? parsed.Prompt : null;
        served.SystemPrompt = keepContent ? parsed.SystemPrompt : null;
        served.ImageBytes = keepContent ? parsed.ImageBytes : null;
        served.MaxTokens = parsed.MaxTokens;
        served.Temperature = parsed.Temperature;
        served.ServiceTier = parsed.ServiceTier;
        served.ToolName = parsed.ToolName;
        served.ToolChoice = parsed.ToolChoice;
        served.ImageFormat = parsed.ImageFormat;
        served.IsJudge = parsed.IsJudge;
        served.Behavior = behavior;
    }

    /// <summary>
    /// Checks the request's authorization: with a configured <see cref="FakeBedrockOptions.BearerToken"/>, a model
    /// request may carry <c>Authorization: Bearer</c> with it (an API key, no signature); anything else must be signed
    /// with SigV4. Returns the refusal to send, or null when the request may go on.
    /// </summary>
    private BedrockError? Authenticate(HttpRequest request, BedrockServedRequest served, string operation, byte[] body)
    {
        string? Header(string name) => request.Headers.TryGetValue(name, out var value) ? value.ToString() : null;
        var authorization = Header("Authorization");
        if (server.Options.BearerToken is { } apiKey && operation != OptimizePromptReply.Operation
            && authorization?.StartsWith("Bearer ", StringComparison.Ordinal) == true)
        {
            served.AuthScheme = "Bearer";
            served.BearerAccepted = CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(authorization[7..]), Encoding.UTF8.GetBytes(apiKey));
            return served.BearerAccepted ? null : new BedrockError(403, "UnrecognizedClientException", "The security token included in the request is invalid.");
        }

        served.AuthScheme = authorization?.StartsWith("AWS4-", StringComparison.Ordinal) == true ? "SigV4" : authorization?.Split(' ')[0];
        var signature = server.Verifier.Verify(request.Method, served.RawTarget, Header, body, DateTimeOffset.UtcNow);
        (served.AccessKeyId, served.Region, served.SigningService) = (signature.AccessKeyId, signature.Region, signature.Service);
        (served.SignatureVerified, served.SignatureProblem) = (signature.Valid, signature.Message);
        return signature.Valid ? null : new BedrockError(signature.Status, signature.ErrorType!, signature.Message!);
    }

    /// <summary>
    /// <c>/model/{modelId}/converse-stream</c> or <c>/model/{modelId}/converse</c>, the id percent-decoded, or
    /// <c>/optimize-prompt</c> (the model is in its body).
    /// </summary>
    private static (string? ModelId, string? Operation) RouteOf(string rawTarget)
    {
        int question = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? rawTarget : rawTarget[..question];
        if (path == "/" + OptimizePromptReply.Operation)
        {
            return (null, OptimizePromptReply.Operation);
        }

        if (!path.StartsWith(ModelPrefix, StringComparison.Ordinal))
        {
            return (null, null);
        }

        var rest = path[ModelPrefix.Length..];
        int slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            return (null, null);
        }

        var operation = rest[(slash + 1)..];
        return operation is "converse-stream" or "converse" ? (Uri.UnescapeDataString(rest[..slash]), operation) : (null, null);
    }

    private static async Task RefuseAsync(HttpContext context, BedrockServedRequest served, BedrockError error)
    {
        await SendErrorAsync(context, served, error).ConfigureAwait(false);
        served.Outcome = ServedOutcome.Rejected;
    }

    private static async Task SendErrorAsync(HttpContext context, BedrockServedRequest served, BedrockError error)
    {
        (served.StatusCode, served.ErrorType, served.ErrorMessage) = (error.Status, error.Type, error.Message);
        await error.WriteAsync(context.Response).ConfigureAwait(false);
        served.LastByteFlushTimestamp = Stopwatch.GetTimestamp();
    }
}
