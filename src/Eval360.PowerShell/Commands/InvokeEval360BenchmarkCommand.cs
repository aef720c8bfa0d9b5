using System.Globalization;
using System.Management.Automation;
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
    public string OutputDirectory { get; set; } = DefaultPaths.OutputDirectory;

    // Run settings: ranges, defaults and help live in Eval360.Configuration.RunSettings; only the values the user gave
    // are passed on (so that on -Resume they override the run's saved settings and nothing else does).

    [Parameter]
    [Alias("parallel_calls")]
    [ValidateRunSetting(nameof(ParallelCalls))]
    public int ParallelCalls { get; set; }

    [Parameter(ParameterSetName = NewRun)]
    [Alias("invocations_per_scenario")]
    [ValidateRunSetting(nameof(InvocationsPerScenario))]
    public int InvocationsPerScenario { get; set; }

    [Parameter]
    [Alias("sleep_between_invocations")]
    [ValidateRunSetting(nameof(SleepBetweenInvocations))]
    public double SleepBetweenInvocations { get; set; }

    [Parameter(ParameterSetName = NewRun)]
    [Alias("experiment_counts")]
    [ValidateRunSetting(nameof(ExperimentCount))]
    public int ExperimentCount { get; set; }

    [Parameter(ParameterSetName = NewRun)]
    [Alias("experiment_name")]
    [ValidateNotNullOrEmpty]
    [ValidateRunSetting(nameof(ExperimentName))]
    public string? ExperimentName { get; set; }

    [Parameter(ParameterSetName = NewRun)]
    [Alias("experiment_wait_time")]
    [ValidateRunSetting(nameof(ExperimentWaitTime))]
    public double ExperimentWaitTime { get; set; }

    [Parameter(ParameterSetName = NewRun)]
    [Alias("temperature_variations")]
    [ValidateRunSetting(nameof(TemperatureVariations))]
    public int TemperatureVariations { get; set; }

    [Parameter(ParameterSetName = NewRun)]
    [Alias("user_defined_metrics")]
    public string[] UserDefinedMetrics { get; set; } = [];

    [Parameter(ParameterSetName = NewRun)]
    [Alias("model_file_name")]
    public string ModelProfile { get; set; } = DefaultPaths.ModelProfile;

    [Parameter(ParameterSetName = NewRun)]
    [Alias("judge_file_name")]
    public string JudgeProfile { get; set; } = DefaultPaths.JudgeProfile;

    [Parameter(ParameterSetName = NewRun)]
    [Alias("evaluation_pass_threshold")]
    [ValidateRunSetting(nameof(PassThreshold))]
    public double PassThreshold { get; set; }

    [Parameter(ParameterSetName = NewRun)]
    public JuryAggregation JuryAggregation { get; set; }

    [Parameter]
    public SwitchParameter NoReport { get; set; }

    [Parameter(ParameterSetName = NewRun)]
    [Alias("vision_enabled")]
    public SwitchParameter Vision { get; set; }

    [Parameter(ParameterSetName = NewRun)]
    [Alias("prompt_optimization_mode")]
    [ValidateRunSetting(nameof(PromptOptimization))]
    public PromptOptimizationMode PromptOptimization { get; set; }

    [Parameter(ParameterSetName = NewRun)]
    [Alias("latency_only_mode")]
    public SwitchParameter LatencyOnly { get; set; }

    [Parameter(ParameterSetName = NewRun)]
    [ValidateNotNullOrEmpty]
    [ValidateRunSetting(nameof(Shard))]
    public string? Shard { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = ResumeRun)]
    [ValidateNotNullOrEmpty]
    public string? Resume { get; set; }

    [Parameter]
    [ValidateRunSetting(nameof(MaxCost))]
    public double? MaxCost { get; set; }

    [Parameter]
    [ValidateRunSetting(nameof(MaxRetries))]
    public int MaxRetries { get; set; }

    [Parameter]
    [ValidateRunSetting(nameof(StallTimeout))]
    public double StallTimeout { get; set; }

    [Parameter]
    [ValidateRunSetting(nameof(AttemptTimeout))]
    public double AttemptTimeout { get; set; }

    [Parameter]
    public SwitchParameter FailOnError { get; set; }

    [Parameter]
    [ValidateRunSetting(nameof(MinPassRate))]
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
                ? Benchmark.Resume(ResolveRunReference(Resume!), ResolvePath(OutputDirectory), CurrentDirectory, GivenSettings())
                : Benchmark.Create(LoadConfiguration(), Options(), CurrentDirectory);
        }
        catch (ConfigurationException e)
        {
            ThrowConfigurationError(e);
            return;
        }
        catch (RunNotFoundException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "RunNotFound", ErrorCategory.ObjectNotFound, Resume)
            {
                ErrorDetails = new ErrorDetails(e.Message)
                {
                    RecommendedAction = $"Get-Eval360Run -Path '{e.OutputDirectory}' lists the runs there; give -Resume a run id from it, or a run directory.",
                },
            });
            return;
        }

        foreach (var warning in benchmark.Warnings)
        {
            WriteWarning(warning.ToString());
        }

        var remaining = benchmark.Plan.Items.Count - benchmark.AlreadyFinished;
        if (!ShouldProcess(benchmark.Directory, Describe(benchmark.Plan, remaining)))
        {
            if (MyInvocation.BoundParameters.ContainsKey("WhatIf"))
            {
                WriteNote(benchmark.DescribePlan());
            }

            return;
        }

        _scoreColumns = new ScoreColumns(benchmark.Plan.Metrics);
        benchmark.EventLogLevel = LogLevelWanted;
        RunOutcome outcome;
        try
        {
            outcome = RunAndDrain(
                (events, stop, gone) => benchmark.RunAsync(events, stop, gone),
                Handle,
                () => Report(benchmark),
                stopped => WriteStopWarning(stopped.DescribeCancellation()));
        }
        catch (BenchmarkException e)
        {
            CompleteProgress();
            ThrowTerminatingError(new ErrorRecord(e, e.ErrorId, ErrorCategory.ResourceUnavailable, benchmark.Plan.Options.ExperimentName));
            return;
        }

        CompleteProgress();
        WriteNote(outcome.Describe());
        if (outcome.Gate is { } gate)
        {
            // A disappointing run ends in a terminating error, so scheduled scripts fail (like promptfoo's exit code 100).
            ThrowTerminatingError(new ErrorRecord(new InvalidOperationException(gate.Message), gate.ErrorId, ErrorCategory.InvalidResult, outcome.Directory.Path));
        }
    }

    private LoadedConfiguration LoadConfiguration()
    {
        var inputs = InputFile.SelectMany(ResolveExisting).ToList();
        var models = ResolvePath(ModelProfile);
        var judges = LatencyOnly ? null : ResolvePath(JudgeProfile);
        RequireDefaultProfiles(models, judges);
        return ConfigLoader.Load(inputs, _pipelineScenarios, models, judges, ProviderSet.Catalog, CurrentDirectory);
    }

    /// <summary>
    /// Profiles nobody named that are not where the seed keeps them (config/ under the current location): rather than
    /// a missing file, say where profiles are expected and how to start without any.
    /// </summary>
    private void RequireDefaultProfiles(string models, string? judges)
    {
        var missing = new List<string>();
        if (!MyInvocation.BoundParameters.ContainsKey(nameof(ModelProfile)) && !File.Exists(models))
        {
            missing.Add($"model profiles (-ModelProfile, by default {DefaultPaths.ModelProfile})");
        }

        if (judges is not null && !MyInvocation.BoundParameters.ContainsKey(nameof(JudgeProfile)) && !File.Exists(judges))
        {
            missing.Add($"judge profiles (-JudgeProfile, by default {DefaultPaths.JudgeProfile})");
        }

        if (missing.Count == 0)
        {
            return;
        }

        var message = $"No {string.Join(" and no ", missing)}: none was given, and {CurrentDirectory} has no such file. "
            + "Profiles are JSON Lines files, one model a line ({\"model_id\": \"openai/gpt-4o-mini\", \"input_token_cost\": 0.00015, \"output_token_cost\": 0.0006}), "
            + "read from the paths -ModelProfile and -JudgeProfile give, else from config/ under the current location, as the seed does.";
        ThrowTerminatingError(new ErrorRecord(new FileNotFoundException(message, models), "ProfilesNotFound", ErrorCategory.ObjectNotFound, models)
        {
            ErrorDetails = new ErrorDetails(message)
            {
                RecommendedAction = "Give -ModelProfile <file> and -JudgeProfile <file> (or -LatencyOnly, without a jury), or run where config/ is. "
                    + "To try it without keys: Get-Eval360Sample -Destination <folder> copies sample scenarios and simulated profiles there (runs/, config/).",
            },
        });
    }

    private BenchmarkOptions Options() =>
        RunSettings.Apply(new BenchmarkOptions { OutputDirectory = ResolvePath(OutputDirectory) }, GivenSettings());

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
            case RunLogged logged:
                WriteLogged(logged);
                break;
        }
    }

    private void Report(Benchmark benchmark)
    {
        var progress = benchmark.Progress;
        int planned = Math.Max(1, progress.Planned);
        var status = string.Format(CultureInfo.InvariantCulture, "{0}/{1} done, {2} failed, {3} in flight — {4}",
            progress.Finished, progress.Planned, progress.Failed, progress.InFlight, progress.Phase);
        var record = new ProgressRecord(1, $"Eval360 run {benchmark.RunId} ({benchmark.Plan.Options.ExperimentName})", status)
        {
            PercentComplete = Math.Min(100, progress.Finished * 100 / planned),
            SecondsRemaining = progress.EtaSeconds is double eta ? (int)Math.Ceiling(eta) : -1,
        };
        WriteProgress(record);
    }

    private void CompleteProgress() =>
        WriteProgress(new ProgressRecord(1, "Eval360 benchmark", "done") { RecordType = ProgressRecordType.Completed });

    private static string Describe(BenchmarkPlan plan, int remaining) =>
        $"Invoke {remaining} model calls ({plan.Models.Count} models{(plan.Judges.Count > 0 ? $", each answer judged by {plan.Judges.Count} judges" : ", latency only")})";
}
