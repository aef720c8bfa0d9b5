using Eval360.Configuration;
using Eval360.Dashboard.Hosting;
using Eval360.Dashboard.Store;

namespace Eval360.Dashboard.Setup;

/// <summary>A definition turned into what the engine runs, or every reason it cannot be (each a sentence the user can act on).</summary>
public sealed record EvaluationPlan(LoadedConfiguration? Configuration, BenchmarkOptions? Options, IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings)
{
    public bool IsValid => Errors.Count == 0 && Configuration is not null && Options is not null;
}

/// <summary>
/// Turns an evaluation's definition into the engine's inputs: every dataset row asked under every task (the engine's
/// scenario rules decide what is valid, each problem named by its CSV line and column), the picked model and judge
/// targets, and the run settings (their ranges from the engine's settings registry).
/// </summary>
public sealed class EvaluationPlanner(DashboardOptions options, Datasets datasets, ModelCatalog catalog)
{
    /// <summary>The run settings the Advanced section shows: all of them but the name, which is the evaluation's own.</summary>
    public static IReadOnlyList<RunSetting> FormSettings { get; } = [.. RunSettings.All.Where(s => s != RunSettings.ExperimentName)];

    public async Task<EvaluationPlan> PlanAsync(EvaluationDefinition definition, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        var warnings = new List<string>();

        if (RunSettings.ExperimentName.Check(definition.Name) is { } nameProblem)
        {
            errors.Add($"Name: {(string.IsNullOrWhiteSpace(definition.Name) ? "give the evaluation a name" : nameProblem)}.");
        }

        BenchmarkOptions? runOptions = null;
        try
        {
            // An empty field keeps the setting's default; only what was typed is applied (and checked).
            var given = definition.Settings
                .Where(s => !string.IsNullOrWhiteSpace(s.Value) && RunSettings.Find(s.Key) != RunSettings.ExperimentName)
                .Select(s => new KeyValuePair<string, object?>(s.Key, s.Value!.Trim()));
            runOptions = RunSettings.Apply(new BenchmarkOptions { OutputDirectory = options.OutputDirectory, ExperimentName = definition.Name.Trim() }, given);
        }
        catch (ConfigurationException e)
        {
            errors.AddRange(e.Findings.Where(f => f.Severity == ConfigSeverity.Error).Select(f => $"{f.Path}: {f.Message}."));
        }

        var scenarios = Scenarios(definition, errors, warnings);
        var choices = await catalog.LoadAsync(cancellationToken).ConfigureAwait(false);
        errors.AddRange(choices.Problems);
        var models = Targets(definition.Models, choices.Model, "model", errors);
        bool latencyOnly = runOptions?.LatencyOnly ?? false;
        var judges = latencyOnly ? [] : Targets(definition.Judges, choices.Judge, "judge", errors);
        if (models.Count == 0)
        {
            errors.Add("Models: pick at least one model to evaluate.");
        }

        if (!latencyOnly && judges.Count == 0)
        {
            errors.Add("Jury: pick at least one judge, or choose latency only (LatencyOnly) under Advanced.");
        }

        if (errors.Count > 0)
        {
            return new EvaluationPlan(null, null, errors, warnings);
        }

        var configuration = new LoadedConfiguration(scenarios, models, [.. judges.Select(j => j with { Role = ProfileRole.Judge })], []);
        return new EvaluationPlan(configuration, runOptions, errors, warnings);
    }

