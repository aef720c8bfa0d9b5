using Eval360.Dashboard.Runs;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Eval360.Dashboard.Pages;

/// <summary>
/// The Reports tab: a run's report.html shown inside the page, in a sandboxed frame (its scripts run in an origin of
/// their own, under the report's own content security policy), or opened on its own.
/// </summary>
public sealed class ReportsModel(RunBrowser runs) : PageModel
{
    public IReadOnlyList<EvaluationRow> WithReports { get; private set; } = [];

    public EvaluationRow? Selected { get; private set; }

    public void OnGet(string? run)
    {
        WithReports = runs.WithReports();
        Selected = WithReports.FirstOrDefault(r => r.RunFolder == run) ?? (run is null ? WithReports.FirstOrDefault() : null);
    }
}
