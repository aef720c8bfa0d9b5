using System.Text;
using HttpResults = Microsoft.AspNetCore.Http.Results;
using Eval360.Dashboard.Runs;
using Eval360.Dashboard.Security;
using Eval360.Dashboard.Store;
using Microsoft.AspNetCore.Http.Features;

namespace Eval360.Dashboard.Live;

/// <summary>
/// The endpoints beside the pages: the live event stream (server-sent events carrying re-rendered panels), the report
/// viewer's file, and a small API (the evaluation list as JSON; shutdown, which takes the token as a bearer header only,
/// so no page on another site can trigger it).
/// </summary>
public static class DashboardEndpoints
{
    /// <summary>A report is shown sandboxed: its scripts run, but in an origin of their own, with the report's own policy on top.</summary>
    public const string ReportPolicy =
        "sandbox allow-scripts; default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'unsafe-inline'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

    /// <summary>The fastest a stream re-renders, however often things change.</summary>
    private static readonly TimeSpan MinimumInterval = TimeSpan.FromMilliseconds(300);

    /// <summary>At least this often a stream re-renders (elapsed time, ETA, rates), and says it is alive.</summary>
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    public static void Map(WebApplication app)
    {
        app.MapGet("/live/{panel}", StreamAsync);
        app.MapGet("/reports/{folder}/report.html", (string folder, RunBrowser runs, HttpContext context) =>
        {
            if (runs.ReportOf(folder) is not { } report)
            {
                return HttpResults.NotFound();
            }

            context.Response.Headers.ContentSecurityPolicy = ReportPolicy;
            context.Response.Headers.XFrameOptions = "SAMEORIGIN";
            return HttpResults.File(report, "text/html; charset=utf-8");
        });
        app.MapGet("/api/evaluations", (RunBrowser runs, EvaluationFilter? filter) => HttpResults.Ok(runs.Rows(filter ?? EvaluationFilter.All).Select(r => new
        {
            r.EvaluationId,
            r.RunFolder,
            r.Name,
            State = r.State.ToString(),
            r.TaskTypes,
            r.DataFile,
            r.Temperatures,
            r.Metrics,
            r.Models,
            r.Judges,
            r.Completed,
            r.Done,
            r.Total,
            r.Failed,
            r.HasReport,
        })));
        app.MapPost("/api/shutdown", (HttpContext context, AccessToken token, IHostApplicationLifetime lifetime) =>
        {
            var authorization = context.Request.Headers.Authorization.ToString();
            if (!authorization.StartsWith("Bearer ", StringComparison.Ordinal) || !token.Matches(authorization["Bearer ".Length..].Trim()))
            {
                return HttpResults.Text("Shutdown takes the access token as 'Authorization: Bearer <token>' (Stop-Eval360Dashboard does this).", statusCode: StatusCodes.Status401Unauthorized);
            }

            // Stops after this answer is sent: the run in flight is cancelled with its finished work on disk.
            _ = Task.Run(async () =>
            {
                await Task.Delay(100).ConfigureAwait(false);
                lifetime.StopApplication();
            });
            return HttpResults.Accepted();
        });
    }

    /// <summary>
    /// <c>text/event-stream</c>: an <c>panel</c> event with the panel's HTML whenever it changes (checked on every change
    /// and every second), a comment line as heartbeat otherwise. The browser's EventSource reconnects by itself.
    /// </summary>
    private static async Task StreamAsync(string panel, HttpContext context, LivePanels panels, DashboardChanges changes, IHostApplicationLifetime lifetime)
    {
        // A stream lasts as long as its page, but never holds up the dashboard's stop.
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var cancellationToken = ended.Token;
        if (panels.Describe(panel, context.Request.Query, context) is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        context.Response.ContentType = "text/event-stream; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsync("retry: 2000\n\n", cancellationToken).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);

        string? last = null;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                long seen = changes.Version;
                var (component, parameters) = panels.Describe(panel, context.Request.Query, context)!.Value;
                var html = await panels.RenderAsync(component, parameters).ConfigureAwait(false);
                var message = new StringBuilder();
                if (html != last)
                {
                    message.Append("event: panel\n");
                    foreach (var line in html.Split('\n'))
                    {
                        message.Append("data: ").Append(line.TrimEnd('\r')).Append('\n');
                    }

                    last = html;
                }
                else
                {
                    message.Append(": alive\n");
                }

                message.Append('\n');
                await context.Response.WriteAsync(message.ToString(), cancellationToken).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
                await Task.Delay(MinimumInterval, cancellationToken).ConfigureAwait(false);
                await changes.WaitAsync(seen, Tick, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The page went away (or the dashboard is stopping).
        }
    }
}
