using System.Globalization;
using System.Management.Automation;
using System.Text;
using Eval360.Configuration;
using Eval360.Execution;
using Eval360.Providers;
using Eval360.Results;

namespace Eval360.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Benchmarks models side by side: latency, throughput, cost, reliability, and quality judged by a jury of LLMs.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "Eval360Benchmark", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = NewRun)]
[OutputType(typeof(InvocationResult))]
public sealed class InvokeEval360BenchmarkCommand : AsyncEval360Cmdlet
{
    private const string NewRun = "NewRun";
    private const string ResumeRun = "Resume";

    private readonly List<Scenario> _pipelineScenarios = [];
    private ScoreColumns _scoreColumns = new([]);

    [Parameter(Position = 0, ParameterSetName = NewRun)]
    [Alias("input_file")]
    [SupportsWildcards]
    public string[] InputFile { get; set; } = [];

    [Parameter(ValueFromPipeline = true, ParameterSetName = NewRun)]
    public Scenario[] Scenario { get; set; } = [];

    [Parameter]
    [Alias("output_dir")]
    public string OutputDirectory { get; set; } = "outputs";

    [Parameter(ParameterSetName = NewRun)]
    [Alias("parallel_calls")]
    [ValidateRange(1, 4096)]
    public int ParallelCalls { get; set; } = 4;

    [Parameter(ParameterSetName = NewRun)]
    [Alias("invocations_per_scenario")]
    [ValidateRange(1, 1_000_000)]
    public int InvocationsPerScenario { get; set; } = 2;

    [Parameter(ParameterSetName = NewRun)]
    [Alias("sleep_between_invocations")]
    [ValidateRange(0.0, 86400.0)]
    public double SleepBetweenInvocations { get; set; } = 3;

    [Parameter(ParameterSetName = NewRun)]
    [Alias("experiment_counts")]
    [ValidateRange(1, 100)]
    public int ExperimentCount { get; set; } = 2;

    [Parameter(ParameterSetName = NewRun)]
    [Alias("experiment_name")]
    [ValidateNotNullOrEmpty]
    public string? ExperimentName { get; set; }

    [Parameter(ParameterSetName = NewRun)]
    [Alias("experiment_wait_time")]
    [ValidateRange(0.0, 604800.0)]
    public double ExperimentWaitTime { get; set; }

    [Parameter(ParameterSetName = NewRun)]
    [Alias("temperature_variations")]
    [ValidateRange(0, 5)]
    public int TemperatureVariations { get; set; }

    [Parameter(ParameterSetName = NewRun)]
    [Alias("user_defined_metrics")]
    public string[] UserDefinedMetrics { get; set; } = [];

    [Parameter(ParameterSetName = NewRun)]
    [Alias("model_file_name")]
    public string ModelProfile { get; set; } = "config/models_profiles.jsonl";

    [Parameter(ParameterSetName = NewRun)]
    [Alias("judge_file_name")]
    public string JudgeProfile { get; set; } = "config/judge_profiles.jsonl";

    [Parameter(ParameterSetName = NewRun)]
    [Alias("evaluation_pass_threshold")]
    [ValidateRange(2.0, 4.0)]
    public double PassThreshold { get; set; } = 3;

    [Parameter(ParameterSetName = NewRun)]
    public JuryAggregation JuryAggregation { get; set; } = JuryAggregation.Mean;

    [Parameter(ParameterSetName = NewRun)]
    public SwitchParameter NoReport { get; set; }

    [Parameter(ParameterSetName = NewRun)]
    [Alias("vision_enabled")]
    public SwitchParameter Vision { get; set; }

    [Parameter(ParameterSetName = NewRun)]
    [Alias("prompt_optimization_mode")]
    public PromptOptimizationMode PromptOptimization { get; set; } = PromptOptimizationMode.None;

