using Eval360.Dashboard.Runs;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Eval360.Dashboard.Pages.Evaluations;

/// <summary>Deleting is confirmed on a page of its own, which says exactly what goes: records, run directories, reports.</summary>
public sealed class DeleteModel(RunBrowser runs, EvaluationRemover remover) : PageModel
{
    public IReadOnlyList<(EvaluationRow Row, string? Directory)> Items { get; private set; } = [];

    public IActionResult OnGet(List<string> key)
    {
        Items = [.. key.Select(runs.Row).OfType<EvaluationRow>().Select(r => (r, runs.DirectoryOf(r)))];
        return Items.Count == 0 ? NotFound() : Page();
    }

    public IActionResult OnPost(List<string> key)
    {
        var problems = new List<string>();
        int deleted = 0;
        foreach (var row in key.Select(runs.Row).OfType<EvaluationRow>())
        {
            if (remover.Delete(row) is { } problem)
            {
                problems.Add(problem);
            }
            else
            {
                deleted++;
            }
        }

        TempData["Message"] = deleted == 1 ? "1 evaluation was deleted." : $"{deleted} evaluations were deleted.";
        if (problems.Count > 0)
        {
            TempData["Problem"] = string.Join(" ", problems);
        }

        return Redirect("/Evaluations");
    }
}
