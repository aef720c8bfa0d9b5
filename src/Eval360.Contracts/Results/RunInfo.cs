namespace Eval360;

/// <summary>
/// One run in the catalogue (<c>Get-Eval360Run</c>): where it stands and what it ran, read from its <c>run.json</c>.
/// The same list the cmdlets and the dashboard show.
/// </summary>
public sealed class RunInfo
{
    public string RunId { get; init; } = string.Empty;

    public string ExperimentName { get; init; } = string.Empty;

    /// <summary>
    /// As <c>run.json</c> says, except that a run marked running whose file has not been updated for a while is
    /// <see cref="RunStatus.Interrupted"/>: its process is gone.
    /// </summary>
    public RunStatus Status { get; init; }

    /// <summary>Invocations finished and on disk.</summary>
    public int Done { get; init; }

    /// <summary>Invocations planned.</summary>
    public int Total { get; init; }

    /// <summary>Of <see cref="Done"/>, those that failed.</summary>
    public int Failed { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When the run last stopped (completed, cancelled, failed, budget reached); null while it runs or after it was interrupted.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>When <c>run.json</c> was last written (every second while the run is in flight).</summary>
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>Candidate models, as results name them.</summary>
    public NameList Models { get; init; } = NameList.Empty;

    /// <summary>Judges; empty for a latency-only run.</summary>
    public NameList Judges { get; init; } = NameList.Empty;

    /// <summary>USD spent so far, models and judges.</summary>
    public double SpentUsd { get; init; }

    /// <summary>True when every model and judge is the built-in simulator.</summary>
    public bool Simulated { get; init; }

    /// <summary>Why the run stopped early (budget, error, cancelled); null otherwise.</summary>
    public string? StopReason { get; init; }

    /// <summary>The plan's identity (a hash of its inputs and plan settings), shared by every shard of it; null for runs written before plans had ids.</summary>
    public string? PlanId { get; init; }

    /// <summary>The shard of the plan the run made, as <c>i/n</c> (<c>-Shard</c>); null for a whole plan or a merged one.</summary>
    public string? Shard { get; init; }

    /// <summary>The full path of the run directory.</summary>
    public string Directory { get; init; } = string.Empty;

    /// <summary>The full path of report.html when the run wrote one; null otherwise.</summary>
    public string? Report { get; init; }

    /// <summary>True when <c>-Resume</c> can pick the run up (cancelled, budget reached, interrupted).</summary>
    public bool Resumable => Status is RunStatus.Cancelled or RunStatus.BudgetExhausted or RunStatus.Interrupted;

    public override string ToString() => $"{ExperimentName}-{RunId} ({Status}, {Done}/{Total})";
}
