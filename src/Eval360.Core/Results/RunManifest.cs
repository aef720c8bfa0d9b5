using System.Text.Json;
using Eval360.Configuration;

namespace Eval360.Results;

/// <summary>A model the access check left out, and why.</summary>
public sealed record ExcludedModel(string ModelId, string? Region, string Role, string ErrorCode, string Reason);

/// <summary>One shard run of a merged run: which shard, its run id and directory, how it ended and how many invocations it held.</summary>
public sealed record MergedShard(PlanShard Shard, string RunId, string Directory, RunStatus Status, int Done);

/// <summary>A <c>-Resume</c> of the run: when, and which execution settings it changed.</summary>
public sealed record RunResume(DateTimeOffset At, IReadOnlyList<SettingChange> Changed);

/// <summary>
/// <c>run.json</c>: a run's settings and status. Rewritten atomically when the status changes and, while the run is in
/// flight, every second with its counts, so schedulers, <c>Get-Eval360Run</c> and dashboards can poll it.
/// </summary>
public sealed class RunManifest
{
    public const string FileName = "run.json";

    /// <summary>How often a run in flight rewrites <c>run.json</c>.</summary>
    public static readonly TimeSpan LiveInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A <c>running</c> run whose <c>run.json</c> is older than this has lost its process (killed, machine down): far
    /// more than <see cref="LiveInterval"/>, so a busy machine's late timer never makes a live run look dead.
    /// </summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(30);

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

    /// <summary>
    /// What the plan is: a hash of its inputs and of the settings that shape it. Every shard of a plan names the same
    /// one; null in runs written before plans had ids.
    /// </summary>
    public string? PlanId { get; set; }

    /// <summary>The shard of the plan this run made (<c>"3/8"</c> in run.json); null for the whole plan.</summary>
    public PlanShard? Shard => Settings.Shard;

    /// <summary>For a merged run, the shard runs it was made of, in shard order; null otherwise.</summary>
    public List<MergedShard>? MergedShards { get; set; }

    /// <summary>The files the run was started with (their content is snapshotted under <c>inputs/</c>).</summary>
    public List<string> SourceFiles { get; set; } = [];

    /// <summary>Candidate models of the plan, as results name them.</summary>
    public List<string> Models { get; set; } = [];

    /// <summary>Judges of the plan; empty for a latency-only run.</summary>
    public List<string> Judges { get; set; } = [];

    public int PlannedInvocations { get; set; }

    /// <summary>Invocations on disk (in the journal), earlier sessions of a resumed run included.</summary>
    public int Finished { get; set; }

    /// <summary>Of <see cref="Finished"/>, those that failed.</summary>
    public int Failed { get; set; }

    /// <summary>The contract's name for <see cref="Finished"/> (<c>done</c> in run.json).</summary>
    public int Done => Finished;

    /// <summary>The contract's name for <see cref="PlannedInvocations"/> (<c>total</c> in run.json).</summary>
    public int Total => PlannedInvocations;

    public double SpentUsd { get; set; }

    public List<ExcludedModel> ExcludedModels { get; set; } = [];

    /// <summary>Why the run stopped early (budget, error); null when it simply finished.</summary>
    public string? StopReason { get; set; }

    /// <summary>The HTML report's file name in the run directory once a completed run wrote it; null otherwise.</summary>
    public string? Report { get; set; }

    /// <summary>Each <c>-Resume</c> of the run, oldest first, with the settings it changed.</summary>
    public List<RunResume> Resumes { get; set; } = [];

    public void Save(string directory, DateTimeOffset now)
    {
        UpdatedAt = now;
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
