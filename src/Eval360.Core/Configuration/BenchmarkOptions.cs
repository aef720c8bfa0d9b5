namespace Eval360.Configuration;

/// <summary>
/// Every setting of a run. Kept in <c>run.json</c> so a run can be resumed. Defaults, ranges and help live in
/// <see cref="RunSettings"/>; this is the plain value the engine carries.
/// </summary>
public sealed record BenchmarkOptions
{
    public string ExperimentName { get; init; } = RunSettings.ExperimentName.Default;

    public string OutputDirectory { get; init; } = DefaultPaths.OutputDirectory;

    /// <inheritdoc cref="RunSettings.ParallelCalls"/>
    public int ParallelCalls { get; init; } = RunSettings.ParallelCalls.Default;

    public int InvocationsPerScenario { get; init; } = RunSettings.InvocationsPerScenario.Default;

    public TimeSpan SleepBetweenInvocations { get; init; } = TimeSpan.FromSeconds(RunSettings.SleepBetweenInvocations.Default);

    public int ExperimentCount { get; init; } = RunSettings.ExperimentCount.Default;

    public TimeSpan ExperimentWaitTime { get; init; } = TimeSpan.FromSeconds(RunSettings.ExperimentWaitTime.Default);

    public int TemperatureVariations { get; init; } = RunSettings.TemperatureVariations.Default;

    public IReadOnlyList<string> UserDefinedMetrics { get; init; } = RunSettings.UserDefinedMetrics.Default;

    public double PassThreshold { get; init; } = RunSettings.PassThreshold.Default;

    public JuryAggregation JuryAggregation { get; init; } = RunSettings.JuryAggregation.Default;

    public bool LatencyOnly { get; init; } = RunSettings.LatencyOnly.Default;

    public bool Vision { get; init; } = RunSettings.Vision.Default;

    public PromptOptimizationMode PromptOptimization { get; init; } = RunSettings.PromptOptimization.Default;

    /// <summary>The one shard of the plan this run makes; null for the whole plan.</summary>
    public PlanShard? Shard { get; init; } = RunSettings.Shard.Default;

    /// <summary>Write report.html when the run completes (the <c>-NoReport</c> setting, inverted).</summary>
    public bool Report { get; init; } = !RunSettings.NoReport.Default;

    public double? MaxCost { get; init; } = RunSettings.MaxCost.Default;

    public int MaxRetries { get; init; } = RunSettings.MaxRetries.Default;

    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(RunSettings.AttemptTimeout.Default);

    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(RunSettings.StallTimeout.Default);

    /// <summary>The most time one call may spend on retries, waits included (not a user setting).</summary>
    public TimeSpan MaxRetryTime { get; init; } = TimeSpan.FromMinutes(5);

    public bool FailOnError { get; init; } = RunSettings.FailOnError.Default;

    public double? MinPassRate { get; init; } = RunSettings.MinPassRate.Default;

    /// <summary>Checks every setting against its range or rule in <see cref="RunSettings"/>; one finding per problem.</summary>
    public IReadOnlyList<ConfigFinding> Validate() => RunSettings.Check(this);
}
