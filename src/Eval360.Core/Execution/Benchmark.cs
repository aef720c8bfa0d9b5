using System.Threading.Channels;
using Eval360.Calls;
using Eval360.Configuration;
using Eval360.Providers;
using Eval360.Results;
using Microsoft.Extensions.Logging;

namespace Eval360.Execution;

/// <summary>
/// A benchmark ready to run: a new one from checked configuration, or an interrupted one picked up from its run
/// directory. Building one has no side effects — <c>-WhatIf</c> inspects <see cref="Plan"/> and nothing is written
/// or called until <see cref="RunAsync"/>.
/// </summary>
public sealed class Benchmark
{
    private readonly LoadedConfiguration _configuration;
    private readonly string _workingDirectory;
    private readonly TimeProvider _time;
    private readonly RunDirectory? _resumeDirectory;
    private readonly RunManifest? _resumeManifest;
    private readonly IReadOnlySet<string> _finished;

    private Benchmark(LoadedConfiguration configuration, BenchmarkPlan plan, string workingDirectory, TimeProvider time,
        RunDirectory? resumeDirectory, RunManifest? resumeManifest, IReadOnlySet<string> finished, InvocationResult? firstFinished)
    {
        _configuration = configuration;
        Plan = plan;
        _workingDirectory = workingDirectory;
        _time = time;
        _resumeDirectory = resumeDirectory;
        _resumeManifest = resumeManifest;
        _finished = finished;
        RunId = resumeDirectory?.RunId ?? RunDirectory.NewRunId();
        PlanId = PlanIdentity.Of(configuration.Scenarios, configuration.Models, configuration.Judges, plan.Options);
        ResultsPlanId = firstFinished is null ? PlanId : firstFinished.PlanId;
        Directory = resumeDirectory?.Path
            ?? Path.Combine(Path.GetFullPath(Path.Combine(workingDirectory, plan.Options.OutputDirectory)), $"{plan.Options.ExperimentName}-{RunId}");
    }

    public BenchmarkPlan Plan { get; }

    /// <summary>The run's id, chosen before it starts (a resumed run keeps its own).</summary>
    public string RunId { get; }

    /// <summary>
    /// The plan's identity (run.json's <c>plan_id</c>): a hash of the inputs and the settings that shape the plan, the
    /// same for every shard of it.
    /// </summary>
    public string PlanId { get; }

    /// <summary>
    /// The plan id the run's results carry (<see cref="InvocationResult.PlanId"/>): <see cref="PlanId"/>, except that a
    /// resumed run goes on as its journal began — with the plan id its first result carries, or none when that result
    /// was written before results carried one — so that all of a run's answers pair up the same way.
    /// </summary>
    internal string? ResultsPlanId { get; }

    /// <summary>The run directory: created when the run starts, or the one being resumed.</summary>
    public string Directory { get; }

    public RunProgress Progress { get; } = new();

    /// <summary>Invocations a resumed run already holds in its journal.</summary>
    public int AlreadyFinished => _finished.Count;

    /// <summary>The run directory being resumed; null for a new run.</summary>
    public string? ResumedDirectory => _resumeDirectory?.Path;

    public IReadOnlyList<ConfigFinding> Warnings => _configuration.Warnings;

    /// <summary>What the run would call and spend, for <c>-WhatIf</c> (a resumed run counts only what is left).</summary>
    public string DescribePlan() => PlanDescription.Describe(Plan, _finished, SettingChanges);

    /// <exception cref="ConfigurationException">A setting is out of range.</exception>
    public static Benchmark Create(LoadedConfiguration configuration, BenchmarkOptions options, string workingDirectory, TimeProvider? time = null)
    {
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ConfigurationException(problems);
        }

