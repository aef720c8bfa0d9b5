using Eval360.Calls;

namespace Eval360.Execution;

/// <summary>Every setting of a run, with the seed's defaults. Kept in <c>run.json</c> so a run can be resumed.</summary>
public sealed record BenchmarkOptions
{
    public string ExperimentName { get; init; } = $"Benchmark-{DateTime.Now:yyyyMMdd-HHmmss}";

    public string OutputDirectory { get; init; } = "outputs";

    /// <summary>Model calls in flight at once (candidates; each response's judges are called together beside them).</summary>
    public int ParallelCalls { get; init; } = 4;

    public int InvocationsPerScenario { get; init; } = 2;

    /// <summary>Each worker's pause after an invocation, as the seed paces.</summary>
    public TimeSpan SleepBetweenInvocations { get; init; } = TimeSpan.FromSeconds(3);

    public int ExperimentCount { get; init; } = 2;

    public TimeSpan ExperimentWaitTime { get; init; } = TimeSpan.Zero;

    /// <summary>Extra temperatures in ±25% steps around each scenario's temperature (0–5).</summary>
    public int TemperatureVariations { get; init; }

    public IReadOnlyList<string> UserDefinedMetrics { get; init; } = [];

    /// <summary>The score (2–4 on the 1–5 scale) a response must reach to pass.</summary>
    public double PassThreshold { get; init; } = 3;

    public JuryAggregation JuryAggregation { get; init; } = JuryAggregation.Mean;

    public bool LatencyOnly { get; init; }

    public bool Vision { get; init; }

    public PromptOptimizationMode PromptOptimization { get; init; } = PromptOptimizationMode.None;

    public bool Report { get; init; } = true;

    /// <summary>Stop scheduling work before projected spend would pass this many USD.</summary>
    public double? MaxCost { get; init; }

    /// <summary>Retries per call after the first attempt, for throttling, server errors and broken streams.</summary>
    public int MaxRetries { get; init; } = 4;

    /// <summary>The longest one attempt may take, first byte to last.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a stream may go without a chunk before the attempt counts as stalled.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The most time one call may spend on retries, waits included.</summary>
    public TimeSpan MaxRetryTime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The limits every model and judge call of the run is made under.</summary>
    internal CallLimits CallLimits => new()
    {
        MaxRetries = MaxRetries,
        AttemptTimeout = AttemptTimeout,
        StallTimeout = StallTimeout,
        MaxRetryTime = MaxRetryTime,
    };

    /// <summary>Checks ranges; returns one message per problem (the cmdlet validates its parameters the same way).</summary>
    public IReadOnlyList<ConfigFinding> Validate()
    {
        var problems = new List<ConfigFinding>();
        void Check(bool ok, string parameter, string message)
        {
            if (!ok)
            {
                problems.Add(new ConfigFinding(ConfigSeverity.Error, parameter, 0, string.Empty, message));
            }
        }

        Check(ParallelCalls is >= 1 and <= 4096, "ParallelCalls", $"is {ParallelCalls}; use 1 to 4096");
        Check(InvocationsPerScenario is >= 1 and <= 1_000_000, "InvocationsPerScenario", $"is {InvocationsPerScenario}; use 1 to 1,000,000");
        Check(ExperimentCount is >= 1 and <= 100, "ExperimentCount", $"is {ExperimentCount}; use 1 to 100");
        Check(TemperatureVariations is >= 0 and <= 5, "TemperatureVariations", $"is {TemperatureVariations}; use 0 to 5");
        Check(PassThreshold is >= 2 and <= 4, "PassThreshold", $"is {PassThreshold}; use 2 to 4 (scores run 1 to 5)");
        Check(SleepBetweenInvocations >= TimeSpan.Zero, "SleepBetweenInvocations", "must not be negative");
        Check(ExperimentWaitTime >= TimeSpan.Zero, "ExperimentWaitTime", "must not be negative");
        Check(MaxCost is null or >= 0, "MaxCost", "must not be negative");
        Check(PromptOptimization == PromptOptimizationMode.None, "PromptOptimization",
            "needs Amazon Bedrock's prompt optimisation API, which this version does not call yet; use None");
        Check(MaxRetries is >= 0 and <= 20, "MaxRetries", $"is {MaxRetries}; use 0 to 20");
        Check(!string.IsNullOrWhiteSpace(ExperimentName) && ExperimentName.IndexOfAny(Path.GetInvalidFileNameChars()) < 0 && ExperimentName is not ("." or ".."),
            "ExperimentName", "must be a valid folder name");
        return problems;
    }
}
