using System.Globalization;

namespace Eval360.Configuration;

/// <summary>
/// Every setting of a benchmark run, each defined once (defaults are the seed's). Enumerate <see cref="All"/> to
/// build a form or a table; <see cref="Find"/> looks one up by parameter or seed name.
/// </summary>
public static class RunSettings
{
    public static RunSetting<string> ExperimentName { get; } = new(
        "ExperimentName", "experiment_name", SettingKind.Plan, SettingUnit.None,
        "Names the run; its directory is <ExperimentName>-<RunId>.",
        () => $"Benchmark-{DateTime.Now:yyyyMMdd-HHmmss}", o => o.ExperimentName, (o, v) => o with { ExperimentName = v },
        rule: v => !string.IsNullOrWhiteSpace(v) && v.IndexOfAny(Path.GetInvalidFileNameChars()) < 0 && v.IndexOfAny(['/', '\\', ':', '*', '?', '"', '<', '>', '|']) < 0 && v is not ("." or "..")
            ? null
            : "must be a valid folder name (no / \\ : * ? \" < > |)");

    public static RunSetting<int> ParallelCalls { get; } = new(
        "ParallelCalls", "parallel_calls", SettingKind.Execution, SettingUnit.None,
        "Model calls in flight at once (each answer's judges are called together beside them).",
        () => 4, o => o.ParallelCalls, (o, v) => o with { ParallelCalls = v }, 1, 4096);

    public static RunSetting<int> InvocationsPerScenario { get; } = new(
        "InvocationsPerScenario", "invocations_per_scenario", SettingKind.Plan, SettingUnit.None,
        "How many times each model answers each scenario in each experiment.",
        () => 2, o => o.InvocationsPerScenario, (o, v) => o with { InvocationsPerScenario = v }, 1, 1_000_000);

    public static RunSetting<double> SleepBetweenInvocations { get; } = new(
        "SleepBetweenInvocations", "sleep_between_invocations", SettingKind.Execution, SettingUnit.Seconds,
        "Each worker's pause after an invocation, as the seed paces.",
        () => 3, o => o.SleepBetweenInvocations.TotalSeconds, (o, v) => o with { SleepBetweenInvocations = TimeSpan.FromSeconds(v) }, 0.0, 86_400.0);

    public static RunSetting<int> ExperimentCount { get; } = new(
        "ExperimentCount", "experiment_counts", SettingKind.Plan, SettingUnit.None,
        "How many times the whole set of scenarios is run, one experiment after another.",
        () => 2, o => o.ExperimentCount, (o, v) => o with { ExperimentCount = v }, 1, 100);

    public static RunSetting<double> ExperimentWaitTime { get; } = new(
        "ExperimentWaitTime", "experiment_wait_time", SettingKind.Plan, SettingUnit.Seconds,
        "The pause between one experiment and the next.",
        () => 0, o => o.ExperimentWaitTime.TotalSeconds, (o, v) => o with { ExperimentWaitTime = TimeSpan.FromSeconds(v) }, 0.0, 604_800.0);

    public static RunSetting<int> TemperatureVariations { get; } = new(
        "TemperatureVariations", "temperature_variations", SettingKind.Plan, SettingUnit.None,
        "Extra temperatures in ±25% steps around each scenario's temperature.",
        () => 0, o => o.TemperatureVariations, (o, v) => o with { TemperatureVariations = v }, 0, 5);

    public static RunSetting<IReadOnlyList<string>> UserDefinedMetrics { get; } = new(
        "UserDefinedMetrics", "user_defined_metrics", SettingKind.Plan, SettingUnit.None,
        "Metrics the judges score beside the six core dimensions (a scenario's own list replaces these).",
        () => [], o => o.UserDefinedMetrics, (o, v) => o with { UserDefinedMetrics = v });

    public static RunSetting<double> PassThreshold { get; } = new(
        "PassThreshold", "evaluation_pass_threshold", SettingKind.Plan, SettingUnit.Score,
        "The score (on the 1-5 scale) a response must reach to pass.",
        () => 3, o => o.PassThreshold, (o, v) => o with { PassThreshold = v }, 2.0, 4.0);

