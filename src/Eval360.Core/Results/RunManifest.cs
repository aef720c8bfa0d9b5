using System.Text.Json;
using Eval360.Configuration;

namespace Eval360.Results;

/// <summary>A model the access check left out, and why.</summary>
public sealed record ExcludedModel(string ModelId, string? Region, string Role, string ErrorCode, string Reason);

/// <summary>A run whose saved responses a re-judging judged again: its id, the jury that had judged them, and where it was read from.</summary>
/// <param name="Directory">The run directory, journal or CSV read; null when the results came from the pipeline.</param>
public sealed record RejudgedRun(string RunId, string? JuryId, string? Directory);

/// <summary>
/// A service tier the provider refused for a model and region (<c>ServiceTier</c>, the profile's), and what the run did:
/// ran the model at the default tier instead (<see cref="RanAtDefaultTier"/>), or dropped that variant because the run
/// has the model and region at the default tier already (<see cref="Dropped"/>: no duplicate spend).
/// </summary>
public sealed record ServiceTierFallback(string ModelId, string? Region, string Role, string ServiceTier, string Outcome, string Reason)
{
    public const string RanAtDefaultTier = "default_tier";

    public const string Dropped = "dropped";

    /// <summary>Whether this is about <paramref name="profile"/> (its model, region, tier and role).</summary>
    public bool Concerns(ModelProfile profile) =>
        ModelId == profile.ModelId && Region == profile.Region && ServiceTier == profile.ServiceTier
        && string.Equals(Role, profile.Role.ToString(), StringComparison.OrdinalIgnoreCase);

    /// <summary>What runs in <paramref name="profile"/>'s place: itself, its default-tier twin, or nothing (null: dropped).</summary>
    public static ModelProfile? Apply(ModelProfile profile, IEnumerable<ServiceTierFallback> fallbacks) =>
        fallbacks.FirstOrDefault(f => f.Concerns(profile)) is not { } fallback ? profile
        : fallback.Outcome == Dropped ? null
        : DefaultTierOf(profile);

    /// <summary>The profile at the default tier, remembering the tier it asked for.</summary>
    public static ModelProfile DefaultTierOf(ModelProfile profile) => profile with { ServiceTier = null, RefusedServiceTier = profile.ServiceTier };
}

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

    /// <summary>Service tiers the access check found refused, and whether each variant fell back to the default tier or was dropped; a resume keeps them.</summary>
    public List<ServiceTierFallback> ServiceTierFallbacks { get; set; } = [];

    /// <summary>The prompt optimization log's file name when the run optimizes prompts; null otherwise.</summary>
    public string? PromptOptimizationLog { get; set; }

    /// <summary>Why the run stopped early (budget, error); null when it simply finished.</summary>
    public string? StopReason { get; set; }

    /// <summary>The HTML report's file name in the run directory once a completed run wrote it; null otherwise.</summary>
    public string? Report { get; set; }

    /// <summary>Each <c>-Resume</c> of the run, oldest first, with the settings it changed.</summary>
    public List<RunResume> Resumes { get; set; } = [];

    /// <summary>
    /// The jury that judged the results written here (<see cref="InvocationResult.JuryId"/>): a benchmark's own run id
    /// when it has judges, a re-judging's id; null for a latency-only run.
    /// </summary>
    public string? JuryId { get; set; }

    /// <summary>For a re-judging (<c>Invoke-Eval360Jury</c>), the runs whose responses it judged again; null for a benchmark run.</summary>
    public List<RejudgedRun>? Rejudged { get; set; }

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
