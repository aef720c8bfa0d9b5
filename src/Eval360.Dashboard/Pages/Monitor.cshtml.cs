using Eval360.Dashboard.Live;
using Eval360.Dashboard.Running;
using Eval360.Dashboard.Store;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Eval360.Dashboard.Pages;

/// <summary>
/// The Monitor tab: queue saved evaluations (they run one at a time), watch the one in flight live (done/failed per
/// model, requests per minute, ETA, the latest errors), cancel, and delete.
/// </summary>
public sealed class MonitorModel(EvaluationStore store, EvaluationWorker worker, LivePanels panels) : PageModel
{
    public IReadOnlyList<Evaluation> Queueable { get; private set; } = [];

    public Dictionary<string, object?> Panel { get; private set; } = [];

    public void OnGet()
    {
        Queueable = [.. store.List().Where(e => e.State.IsQueueable())];
        Panel = panels.MonitorParameters(HttpContext);
    }

    public IActionResult OnPostQueue(List<string> ids)
    {
        if (ids.Count == 0)
        {
            TempData["Problem"] = "Pick the evaluations to queue first.";
            return RedirectToPage();
        }

        int queued = store.Queue(ids);
        TempData["Message"] = queued == 1 ? "Queued 1 evaluation." : $"Queued {queued} evaluations; they run one at a time.";
        return RedirectToPage();
    }

    public IActionResult OnPostCancel(string id)
    {
        TempData[worker.Cancel(id) ? "Message" : "Problem"] = worker.IsRunning(id)
            ? "Cancelling: the run stops in a moment, with everything finished on disk; queue it again to resume it."
            : store.Get(id) is { } evaluation && evaluation.State == EvaluationState.Cancelled ? $"{evaluation.Name} is out of the queue." : "That evaluation is not running or waiting.";
        return RedirectToPage();
    }

    public IActionResult OnPostDelete(List<string> ids) =>
        ids.Count == 0
            ? RedirectWithProblem("Pick the evaluations to delete first.")
            : Redirect("/Evaluations/Delete?" + string.Join('&', ids.Select(id => "key=" + Uri.EscapeDataString(id))));

    private RedirectToPageResult RedirectWithProblem(string problem)
    {
        TempData["Problem"] = problem;
        return RedirectToPage();
    }
}