    [Parameter(ParameterSetName = NewRun)]
    [Alias("latency_only_mode")]
    public SwitchParameter LatencyOnly { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = ResumeRun)]
    [ValidateNotNullOrEmpty]
    public string? Resume { get; set; }

    [Parameter]
    [ValidateRange(0.0, double.MaxValue)]
    public double? MaxCost { get; set; }

    [Parameter(ParameterSetName = NewRun)]
    [ValidateRange(0, 20)]
    public int MaxRetries { get; set; } = 4;

    /// <summary>Seconds a stream may go without a chunk before the attempt counts as stalled.</summary>
    [Parameter(ParameterSetName = NewRun)]
    [ValidateRange(1.0, 3600.0)]
    public double StallTimeout { get; set; } = 60;

    /// <summary>Seconds one attempt may take from request to last byte.</summary>
    [Parameter(ParameterSetName = NewRun)]
    [ValidateRange(1.0, 86400.0)]
    public double AttemptTimeout { get; set; } = 300;

    /// <summary>Ends with a terminating error when any invocation failed or could not be judged (for scheduled runs).</summary>
    [Parameter]
    public SwitchParameter FailOnError { get; set; }

    /// <summary>Ends with a terminating error when the share of judged responses that passed is below this (0 to 1).</summary>
    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double? MinPassRate { get; set; }

    protected override void ProcessRecord()
    {
        for (int i = 0; i < Scenario.Length; i++)
        {
            _pipelineScenarios.Add(Scenario[i]);
        }
    }

    protected override void EndProcessing()
    {
        Benchmark benchmark;
        try
        {
            benchmark = ParameterSetName == ResumeRun
                ? Benchmark.Resume(ResolveRunReference(Resume!), ResolvePath(OutputDirectory), CurrentDirectory, MaxCost)
                : Benchmark.Create(LoadConfiguration(), Options(), CurrentDirectory);
        }
        catch (ConfigurationException e)
        {
            ThrowConfigurationError(e);
            return;
        }

        foreach (var warning in benchmark.Warnings)
        {
            WriteWarning(warning.ToString());
        }

        var remaining = benchmark.Plan.Items.Count - benchmark.AlreadyFinished;
        var target = benchmark.ResumedDirectory ?? Path.Combine(ResolvePath(OutputDirectory), benchmark.Plan.Options.ExperimentName + "-<run id>");
        if (!ShouldProcess(target, Describe(benchmark.Plan, remaining)))
        {
            if (MyInvocation.BoundParameters.ContainsKey("WhatIf"))
            {
                WriteHostLine(benchmark.DescribePlan());
            }

            return;
        }

        _scoreColumns = new ScoreColumns(benchmark.Plan.Metrics);
        RunOutcome outcome;
        try
        {
            outcome = RunAndDrain(
                (events, stop, gone) => benchmark.RunAsync(events, stop, gone),
                Handle,
                () => Report(benchmark.Progress, benchmark.Plan.Options.ExperimentName));
        }
        catch (BenchmarkException e)
        {
            CompleteProgress();
            ThrowTerminatingError(new ErrorRecord(e, e.ErrorId, ErrorCategory.ResourceUnavailable, benchmark.Plan.Options.ExperimentName));
            return;
        }

        CompleteProgress();
        WriteHostLine(OutcomeText(outcome));
        EnforceGates(outcome);
    }

    /// <summary>Turns a disappointing run into a terminating error, so scheduled scripts fail (like promptfoo's exit code 100).</summary>
    private void EnforceGates(RunOutcome outcome)
    {
        var failed = outcome.Summaries.Sum(s => s.Failed + s.Errors.Where(e => e.Key == FailureKind.JuryUnavailable.Code()).Sum(e => e.Value));
        if (FailOnError && (failed > 0 || outcome.Status != RunStatus.Completed))
        {
            var message = $"The benchmark run {outcome.Directory.RunId} ended {outcome.Status.ToString().ToLowerInvariant()} with {failed} failed invocation(s); see {outcome.Directory.Unprocessed}.";
            ThrowTerminatingError(new ErrorRecord(new InvalidOperationException(message), "BenchmarkHadErrors", ErrorCategory.InvalidResult, outcome.Directory.Path));
        }

        if (MinPassRate is double minimum)
        {
            int judged = outcome.Summaries.Sum(s => s.Judged);
            double rate = judged == 0 ? 0 : outcome.Summaries.Sum(s => s.Passed) / (double)judged;
            if (rate < minimum)
            {
                var message = string.Format(CultureInfo.InvariantCulture, "The pass rate of run {0} is {1:P1} ({2} of {3} judged responses), below -MinPassRate {4:P1}.",
                    outcome.Directory.RunId, rate, outcome.Summaries.Sum(s => s.Passed), judged, minimum);
                ThrowTerminatingError(new ErrorRecord(new InvalidOperationException(message), "PassRateBelowMinimum", ErrorCategory.InvalidResult, outcome.Directory.Path));
            }
        }
    }

    private LoadedConfiguration LoadConfiguration()
    {
        var inputs = InputFile.SelectMany(ResolveExisting).ToList();
        var judges = LatencyOnly ? null : ResolvePath(JudgeProfile);
        return ConfigLoader.Load(inputs, _pipelineScenarios, ResolvePath(ModelProfile), judges);
    }

    private BenchmarkOptions Options()
    {
        var options = new BenchmarkOptions
        {
            OutputDirectory = ResolvePath(OutputDirectory),
            ParallelCalls = ParallelCalls,
            InvocationsPerScenario = InvocationsPerScenario,
            SleepBetweenInvocations = TimeSpan.FromSeconds(SleepBetweenInvocations),
            ExperimentCount = ExperimentCount,
            ExperimentWaitTime = TimeSpan.FromSeconds(ExperimentWaitTime),
            TemperatureVariations = TemperatureVariations,
            UserDefinedMetrics = UserDefinedMetrics.SelectMany(m => m.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToList(),
            PassThreshold = PassThreshold,
            JuryAggregation = JuryAggregation,
            LatencyOnly = LatencyOnly,
            Vision = Vision,
            PromptOptimization = PromptOptimization,
            Report = !NoReport,
            MaxCost = MaxCost,
            MaxRetries = MaxRetries,
            StallTimeout = TimeSpan.FromSeconds(StallTimeout),
            AttemptTimeout = TimeSpan.FromSeconds(AttemptTimeout),
        };
        return ExperimentName is null ? options : options with { ExperimentName = ExperimentName };
    }

    /// <summary>A run id stays as it is; anything that looks like a path is resolved against the PowerShell location.</summary>
    private string ResolveRunReference(string reference) =>
        reference.IndexOfAny(['/', '\\', '.']) >= 0 || Directory.Exists(ResolvePath(reference)) ? ResolvePath(reference) : reference;

    private void Handle(RunEvent item)
    {
        switch (item)
        {
            case ResultRecorded recorded:
                WriteObject(_scoreColumns.Attach(recorded.Result));
                break;
            case RunWarning warning:
                WriteWarning(warning.Message);
                break;
            case RunNotice notice:
                WriteVerbose(notice.Message);
                break;
        }
    }

    private void Report(RunProgress progress, string experimentName)
    {
        int planned = Math.Max(1, progress.Planned);
        var status = string.Format(CultureInfo.InvariantCulture, "{0}/{1} done, {2} failed, {3} in flight — {4}",
            progress.Finished, progress.Planned, progress.Failed, progress.InFlight, progress.Phase);
        var record = new ProgressRecord(1, $"Eval360 benchmark {experimentName}", status)
        {
            PercentComplete = Math.Min(100, progress.Finished * 100 / planned),
            SecondsRemaining = progress.EtaSeconds is double eta ? (int)Math.Ceiling(eta) : -1,
        };
        WriteProgress(record);
    }

    private void CompleteProgress() =>
        WriteProgress(new ProgressRecord(1, "Eval360 benchmark", "done") { RecordType = ProgressRecordType.Completed });

    private void WriteHostLine(string text) =>
        WriteInformation(new HostInformationMessage { Message = text, NoNewLine = false }, ["PSHOST", "Eval360"]);

    private static string Describe(BenchmarkPlan plan, int remaining) =>
        $"Invoke {remaining} model calls ({plan.Models.Count} models{(plan.Judges.Count > 0 ? $", each answer judged by {plan.Judges.Count} judges" : ", latency only")})";

    private static string OutcomeText(RunOutcome outcome)
    {
        var text = new StringBuilder();
        var simulated = outcome.Summaries.Any(s => s.Simulated) ? " [SIMULATED: built-in simulator, not real model measurements]" : string.Empty;
        text.Append(CultureInfo.InvariantCulture, $"Eval360 run {outcome.Directory.RunId} {outcome.Status.ToString().ToLowerInvariant()}: {outcome.Finished}/{outcome.Planned} invocations, {outcome.Failed} failed, {outcome.SpentUsd:0.######} USD{simulated}");
        if (outcome.StopReason is { } reason && outcome.Status != RunStatus.Completed)
        {
            text.Append(CultureInfo.InvariantCulture, $"{Environment.NewLine}  {reason}");
        }

        text.Append(CultureInfo.InvariantCulture, $"{Environment.NewLine}Results: {outcome.Directory.Path}");
        if (outcome.Status == RunStatus.Completed && File.Exists(outcome.Directory.Report))
        {
            text.Append(CultureInfo.InvariantCulture, $"{Environment.NewLine}Report: {outcome.Directory.Report}");
        }
        return text.ToString();
    }
}