    public static RunSetting<JuryAggregation> JuryAggregation { get; } = new(
        "JuryAggregation", null, SettingKind.Plan, SettingUnit.None,
        "How the judges' verdicts combine: Mean (every dimension's mean reaches the threshold) or Majority (most judges pass it).",
        () => Eval360.JuryAggregation.Mean, o => o.JuryAggregation, (o, v) => o with { JuryAggregation = v });

    public static RunSetting<bool> LatencyOnly { get; } = new(
        "LatencyOnly", "latency_only_mode", SettingKind.Plan, SettingUnit.None,
        "Measure latency, throughput and cost only: no jury.",
        () => false, o => o.LatencyOnly, (o, v) => o with { LatencyOnly = v });

    public static RunSetting<bool> Vision { get; } = new(
        "Vision", "vision_enabled", SettingKind.Plan, SettingUnit.None,
        "Send each scenario's image (url_image) with its prompt.",
        () => false, o => o.Vision, (o, v) => o with { Vision = v });

    public static RunSetting<PromptOptimizationMode> PromptOptimization { get; } = new(
        "PromptOptimization", "prompt_optimization_mode", SettingKind.Plan, SettingUnit.None,
        "Rewrite each prompt for each Bedrock model with Amazon Bedrock's prompt optimization before the first call: OptimizeOnly runs the optimized prompt instead, EvaluateBoth beside the original (None: off).",
        () => PromptOptimizationMode.None, o => o.PromptOptimization, (o, v) => o with { PromptOptimization = v });

    public static RunSetting<PlanShard?> Shard { get; } = new(
        "Shard", null, SettingKind.Plan, SettingUnit.None,
        "Run only shard i of n of the plan (e.g. 3/8): the work items whose stable key falls in it, with target_rpm and target_tpm divided by n.",
        () => null, o => o.Shard, (o, v) => o with { Shard = v });

    public static RunSetting<bool> NoReport { get; } = new(
        "NoReport", null, SettingKind.Execution, SettingUnit.None,
        "Do not write report.html when the run completes.",
        () => false, o => !o.Report, (o, v) => o with { Report = !v });

    public static RunSetting<double?> MaxCost { get; } = new(
        "MaxCost", null, SettingKind.Execution, SettingUnit.Usd,
        "Stop scheduling work before projected spend (models and judges) would pass this many USD.",
        () => null, o => o.MaxCost, (o, v) => o with { MaxCost = v }, 0.0);

    public static RunSetting<int> MaxRetries { get; } = new(
        "MaxRetries", null, SettingKind.Execution, SettingUnit.None,
        "Retries per call after the first attempt, for throttling, server errors and broken streams.",
        () => 4, o => o.MaxRetries, (o, v) => o with { MaxRetries = v }, 0, 20);

    public static RunSetting<double> AttemptTimeout { get; } = new(
        "AttemptTimeout", null, SettingKind.Execution, SettingUnit.Seconds,
        "The longest one attempt may take, request to last byte.",
        () => 300, o => o.AttemptTimeout.TotalSeconds, (o, v) => o with { AttemptTimeout = TimeSpan.FromSeconds(v) }, 1.0, 86_400.0);

    public static RunSetting<double> StallTimeout { get; } = new(
        "StallTimeout", null, SettingKind.Execution, SettingUnit.Seconds,
        "How long a stream may go without a chunk before the attempt counts as stalled.",
        () => 60, o => o.StallTimeout.TotalSeconds, (o, v) => o with { StallTimeout = TimeSpan.FromSeconds(v) }, 1.0, 3_600.0);

    public static RunSetting<bool> FailOnError { get; } = new(
        "FailOnError", null, SettingKind.Execution, SettingUnit.None,
        "End with an error when any invocation failed or could not be judged, or the run did not complete.",
        () => false, o => o.FailOnError, (o, v) => o with { FailOnError = v });

    public static RunSetting<double?> MinPassRate { get; } = new(
        "MinPassRate", null, SettingKind.Execution, SettingUnit.Fraction,
        "End with an error when the share of judged responses that passed is below this.",
        () => null, o => o.MinPassRate, (o, v) => o with { MinPassRate = v }, 0.0, 1.0);

