using System.Text.Json;

namespace Eval360.FakeProviders;

/// <summary>
/// <c>/_fake/…</c>: lets a test in another process (Pester, a benchmark) read what the fake saw and change behaviours.
/// <list type="bullet">
/// <item><c>GET /_fake/requests</c> — the recorded <see cref="ServedRequest"/>s as JSON; <c>DELETE</c> forgets them.</item>
/// <item><c>GET /_fake/stats</c> — <c>{"requestCount","recordedCount","serverErrorCount"}</c>.</item>
/// <item><c>PUT /_fake/behaviors/{model}</c> — sets a behaviour from a config entry ("default" for the default); <c>DELETE</c> removes it.</item>
/// </list>
/// </summary>
internal static class ControlEndpoints
{
    public const string Prefix = "/_fake/";
    private const string BehaviorsPrefix = Prefix + "behaviors/";

    public static async Task HandleAsync(HttpContext context, FakeOpenAIServer server)
    {
        var request = context.Request;
        var response = context.Response;
        var path = request.Path.Value!;
        var method = request.Method;
        var aborted = context.RequestAborted;

        if (path == Prefix + "requests" && HttpMethods.IsGet(method))
        {
            response.ContentType = "application/json";
            await JsonSerializer.SerializeAsync(response.Body, server.Requests, FakeJsonContext.Readable.IReadOnlyListServedRequest, aborted).ConfigureAwait(false);
        }
        else if (path == Prefix + "requests" && HttpMethods.IsDelete(method))
        {
            server.ClearRequests();
            response.StatusCode = StatusCodes.Status204NoContent;
        }
        else if (path == Prefix + "stats" && HttpMethods.IsGet(method))
        {
            response.ContentType = "application/json";
            var stats = new ServerStats(server.RequestCount, server.Requests.Count, server.ServerErrorCount);
            await JsonSerializer.SerializeAsync(response.Body, stats, FakeJsonContext.Default.ServerStats, aborted).ConfigureAwait(false);
        }
        else if (path.StartsWith(BehaviorsPrefix, StringComparison.Ordinal) && path.Length > BehaviorsPrefix.Length
            && (HttpMethods.IsPut(method) || HttpMethods.IsDelete(method)))
        {
            await SetBehaviorAsync(context, server, path[BehaviorsPrefix.Length..]).ConfigureAwait(false);
        }
        else
        {
            response.StatusCode = StatusCodes.Status404NotFound;
        }
    }

    private static async Task SetBehaviorAsync(HttpContext context, FakeOpenAIServer server, string model)
    {
        var isDefault = model == BehaviorConfig.DefaultKey;
        if (HttpMethods.IsDelete(context.Request.Method))
        {
            if (isDefault)
            {
                server.DefaultBehavior = ModelBehavior.Default;
            }
            else
            {
                server.Behaviors.TryRemove(model, out _);
            }

            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        ModelBehavior behavior;
        try
        {
            var settings = await JsonSerializer.DeserializeAsync(context.Request.Body, FakeJsonContext.Default.BehaviorSettings, context.RequestAborted).ConfigureAwait(false);
            behavior = settings?.ToBehavior() ?? ModelBehavior.Default;
        }
        catch (JsonException e)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync(e.Message, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        if (isDefault)
        {
            server.DefaultBehavior = behavior;
        }
        else
        {
            server.Behaviors[model] = behavior;
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }
}
