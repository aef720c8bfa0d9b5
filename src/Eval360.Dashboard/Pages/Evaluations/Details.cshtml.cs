using Eval360.Dashboard.Running;
using Eval360.Dashboard.Runs;
using Eval360.Dashboard.Store;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Eval360.Dashboard.Pages.Evaluations;

/// <summary>
/// One evaluation: its configuration, models and judges as tables, per-model results and request rates, unprocessed
/// records, the latest answers, its history; and the seed's buttons (load config, delete, view report).
/// </summary>
public sealed class DetailsModel(RunBrowser runs, EvaluationStore store, EvaluationWorker worker) : PageModel
{
    public EvaluationDetails Details { get; private set; } = null!;

    public IActionResult OnGet(string key)
    {
        if (runs.Row(key ?? string.Empty) is not { } row)
        {
            return NotFound();
        }

        Details = runs.Details(row);
        return Page();
    }

    public IActionResult OnPostLoadConfig(string key)
    {
        if (store.Get(key) is null)
        {
            return NotFound();
        }

        var draft = store.CopyToDraft(key);
        TempData["Message"] = $"Loaded the configuration of '{store.Get(key)!.Name}' into a new evaluation, '{draft.Name}': change what you like and save it.";
        return Redirect("/Setup");
    }

    public IActionResult OnPostQueue(string key)
    {
        bool queued = store.Queue([key]) > 0;
        TempData[queued ? "Message" : "Problem"] = queued
            ? "Queued: it runs when its turn comes (a run that stopped resumes where it stopped)."
            : "It cannot be queued now (it is running, waiting, or already completed).";
        return Redirect("/Monitor");
    }

    public IActionResult OnPostCancel(string key)
    {
        TempData[worker.Cancel(key) ? "Message" : "Problem"] = worker.IsRunning(key) || store.Get(key)?.State == EvaluationState.Cancelled
            ? "Cancelled: everything finished is on disk; queue it again to resume."
            : "It is not running or waiting.";
        return Redirect("/Evaluations/Details?key=" + Uri.EscapeDataString(key));
    }
}
