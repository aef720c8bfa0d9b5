using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Eval360.Configuration;
using Eval360.Dashboard.Hosting;
using Eval360.Dashboard.Store;
using Eval360.Providers;
using Eval360.Results;
using Eval360.Statistics;

namespace Eval360.Dashboard.Runs;

/// <summary>Which evaluations the Evaluations tab lists (the seed's filter).</summary>
public enum EvaluationFilter
{
    All,

    /// <summary>Completed.</summary>
    Successful,

    /// <summary>Ended without completing: failed, cancelled, or stopped by the budget.</summary>
    Failed,
}

/// <summary>
/// One line of the Evaluations tab, the seed's columns: a dashboard evaluation (with or without a run yet), or a run
/// found in the outputs folder that something else started (Invoke-Eval360Benchmark).
/// </summary>
public sealed record EvaluationRow
{
    /// <summary>The dashboard evaluation's id; null for a run the dashboard did not start.</summary>
    public string? EvaluationId { get; init; }

    /// <summary>The run directory's folder name under the outputs folder; null before the evaluation's run started.</summary>
    public string? RunFolder { get; init; }

    public required string Name { get; init; }

    public required EvaluationState State { get; init; }

    public string TaskTypes { get; init; } = string.Empty;

    public string DataFile { get; init; } = string.Empty;

    public string Temperatures { get; init; } = string.Empty;

    public string Metrics { get; init; } = string.Empty;

    public IReadOnlyList<string> Models { get; init; } = [];

    public IReadOnlyList<string> Judges { get; init; } = [];

    public DateTimeOffset? CreatedAt { get; init; }

    public DateTimeOffset? Completed { get; init; }

    /// <summary>When it last ended, however it ended; null while it runs or before it ran.</summary>
    public DateTimeOffset? Ended { get; init; }

    public int Done { get; init; }

    public int Total { get; init; }

    public int Failed { get; init; }

    public bool HasReport { get; init; }

    public bool Simulated { get; init; }

    /// <summary>Why it did not complete; null otherwise.</summary>
    public string? Message { get; init; }

    public bool FromDashboard => EvaluationId is not null;

    /// <summary>The link key of its details page.</summary>
    public string DetailsKey => EvaluationId ?? "run:" + RunFolder;
}

/// <summary>Everything the details of one evaluation show.</summary>
public sealed record EvaluationDetails(
    EvaluationRow Row,
    Evaluation? Evaluation,
    IReadOnlyList<EvaluationEvent> History,
    string? RunDirectory,
    IReadOnlyList<(string Setting, string Value)> Settings,
    IReadOnlyList<ModelProfile> Models,
    IReadOnlyList<ModelProfile> Judges,
    IReadOnlyList<ModelSummary> Summaries,
    IReadOnlyList<UnprocessedRecord> Unprocessed,
    IReadOnlyList<InvocationResult> Samples,
    string? Problem);

/// <summary>
/// The Evaluations and Reports tabs' view of things: the dashboard's evaluations merged with the run catalogue of the
/// outputs folder (the one list Get-Eval360Run shows), so runs started from PowerShell are listed beside the
/// dashboard's own, and the dashboard's runs are ordinary run directories.
/// </summary>
public sealed class RunBrowser(DashboardOptions options, EvaluationStore store, TimeProvider time)
{
    private const int SamplesPerModel = 3;

    private readonly ConcurrentDictionary<string, RunInputsSummary> _inputs = new(StringComparer.Ordinal);

    public IReadOnlyList<EvaluationRow> Rows(EvaluationFilter filter = EvaluationFilter.All)
    {
        var runs = Catalog().ToDictionary(r => Path.GetFullPath(r.Directory), StringComparer.Ordinal);
        var rows = new List<EvaluationRow>();
        foreach (var evaluation in store.List())
        {
            RunInfo? run = evaluation.RunDirectory is { } dir && runs.Remove(Path.GetFullPath(dir), out var found) ? found : null;
            rows.Add(RowOf(evaluation, run));
        }

        rows.AddRange(runs.Values.Select(RowOf));
        rows.Sort((a, b) => (b.CreatedAt ?? DateTimeOffset.MinValue).CompareTo(a.CreatedAt ?? DateTimeOffset.MinValue));
        return [.. rows.Where(r => filter switch
        {
            EvaluationFilter.Successful => r.State == EvaluationState.Completed,
            EvaluationFilter.Failed => r.State.IsUnsuccessful(),
            _ => true,
        })];
    }

    /// <summary>The row of a details key (an evaluation id, or <c>run:</c> and a run folder name).</summary>
    public EvaluationRow? Row(string key) =>
        key.StartsWith("run:", StringComparison.Ordinal)
            ? Catalog().FirstOrDefault(r => Path.GetFileName(r.Directory) == key[4..]) is { } run && !IsDashboardRun(run) ? RowOf(run) : null
            : store.Get(key) is { State: not EvaluationState.Draft } evaluation ? RowOf(evaluation, RunOf(evaluation)) : null;

