using Eval360.Dashboard.Running;
using Eval360.Dashboard.Runs;
using Eval360.Dashboard.Store;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace Eval360.Dashboard.Live;

/// <summary>
/// The parts of pages that change while you look: rendered from the same Razor components on the page and on the live
/// event stream, so what is pushed is exactly what a reload would show (and encoded the same way).
/// </summary>
public sealed class LivePanels(IServiceProvider services, ILoggerFactory loggers, EvaluationStore store, EvaluationWorker worker, RunBrowser runs, IAntiforgery antiforgery)
{
    private const int RecentShown = 6;

    /// <summary>The panel's component and parameters; null for an unknown panel.</summary>
    public (Type Component, Dictionary<string, object?> Parameters)? Describe(string panel, IQueryCollection query, HttpContext context) => panel switch
    {
        "monitor" => (typeof(MonitorPanel), MonitorParameters(context, streaming: true)),
        "evaluations" => (typeof(EvaluationsTable), EvaluationsParameters(Enum.TryParse<EvaluationFilter>(query["filter"], true, out var filter) ? filter : EvaluationFilter.All)),
        _ => null,
    };

    /// <param name="streaming">
    /// For the live stream, whose response has started: the forms' antiforgery token is made from the cookie the page
    /// already set, and nothing is written to the response. The page itself stores the cookie.
    /// </param>
    public Dictionary<string, object?> MonitorParameters(HttpContext context, bool streaming = false) => new()
    {
        [nameof(MonitorPanel.Running)] = worker.Live,
        [nameof(MonitorPanel.Waiting)] = store.Waiting(),
        [nameof(MonitorPanel.Recent)] = runs.Rows()
            .Where(r => r.FromDashboard && r.State is not (EvaluationState.Saved or EvaluationState.Queued or EvaluationState.Running or EvaluationState.Interrupted))
            .OrderByDescending(r => r.Ended ?? DateTimeOffset.MinValue)
            .Take(RecentShown).ToList(),
        [nameof(MonitorPanel.AntiforgeryToken)] = (streaming ? antiforgery.GetTokens(context) : antiforgery.GetAndStoreTokens(context)).RequestToken,
    };

    public Dictionary<string, object?> EvaluationsParameters(EvaluationFilter filter) => new()
    {
        [nameof(EvaluationsTable.Rows)] = runs.Rows(filter),
        [nameof(EvaluationsTable.Filter)] = filter,
    };

    public async Task<string> RenderAsync(Type component, Dictionary<string, object?> parameters)
    {
        await using var renderer = new HtmlRenderer(services, loggers);
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync(component, ParameterView.FromDictionary(parameters)).ConfigureAwait(false);
            return output.ToHtmlString();
        }).ConfigureAwait(false);
    }
}