    /// <summary>Every setting, in the order help and forms show them.</summary>
    public static IReadOnlyList<RunSetting> All { get; } =
    [
        ExperimentName, ParallelCalls, InvocationsPerScenario, SleepBetweenInvocations, ExperimentCount, ExperimentWaitTime,
        TemperatureVariations, UserDefinedMetrics, PassThreshold, JuryAggregation, LatencyOnly, Vision, PromptOptimization,
        Shard, NoReport, MaxCost, MaxRetries, AttemptTimeout, StallTimeout, FailOnError, MinPassRate,
    ];

    /// <summary>
    /// The settings that shape what a plan is, so its identity (run.json's <c>plan_id</c>) is made of them and its
    /// inputs: every <see cref="SettingKind.Plan"/> setting but the run's name (the same plan may run under another
    /// name; the default name is a timestamp, different on every machine) and its shard (the shards of one plan share it).
    /// </summary>
    public static IReadOnlyList<RunSetting> PlanShaping { get; } = [.. All.Where(s => s.Kind == SettingKind.Plan && s != ExperimentName && s != Shard)];

    /// <summary>The settings <c>-Resume</c> accepts.</summary>
    public static IReadOnlyList<RunSetting> Resumable { get; } = [.. All.Where(s => s.Resumable)];

    /// <summary>The setting with this parameter or seed name (any case); null when there is none.</summary>
    public static RunSetting? Find(string name) =>
        All.FirstOrDefault(s => s.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
        ?? All.FirstOrDefault(s => s.SeedName?.Equals(name, StringComparison.OrdinalIgnoreCase) == true);

    /// <summary>Every value in <paramref name="options"/> that breaks its setting's range or rule, one finding each.</summary>
    public static IReadOnlyList<ConfigFinding> Check(BenchmarkOptions options)
    {
        var problems = new List<ConfigFinding>();
        foreach (var setting in All)
        {
            var value = setting.ValueIn(options);
            if (setting.Check(value) is { } problem)
            {
                problems.Add(new ConfigFinding(ConfigSeverity.Error, setting.Name, 0, string.Empty, $"is {Quote(setting, value)}; {problem}"));
            }
        }

        return problems;
    }

    /// <summary>
    /// <paramref name="options"/> with the given settings (name → value) applied and checked; with
    /// <paramref name="resumableOnly"/>, a setting that would change the plan is refused.
    /// </summary>
    /// <exception cref="ConfigurationException">A name is unknown or not resumable, or a value is out of range.</exception>
    public static BenchmarkOptions Apply(BenchmarkOptions options, IEnumerable<KeyValuePair<string, object?>> values, bool resumableOnly = false)
    {
        var problems = new List<ConfigFinding>();
        foreach (var (name, value) in values)
        {
            var setting = Find(name);
            if (setting is null)
            {
                problems.Add(new ConfigFinding(ConfigSeverity.Error, name, 0, string.Empty, "is not a setting of a run"));
                continue;
            }

            if (resumableOnly && !setting.Resumable)
            {
                problems.Add(new ConfigFinding(ConfigSeverity.Error, setting.Name, 0, string.Empty,
                    $"changes what the run plans, so it cannot change on resume; -Resume accepts {string.Join(", ", Resumable.Select(s => "-" + s.Name))}"));
                continue;
            }

            if (setting.Check(value) is { } problem)
            {
                problems.Add(new ConfigFinding(ConfigSeverity.Error, setting.Name, 0, string.Empty, $"is {Quote(setting, value)}; {problem}"));
                continue;
            }

            options = setting.ApplyTo(options, value);
        }

        if (problems.Count > 0)
        {
            throw new ConfigurationException(problems);
        }

        return options;
    }

    /// <summary>The settings whose values differ between <paramref name="before"/> and <paramref name="after"/>.</summary>
    public static IReadOnlyList<SettingChange> Changes(BenchmarkOptions before, BenchmarkOptions after) =>
        [.. All.Select(s => new SettingChange(s.Name, s.Format(s.ValueIn(before)), s.Format(s.ValueIn(after))))
            .Where(c => !string.Equals(c.From, c.To, StringComparison.Ordinal))];

    private static string Quote(RunSetting setting, object? value) => value switch
    {
        string text => $"'{text}'",
        IFormattable number and not Enum => number.ToString(null, CultureInfo.InvariantCulture),
        _ => setting.Format(value),
    };
}

/// <summary>A setting that changed, as users read its values (<c>8</c> → <c>2</c>, <c>off</c> → <c>on</c>).</summary>
public sealed record SettingChange(string Setting, string From, string To);
