using System.Text.Json;
using Eval360.Execution;

namespace Eval360.Results;

/// <summary>Where a run stands.</summary>
public enum RunStatus
{
    Running,
    Completed,
    Cancelled,
    BudgetExhausted,
    Failed,
}

/// <summary>A model the access check left out, and why.</summary>
public sealed record ExcludedModel(string ModelId, string? Region, string Role, string ErrorCode, string Reason);

/// <summary><c>run.json</c>: a run's settings and status, rewritten atomically whenever the status changes.</summary>
public sealed class RunManifest
{
    public const string FileName = "run.json";

    public string RunId { get; set; } = string.Empty;

    public string ExperimentName { get; set; } = string.Empty;

    public RunStatus Status { get; set; } = RunStatus.Running;

    public string EngineVersion { get; set; } = typeof(RunManifest).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>True when every model and judge is Eval360's built-in simulator: no figure is a real measurement.</summary>
    public bool Simulated { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    public BenchmarkOptions Settings { get; set; } = new();

    /// <summary>The files the run was started with (their content is snapshotted under <c>inputs/</c>).</summary>
    public List<string> SourceFiles { get; set; } = [];

    public int PlannedInvocations { get; set; }

    public int Finished { get; set; }

    public int Failed { get; set; }

    public double SpentUsd { get; set; }

    public List<ExcludedModel> ExcludedModels { get; set; } = [];

    /// <summary>Why the run stopped early (budget, error); null when it simply finished.</summary>
    public string? StopReason { get; set; }

    /// <summary>The HTML report's file name in the run directory once a completed run wrote it; null otherwise.</summary>
    public string? Report { get; set; }

    public void Save(string directory)
    {
        UpdatedAt = DateTimeOffset.UtcNow;
        ResultJson.WriteAtomically(Path.Combine(directory, FileName), this);
    }

    public static RunManifest Load(string directory)
    {
        var path = Path.Combine(directory, FileName);
        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize<RunManifest>(stream, ResultJson.Indented)
            ?? throw new InvalidDataException($"{path} is empty");
    }
}