    /// <summary>Every row under every task, through the engine's scenario rules.</summary>
    private List<Scenario> Scenarios(EvaluationDefinition definition, List<string> errors, List<string> warnings)
    {
        var scenarios = new List<Scenario>();
        var dataset = datasets.Get(definition.UploadId);
        if (dataset is null)
        {
            errors.Add("Dataset: upload a CSV with your prompts and golden answers.");
            return scenarios;
        }

        var table = dataset.Table;
        errors.AddRange(dataset.Problems.Where(p => p.Severity == ConfigSeverity.Error).Select(Describe));
        if (string.IsNullOrEmpty(definition.PromptColumn) || !table.Header.Contains(definition.PromptColumn))
        {
            errors.Add("Dataset: choose the prompt column.");
            return scenarios;
        }

        foreach (var (column, what) in new[] { (definition.GoldenAnswerColumn, "golden answer"), (definition.ImageColumn, "image") })
        {
            if (!string.IsNullOrEmpty(column) && !table.Header.Contains(column))
            {
                errors.Add($"Dataset: the {what} column '{column}' is not in {dataset.Upload.OriginalName}.");
                return scenarios;
            }
        }

        if (definition.Tasks.Count == 0)
        {
            errors.Add("Tasks: define at least one task evaluation.");
        }

        var warned = new HashSet<string>(StringComparer.Ordinal);
        for (int t = 0; t < definition.Tasks.Count; t++)
        {
            var task = definition.Tasks[t];
            foreach (var row in table.Rows)
            {
                var draft = new ScenarioDraft
                {
                    Prompt = table.Cell(row, definition.PromptColumn),
                    GoldenAnswer = string.IsNullOrEmpty(definition.GoldenAnswerColumn) ? null : table.Cell(row, definition.GoldenAnswerColumn),
                    ImageUrl = string.IsNullOrEmpty(definition.ImageColumn) ? null : table.Cell(row, definition.ImageColumn),
                    TaskType = task.TaskType,
                    TaskCriteria = task.TaskCriteria,
                    Temperature = task.Temperature,
                    UserDefinedMetrics = string.IsNullOrWhiteSpace(task.UserDefinedMetrics) ? null : [task.UserDefinedMetrics],
                    ExpectedOutputTokens = definition.OutputTokens,
                    BaseDirectory = options.UploadFolder,
                    Source = $"{dataset.Upload.StoredPath}:{row.Line}",
                };
                var scenario = ScenarioRules.Build(draft, out var problems);
                foreach (var problem in problems)
                {
                    var where = Where(problem.Field, definition, t, dataset, row.Line);
                    var text = $"{where}: {problem.Message}.";
                    if (problem.Severity == ConfigSeverity.Error)
                    {
                        errors.Add(text);
                    }
                    else if (warned.Add(problem.Field))
                    {
                        // A warning that holds for one row usually holds for all: said once.
                        warnings.Add(text);
                    }
                }

                if (scenario is not null)
                {
                    scenarios.Add(scenario);
                }
            }
        }

        // A task's problem holds for every row: said once.
        var distinct = errors.Distinct(StringComparer.Ordinal).ToList();
        errors.Clear();
        errors.AddRange(distinct);
        const int shown = 20;
        if (errors.Count > shown)
        {
            int more = errors.Count - shown;
            errors.RemoveRange(shown, more);
            errors.Add($"… and {more} more.");
        }

        return scenarios;
    }

    /// <summary>Where a scenario problem is: a task field, or a CSV cell (file, line, column).</summary>
    private static string Where(string field, EvaluationDefinition definition, int task, Dataset dataset, int line) => field switch
    {
        ScenarioRules.TaskTypeField => $"Task {task + 1}: task type",
        ScenarioRules.TaskCriteriaField => $"Task {task + 1}: task criteria",
        ScenarioRules.TemperatureField => $"Task {task + 1}: temperature",
        ScenarioRules.UserDefinedMetricsField => $"Task {task + 1}: metrics",
        ScenarioRules.ExpectedOutputTokensField => "Dataset: output token limit",
        ScenarioRules.PromptField => $"{dataset.Upload.OriginalName} line {line}, column {definition.PromptColumn}",
        ScenarioRules.GoldenAnswerField => string.IsNullOrEmpty(definition.GoldenAnswerColumn)
            ? "Dataset: no golden answer column"
            : $"{dataset.Upload.OriginalName} line {line}, column {definition.GoldenAnswerColumn}",
        ScenarioRules.ImageField => $"{dataset.Upload.OriginalName} line {line}, column {definition.ImageColumn}",
        _ => $"{dataset.Upload.OriginalName} line {line}",
    };

    private static string Describe(ConfigFinding finding) =>
        finding.Line > 0 ? $"{finding.Path} line {finding.Line}: {finding.Message}." : $"{finding.Path}: {finding.Message}.";

    private static List<ModelProfile> Targets(IReadOnlyList<string> keys, Func<string, ModelChoice?> find, string role, List<string> errors)
    {
        var targets = new List<ModelProfile>();
        foreach (var key in keys.Distinct(StringComparer.Ordinal))
        {
            switch (find(key))
            {
                case null:
                    errors.Add($"The {role} {key.Replace('|', ' ')} is no longer in its profile file; pick another.");
                    break;
                case { Selectable: false } choice:
                    errors.Add($"The {role} {choice.Target.DisplayName} ({choice.Target.Region}) is {choice.Status}; pick another or check again.");
                    break;
                case var choice:
                    targets.Add(choice.Target);
                    break;
            }
        }

        return targets;
    }
}