    /// <summary>The run directory behind a row (found in the catalogue, never built from what a request says).</summary>
    public string? DirectoryOf(EvaluationRow row) =>
        row.RunFolder is null ? null : Catalog().FirstOrDefault(r => Path.GetFileName(r.Directory) == row.RunFolder)?.Directory;

    /// <summary>Runs with a report, newest first, by folder name.</summary>
    public IReadOnlyList<EvaluationRow> WithReports() => [.. Rows().Where(r => r.HasReport)];

    /// <summary>report.html of a run folder that has one; null otherwise.</summary>
    public string? ReportOf(string runFolder) =>
        Catalog().FirstOrDefault(r => Path.GetFileName(r.Directory) == runFolder)?.Report;

    public EvaluationDetails Details(EvaluationRow row)
    {
        var evaluation = row.EvaluationId is { } id ? store.Get(id) : null;
        var history = row.EvaluationId is { } eid ? store.Events(eid) : [];
        var directory = DirectoryOf(row);
        var settings = new List<(string, string)>();
        var models = new List<ModelProfile>();
        var judges = new List<ModelProfile>();
        var summaries = new List<ModelSummary>();
        var unprocessed = new List<UnprocessedRecord>();
        var samples = new List<InvocationResult>();
        string? problem = null;
        if (directory is null)
        {
            if (evaluation is not null)
            {
                settings.AddRange(evaluation.Definition.Settings.Where(s => !string.IsNullOrWhiteSpace(s.Value)).Select(s => (s.Key, s.Value!)));
            }

            return new EvaluationDetails(row, evaluation, history, null, settings, models, judges, summaries, unprocessed, samples, null);
        }

        try
        {
            var manifest = RunManifest.Load(directory);
            settings.AddRange(RunSettings.All.Select(s => (s.Name, s.Format(s.ValueIn(manifest.Settings)))));
            var runDirectory = new RunDirectory(directory, manifest.RunId);
            var findings = new List<ConfigFinding>();
            models.AddRange(ConfigLoader.LoadProfiles(Path.Combine(runDirectory.Inputs, "models.jsonl"), ProfileRole.Candidate, ProviderSet.Catalog, findings));
            var judgeFile = Path.Combine(runDirectory.Inputs, "judges.jsonl");
            if (new FileInfo(judgeFile) is { Exists: true, Length: > 0 })
            {
                judges.AddRange(ConfigLoader.LoadProfiles(judgeFile, ProfileRole.Judge, ProviderSet.Catalog, findings));
            }

            if (File.Exists(runDirectory.Journal))
            {
                var statistics = new ResultStatistics();
                var latest = new Dictionary<string, Queue<InvocationResult>>(StringComparer.Ordinal);
                foreach (var result in ResultFiles.Scan(directory, new ResultScan()))
                {
                    statistics.Add(result);
                    var queue = latest.TryGetValue(result.ModelId, out var q) ? q : latest[result.ModelId] = new Queue<InvocationResult>();
                    queue.Enqueue(result);
                    if (queue.Count > SamplesPerModel)
                    {
                        queue.Dequeue();
                    }
                }

                summaries.AddRange(statistics.Summaries());
                samples.AddRange(latest.Values.SelectMany(q => q));
            }

            unprocessed.AddRange(runDirectory.UnprocessedRecords());
        }
        catch (Exception e) when (e is IOException or JsonException or InvalidDataException or UnauthorizedAccessException)
        {
            problem = $"{directory} cannot be read completely: {e.Message}";
        }

        return new EvaluationDetails(row, evaluation, history, directory, settings, models, judges, summaries, unprocessed, samples, problem);
    }