        var plan = BenchmarkPlan.Build(configuration.Scenarios, configuration.Models, configuration.Judges, options);
        return new Benchmark(configuration, plan, workingDirectory, time ?? TimeProvider.System, null, null, new HashSet<string>(), null);
    }

    /// <summary>
    /// Picks up a run from its <c>run.json</c> and input snapshot; only work items without a journal line will run.
    /// <paramref name="settings"/> (name → value, see <see cref="RunSettings.Resumable"/>) override the run's saved
    /// execution settings; the changes are recorded in <c>run.json</c> when the run starts.
    /// </summary>
    /// <exception cref="RunNotFoundException">No run has that id or directory.</exception>
    /// <exception cref="ConfigurationException">A setting would change the plan, or a value is out of range.</exception>
    public static Benchmark Resume(string runIdOrPath, string outputDirectory, string workingDirectory,
        IEnumerable<KeyValuePair<string, object?>>? settings = null, TimeProvider? time = null)
    {
        RunDirectory? directory = null;
        RunManifest manifest;
        try
        {
            directory = RunDirectory.Find(runIdOrPath, outputDirectory)
                ?? throw new RunNotFoundException(runIdOrPath, Path.GetFullPath(outputDirectory));
            manifest = RunManifest.Load(directory.Path);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidDataException)
        {
            // A damaged run.json is a file problem like any other: name the file and what is wrong with it.
            var file = directory?.Manifest ?? Path.Combine(Path.GetFullPath(runIdOrPath), RunManifest.FileName);
            throw new ConfigurationException(file, string.Empty, $"cannot be read, so the run cannot be resumed: {e.Message}");
        }

        if (manifest.Rejudged is not null)
        {
            throw new ConfigurationException(directory.Manifest, string.Empty,
                $"is a re-judging of saved responses, not a benchmark run: resume it with Invoke-Eval360Jury -Resume '{directory.Path}'");
        }

        var options = RunSettings.Apply(manifest.Settings, settings ?? [], resumableOnly: true);
        var changes = RunSettings.Changes(manifest.Settings, options);
        var configuration = RunInputs.Read(directory.Inputs, ProviderSet.Catalog);

        // The prompts an earlier session optimized are reused as they are: the journal holds their answers.
        var optimized = PromptOptimizationLog.Read(Path.Combine(directory.Path, PromptOptimizationLog.FileName)) ?? [];
        var plan = BenchmarkPlan.Build(configuration.Scenarios, configuration.Models, configuration.Judges, options, OptimizedPrompts.Of(optimized));
        // The plan is rebuilt from the run's own input snapshot, so every key in its journal belongs to it.
        var finished = new HashSet<string>(StringComparer.Ordinal);
        InvocationResult? first = null;
        foreach (var result in RunJournal.Scan(directory.Journal, new ResultScan()))
        {
            first ??= result;
            finished.Add(result.Key);
        }

        return new Benchmark(configuration, plan, workingDirectory, time ?? TimeProvider.System, directory, manifest, finished, first) { SettingChanges = changes };
    }

    /// <summary>
    /// The lowest level of log line handed to the run's events as <see cref="RunLogged"/> (the cmdlet: Information with
    /// -Verbose, Debug with -Debug); <see cref="LogLevel.None"/>, the default, for none. run.log has every line whatever this says.
    /// </summary>
    public LogLevel EventLogLevel { get; set; } = LogLevel.None;

    /// <summary>The execution settings a resume changes from the run's saved ones (empty for a new run).</summary>
    public IReadOnlyList<SettingChange> SettingChanges { get; private init; } = [];

    /// <summary>Runs (or resumes) the benchmark, writing results to the run directory and events to <paramref name="events"/>.</summary>
    /// <param name="cancellationToken">Stops the run; finished work stays on disk.</param>
    /// <param name="eventsGone">Cancelled when nobody reads <paramref name="events"/> any more.</param>
    public async Task<RunOutcome> RunAsync(ChannelWriter<RunEvent> events, CancellationToken cancellationToken, CancellationToken eventsGone = default)
    {
        var options = Plan.Options;
        var directory = _resumeDirectory ?? RunDirectory.Create(Path.Combine(_workingDirectory, options.OutputDirectory), options.ExperimentName, RunId);
        var manifest = _resumeManifest ?? new RunManifest
        {
            RunId = directory.RunId,
            ExperimentName = options.ExperimentName,
            CreatedAt = _time.GetUtcNow(),
            Simulated = Plan.IsSimulated,
            SourceFiles = [.. _configuration.Scenarios.Select(s => s.Source[..Math.Max(0, s.Source.LastIndexOf(':'))]).Where(File.Exists).Distinct()],
        };
        manifest.Settings = options;
        manifest.PlanId = PlanId;
        manifest.Status = RunStatus.Running;
        manifest.PlannedInvocations = Plan.Items.Count;
        manifest.Models = [.. Plan.Models.Select(m => m.DisplayName).Distinct(StringComparer.Ordinal)];
        manifest.Judges = [.. Plan.Judges.Select(m => m.DisplayName).Distinct(StringComparer.Ordinal)];
        // A run's own jury is named by the run: results say which jury judged them (a re-judging names another).
        manifest.JuryId = Plan.Judges.Count > 0 ? directory.RunId : null;
        manifest.StopReason = null;
        manifest.EndedAt = null;
        if (_resumeDirectory is null)
        {
            RunInputs.Write(directory.Inputs, _configuration.Scenarios, _configuration.Models, _configuration.Judges);
        }
        else
        {
            manifest.Resumes.Add(new RunResume(_time.GetUtcNow(), SettingChanges));
        }

        using var live = new LiveManifest(manifest, directory.Path, _time);
        live.Save();
        using var providers = new ProviderSet(_workingDirectory, _time);
        using var log = new RunLog(directory.Log, providers.Redactor.Redact, events, EventLogLevel, _time);
        using var pacer = new TokenBucketPacer(_time, log);
        var runner = new BenchmarkRunner(Plan, ResultsPlanId, directory, live, providers, pacer, _finished, Progress, _time, log);
        return await runner.RunAsync(events, cancellationToken, eventsGone).ConfigureAwait(false);
    }
}
