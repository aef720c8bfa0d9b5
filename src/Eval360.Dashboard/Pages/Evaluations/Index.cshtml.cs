using Eval360.Dashboard.Live;
using Eval360.Dashboard.Runs;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Eval360.Dashboard.Pages.Evaluations;

/// <summary>The Evaluations tab: every evaluation and run, the seed's filter and columns, updated live.</summary>
public sealed class IndexModel(LivePanels panels) : PageModel
{
    public EvaluationFilter Filter { get; private set; }

    public Dictionary<string, object?> Panel { get; private set; } = [];

    public void OnGet(EvaluationFilter filter = EvaluationFilter.All)
    {
        Filter = filter;
        Panel = panels.EvaluationsParameters(filter);
    }
}