    /// <summary>The runs of the outputs folder; none while it does not exist yet.</summary>
    public IReadOnlyList<RunInfo> Catalog()
    {
        try
        {
            return RunCatalog.List(options.OutputDirectory, time).Runs;
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
    }

    private bool IsDashboardRun(RunInfo run) =>
        store.List().Any(e => e.RunDirectory is { } d && Path.GetFullPath(d) == Path.GetFullPath(run.Directory));

    private RunInfo? RunOf(Evaluation evaluation) =>
        evaluation.RunDirectory is { } dir ? Catalog().FirstOrDefault(r => Path.GetFullPath(r.Directory) == Path.GetFullPath(dir)) : null;

    private EvaluationRow RowOf(Evaluation evaluation, RunInfo? run)
    {
        var definition = evaluation.Definition;
        var tasks = definition.Tasks;
        var metrics = tasks.Select(t => t.UserDefinedMetrics)
            .Append(definition.Settings.TryGetValue(RunSettings.UserDefinedMetrics.Name, out var runMetrics) ? runMetrics : null)
            .Where(m => !string.IsNullOrWhiteSpace(m))
            .SelectMany(m => m!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.OrdinalIgnoreCase);
        bool latencyOnly = definition.Settings.TryGetValue(RunSettings.LatencyOnly.Name, out var lo) && bool.TryParse(lo, out var l) && l;
        return new EvaluationRow
        {
            EvaluationId = evaluation.Id,
            RunFolder = run is null ? null : Path.GetFileName(run.Directory),
            Name = definition.Name,
            State = evaluation.State,
            TaskTypes = string.Join(", ", tasks.Select(t => t.TaskType).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal)),
            DataFile = store.GetUpload(definition.UploadId)?.OriginalName ?? string.Empty,
            Temperatures = string.Join(", ", tasks.Select(t => t.Temperature).Distinct(StringComparer.Ordinal)),
            Metrics = string.Join(", ", metrics),
            Models = run?.Models is { Count: > 0 } runModels ? [.. runModels] : [.. definition.Models.Select(NameOf)],
            Judges = latencyOnly ? [] : run?.Judges is { Count: > 0 } runJudges ? [.. runJudges] : [.. definition.Judges.Select(NameOf)],
            CreatedAt = evaluation.CreatedAt,
            Completed = evaluation.State == EvaluationState.Completed ? evaluation.FinishedAt : null,
            Ended = evaluation.FinishedAt,
            Done = run?.Done ?? 0,
            Total = run?.Total ?? 0,
            Failed = run?.Failed ?? 0,
            HasReport = run?.Report is not null,
            Simulated = run?.Simulated ?? false,
            Message = evaluation.Message,
        };
    }

    private EvaluationRow RowOf(RunInfo run)
    {
        var inputs = _inputs.GetOrAdd(run.Directory, ReadInputs);
        return new EvaluationRow
        {
            RunFolder = Path.GetFileName(run.Directory),
            Name = run.ExperimentName,
            State = run.Status switch
            {
                RunStatus.Running => EvaluationState.Running,
                RunStatus.Completed => EvaluationState.Completed,
                RunStatus.Cancelled => EvaluationState.Cancelled,
                RunStatus.BudgetExhausted => EvaluationState.BudgetExhausted,
                RunStatus.Interrupted => EvaluationState.Interrupted,
                _ => EvaluationState.Failed,
            },
            TaskTypes = inputs.TaskTypes,
            DataFile = inputs.DataFiles,
            Temperatures = inputs.Temperatures,
            Metrics = inputs.Metrics,
            Models = [.. run.Models],
            Judges = [.. run.Judges],
            CreatedAt = run.StartedAt,
            Completed = run.Status == RunStatus.Completed ? run.FinishedAt : null,
            Ended = run.FinishedAt,
            Done = run.Done,
            Total = run.Total,
            Failed = run.Failed,
            HasReport = run.Report is not null,
            Simulated = run.Simulated,
            Message = run.StopReason,
        };
    }

    /// <summary>A profile key (model|region|tier) as results name the model.</summary>
    private static string NameOf(string key)
    {
        var parts = key.Split('|');
        return parts.Length == 3 && parts[2] is not ("" or "default") ? $"{parts[0]}_{parts[2]}" : parts[0];
    }

    private sealed record RunInputsSummary(string TaskTypes, string DataFiles, string Temperatures, string Metrics);

    /// <summary>What a run's input snapshot says about its tasks (read once per run: the snapshot never changes).</summary>
    private static RunInputsSummary ReadInputs(string directory)
    {
        var tasks = new SortedSet<string>(StringComparer.Ordinal);
        var temperatures = new SortedSet<double>();
        var metrics = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        string files = string.Empty;
        try
        {
            var manifest = RunManifest.Load(directory);
            files = string.Join(", ", manifest.SourceFiles.Select(Path.GetFileName));
            foreach (var metric in manifest.Settings.UserDefinedMetrics)
            {
                metrics.Add(metric);
            }

            var snapshot = Path.Combine(directory, "inputs", "scenarios.jsonl");
            if (File.Exists(snapshot))
            {
                foreach (var line in File.ReadLines(snapshot).Where(l => l.Length > 0))
                {
                    using var scenario = JsonDocument.Parse(line);
                    var root = scenario.RootElement;
                    if (root.TryGetProperty("task", out var task) && task.TryGetProperty("task_type", out var type) && type.ValueKind == JsonValueKind.String)
                    {
                        tasks.Add(type.GetString()!);
                    }

                    temperatures.Add(root.TryGetProperty("temperature", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetDouble() : Scenario.DefaultTemperature);
                    if (root.TryGetProperty("user_defined_metrics", out var m) && m.ValueKind == JsonValueKind.Array)
                    {
                        foreach (var name in m.EnumerateArray().Where(n => n.ValueKind == JsonValueKind.String))
                        {
                            metrics.Add(name.GetString()!);
                        }
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or JsonException or InvalidDataException or UnauthorizedAccessException)
        {
            // A damaged snapshot only costs these columns; the run is still listed.
        }

        return new RunInputsSummary(string.Join(", ", tasks), files, string.Join(", ", temperatures.Select(t => t.ToString("0.##", CultureInfo.InvariantCulture))), string.Join(", ", metrics));
    }
}
