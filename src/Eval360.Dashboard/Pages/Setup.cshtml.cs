using Eval360.Configuration;
using Eval360.Dashboard.Hosting;
using Eval360.Dashboard.Setup;
using Eval360.Dashboard.Store;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Eval360.Dashboard.Pages;

/// <summary>What the Setup form posts: the draft's definition as typed.</summary>
public sealed class SetupForm
{
    // Form binding turns an empty field into null: every text is nullable here, and trimmed to "" below.
    public string? Name { get; set; }

    public string? UploadId { get; set; }

    public string? PromptColumn { get; set; }

    public string? GoldenAnswerColumn { get; set; }

    public string? ImageColumn { get; set; }

    public string? OutputTokens { get; set; }

    public List<EvaluationTask> Tasks { get; set; } = [];

    public List<string> Models { get; set; } = [];

    public List<string> Judges { get; set; } = [];

    public Dictionary<string, string?> Settings { get; set; } = new(StringComparer.Ordinal);

    public static SetupForm Of(EvaluationDefinition definition) => new()
    {
        Name = definition.Name,
        UploadId = definition.UploadId,
        PromptColumn = definition.PromptColumn,
        GoldenAnswerColumn = definition.GoldenAnswerColumn,
        ImageColumn = definition.ImageColumn,
        OutputTokens = definition.OutputTokens,
        Tasks = [.. definition.Tasks],
        Models = [.. definition.Models],
        Judges = [.. definition.Judges],
        Settings = new Dictionary<string, string?>(definition.Settings, StringComparer.Ordinal),
    };

    public EvaluationDefinition ToDefinition() => new()
    {
        Name = Name?.Trim() ?? string.Empty,
        UploadId = UploadId,
        PromptColumn = Blank(PromptColumn),
        GoldenAnswerColumn = Blank(GoldenAnswerColumn),
        ImageColumn = Blank(ImageColumn),
        OutputTokens = string.IsNullOrWhiteSpace(OutputTokens) ? new EvaluationDefinition().OutputTokens : OutputTokens.Trim(),
        Tasks = [.. Tasks.OfType<EvaluationTask>().Select(t => t with
        {
            TaskType = t.TaskType?.Trim() ?? string.Empty,
            TaskCriteria = t.TaskCriteria?.Trim() ?? string.Empty,
            Temperature = t.Temperature?.Trim() ?? string.Empty,
            UserDefinedMetrics = t.UserDefinedMetrics?.Trim() ?? string.Empty,
        })],
        Models = [.. Models.OfType<string>().Distinct(StringComparer.Ordinal)],
        Judges = [.. Judges.OfType<string>().Distinct(StringComparer.Ordinal)],
        Settings = Settings.Where(s => RunSettings.Find(s.Key) is not null && !string.IsNullOrWhiteSpace(s.Value))
            .ToDictionary(s => RunSettings.Find(s.Key)!.Name, s => (string?)s.Value!.Trim(), StringComparer.Ordinal),
    };

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}

/// <summary>
/// The Setup tab (the seed's Evaluation Setup, Model Configuration and Advanced Configuration): a draft kept in the
/// database on every post, so nothing typed is lost to a reload or a restart; Save checks it all and hands it to the
/// Monitor tab's queue.
/// </summary>
[RequestFormLimits(ValueCountLimit = 10_000)]
public sealed class SetupModel(EvaluationStore store, Datasets datasets, ModelCatalog catalog, EvaluationPlanner planner, DashboardOptions options) : PageModel
{
    /// <summary>How many data rows the preview shows.</summary>
    public const int PreviewRows = 5;

    private static readonly string[] PromptNames = ["text_prompt", "prompt", "question", "query", "input", "customer_query"];
    private static readonly string[] GoldenNames = ["golden_answer", "answer", "expected", "expected_output", "reference", "expected_response_type"];
    private static readonly string[] ImageNames = ["url_image", "image", "image_url", "image_path"];

    [BindProperty]
    public SetupForm Form { get; set; } = new();

    [BindProperty]
    public IFormFile? DataFile { get; set; }

    public string DraftId { get; private set; } = string.Empty;

    public Dataset? Dataset { get; private set; }

    public ModelChoices Choices { get; private set; } = new([], [], []);

    public List<string> Errors { get; } = [];

    public List<string> Warnings { get; } = [];

    public long MaxUploadBytes => options.MaxUploadBytes;

