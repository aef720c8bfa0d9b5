using System.Threading.Channels;
using Eval360.Configuration;
using Eval360.Providers;
using Eval360.Results;

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
        RunDirectory? resumeDirectory, RunManifest? resumeManifest, IReadOnlySet<string> finished)
    {
        _configuration = configuration;
        Plan = plan;
        _workingDirectory = workingDirectory;
        _time = time;
        _resumeDirectory = resumeDirectory;
        _resumeManifest = resumeManifest;
        _finished = finished;
    }

    public BenchmarkPlan Plan { get; }

    public RunProgress Progress { get; } = new();

    /// <summary>Invocations a resumed run already holds in its journal.</summary>
    public int AlreadyFinished => _finished.Count;

    /// <summary>The run directory being resumed; null for a new run.</summary>
    public string? ResumedDirectory => _resumeDirectory?.Path;

    public IReadOnlyList<ConfigFinding> Warnings => _configuration.Warnings;

    /// <summary>What the run would call and spend, for <c>-WhatIf</c> (a resumed run counts only what is left).</summary>
    public string DescribePlan() => PlanDescription.Describe(Plan, _finished);

    public static Benchmark Create(LoadedConfiguration configuration, BenchmarkOptions options, string workingDirectory, TimeProvider? time = null)
    {
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ConfigurationException(problems);
        }

        var plan = BenchmarkPlan.Build(configuration.Scenarios, configuration.Models, configuration.Judges, options);
        return new Benchmark(configuration, plan, workingDirectory, time ?? TimeProvider.System, null, null, new HashSet<string>());
    }

    /// <summary>Picks up a run from its <c>run.json</c> and input snapshot; only work items without a journal line will run.</summary>
    public static Benchmark Resume(string runIdOrPath, string outputDirectory, string workingDirectory, double? maxCost, TimeProvider? time = null)
    {
        var directory = RunDirectory.Find(runIdOrPath, outputDirectory)
            ?? throw new ConfigurationException(runIdOrPath, "Resume", $"no run '{runIdOrPath}' (neither a run directory with run.json nor a run id under {Path.GetFullPath(outputDirectory)})");
        var manifest = RunManifest.Load(directory.Path);
        var options = maxCost is null ? manifest.Settings : manifest.Settings with { MaxCost = maxCost };
        var configuration = RunInputs.Read(directory.Inputs, ProviderSet.Catalog);
        var plan = BenchmarkPlan.Build(configuration.Scenarios, configuration.Models, configuration.Judges, options);
        // The plan is rebuilt from the run's own input snapshot, so every key in its journal belongs to it.
        var finished = RunJournal.Scan(directory.Journal, new ResultScan())
            .Select(r => r.Key)
            .ToHashSet(StringComparer.Ordinal);
        return new Benchmark(configuration, plan, workingDirectory, time ?? TimeProvider.System, directory, manifest, finished);
    }

    /// <summary>Runs (or resumes) the benchmark, writing results to the run directory and events to <paramref name="events"/>.</summary>
    /// <param name="cancellationToken">Stops the run; finished work stays on disk.</param>
    /// <param name="eventsGone">Cancelled when nobody reads <paramref name="events"/> any more.</param>
    public async Task<RunOutcome> RunAsync(ChannelWriter<RunEvent> events, CancellationToken cancellationToken, CancellationToken eventsGone = default)
    {
        var options = Plan.Options;
        var directory = _resumeDirectory ?? RunDirectory.Create(Path.Combine(_workingDirectory, options.OutputDirectory), options.ExperimentName);
        var manifest = _resumeManifest ?? new RunManifest
        {
            RunId = directory.RunId,
            ExperimentName = options.ExperimentName,
            CreatedAt = _time.GetUtcNow(),
            Simulated = Plan.IsSimulated,
            SourceFiles = [.. _configuration.Scenarios.Select(s => s.Source[..Math.Max(0, s.Source.LastIndexOf(':'))]).Where(File.Exists).Distinct()],
        };
        manifest.Settings = options;
        manifest.Status = RunStatus.Running;
        manifest.PlannedInvocations = Plan.Items.Count;
        manifest.StopReason = null;
        manifest.EndedAt = null;
        if (_resumeDirectory is null)
        {
            RunInputs.Write(directory.Inputs, _configuration.Scenarios, _configuration.Models, _configuration.Judges);
        }

        manifest.Save(directory.Path);
        using var providers = new ProviderSet(_workingDirectory, _time);
        using var pacer = new TokenBucketPacer(_time);
        var runner = new BenchmarkRunner(Plan, directory, manifest, providers, pacer, _finished, Progress, _time);
        return await runner.RunAsync(events, cancellationToken, eventsGone).ConfigureAwait(false);
    }
}