    public bool Vision => Form.Settings.TryGetValue(RunSettings.Vision.Name, out var v) && bool.TryParse(v, out var on) && on;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var draft = store.Draft();
        DraftId = draft.Id;
        Form = SetupForm.Of(draft.Definition);
        await LoadAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostUploadAsync(CancellationToken cancellationToken)
    {
        var draft = Keep();
        if (DataFile is null || DataFile.Length == 0)
        {
            Errors.Add("Choose a CSV file to upload first.");
            await LoadAsync(cancellationToken);
            return Page();
        }

        try
        {
            await using var stream = DataFile.OpenReadStream();
            var dataset = await datasets.AddAsync(DataFile.FileName, stream, DataFile.Length, cancellationToken);
            var previous = Form.UploadId;
            Form.UploadId = dataset.Upload.Id;
            var header = dataset.Table.Header;
            Form.PromptColumn = Guess(header, PromptNames, Form.PromptColumn) ?? header.FirstOrDefault();
            Form.GoldenAnswerColumn = Guess(header, GoldenNames, Form.GoldenAnswerColumn) ?? header.Skip(1).FirstOrDefault();
            Form.ImageColumn = Guess(header, ImageNames, Form.ImageColumn);
            store.UpdateDraft(draft.Id, Form.ToDefinition());
            datasets.ReleaseIfUnused(previous);
            TempData["Message"] = dataset.Problems.Any(p => p.Severity == ConfigSeverity.Error)
                ? $"{dataset.Upload.OriginalName} is uploaded, but has problems: see the list under Dataset."
                : $"{dataset.Upload.OriginalName} is uploaded: {dataset.Table.Rows.Count} rows. Check the columns below.";
        }
        catch (InvalidDataException e)
        {
            TempData["Problem"] = e.Message;
        }

        return Redirect("/Setup#dataset");
    }

    public IActionResult OnPostUpdate() => Kept("/Setup#dataset", "Saved as a draft.");

    public IActionResult OnPostAddTask()
    {
        Form.Tasks.Add(new EvaluationTask());
        return Kept($"/Setup#task-{Form.Tasks.Count}", null);
    }

    public IActionResult OnPostRemoveTask(int index)
    {
        if (index >= 0 && index < Form.Tasks.Count)
        {
            Form.Tasks.RemoveAt(index);
        }

        return Kept("/Setup#tasks", null);
    }

    public async Task<IActionResult> OnPostCheckNowAsync(CancellationToken cancellationToken)
    {
        Keep();
        try
        {
            await catalog.CheckNowAsync(cancellationToken);
            TempData["Message"] = "Checked every model and judge: unavailable ones are greyed out with the reason.";
        }
        catch (ConfigurationException e)
        {
            TempData["Problem"] = e.Message;
        }

        return Redirect("/Setup#models");
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken cancellationToken)
    {
        var draft = Keep();
        var definition = Form.ToDefinition();
        var plan = await planner.PlanAsync(definition, cancellationToken);
        if (!plan.IsValid)
        {
            Errors.AddRange(plan.Errors);
            Warnings.AddRange(plan.Warnings);
            await LoadAsync(cancellationToken);
            return Page();
        }

        store.SaveDraft(draft.Id, definition);
        int invocations = plan.Configuration!.Scenarios.Count * plan.Configuration.Models.Count * plan.Options!.InvocationsPerScenario * plan.Options.ExperimentCount * (plan.Options.TemperatureVariations + 1);
        TempData["Message"] = $"Saved '{definition.Name}': {plan.Configuration.Scenarios.Count} scenarios, {plan.Configuration.Models.Count} models, {plan.Configuration.Judges.Count} judges (about {invocations} invocations). Queue it below."
            + (plan.Warnings.Count > 0 ? " Note: " + string.Join(" ", plan.Warnings) : string.Empty);
        return Redirect("/Monitor");
    }

    /// <summary>Keeps what was posted in the draft, then shows the page again.</summary>
    private IActionResult Kept(string target, string? message)
    {
        Keep();
        if (message is not null)
        {
            TempData["Message"] = message;
        }

        return Redirect(target);
    }

    private Evaluation Keep()
    {
        var draft = store.Draft();
        DraftId = draft.Id;
        // The upload is the draft's own: a post cannot point it at another upload than the one it holds or just made.
        Form.UploadId = draft.Definition.UploadId;
        store.UpdateDraft(draft.Id, Form.ToDefinition());
        return draft;
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Dataset = datasets.Get(Form.UploadId);
        Choices = await catalog.LoadAsync(cancellationToken);
        if (Form.Tasks.Count == 0)
        {
            Form.Tasks.Add(new EvaluationTask());
        }
    }

    private static string? Guess(IReadOnlyList<string> header, string[] names, string? current) =>
        current is not null && header.Contains(current)
            ? current
            : names.Select(n => header.FirstOrDefault(h => h.Equals(n, StringComparison.OrdinalIgnoreCase))).FirstOrDefault(h => h is not null);
}
