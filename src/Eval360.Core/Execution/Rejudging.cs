using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Eval360.Calls;
using Eval360.Configuration;
using Eval360.Providers;
using Eval360.Results;
using Eval360.Statistics;
using Microsoft.Extensions.Logging;

namespace Eval360.Execution;

/// <summary>Saved results to judge again, read afresh on each call of <paramref name="Read"/> (files are streamed, twice).</summary>
/// <param name="Path">The run directory, journal or CSV they are read from; null for results from the pipeline.</param>
public sealed record SavedResults(string? Path, Func<IEnumerable<InvocationResult>> Read);

/// <summary>
/// A re-judging (<c>Invoke-Eval360Jury</c>): saved responses put before another jury, without calling a candidate
/// again. It writes a run directory of its own, <c>&lt;OutputDirectory&gt;/&lt;ExperimentName&gt;-jury-&lt;JuryId&gt;/</c>,
/// whose id is the new jury's: its inputs are the judges and a snapshot of the saved results (so it can be resumed
/// whatever happens to the source), and its journal, CSV, summary and report hold every result again — the judged
/// ones with the new jury's verdicts and <see cref="InvocationResult.JuryId"/>, failed invocations and latency-only
/// results passed through as they were. Results keep their run id and key: the invocation is the source run's, the
/// jury is this one. Building one reads the results but writes and calls nothing; <see cref="RunAsync"/> does.
/// </summary>
public sealed class Rejudging
{
    private readonly IReadOnlyList<SavedResults> _sources;
    private readonly string _workingDirectory;
    private readonly TimeProvider _time;
    private readonly RunDirectory? _resumeDirectory;
    private readonly RunManifest? _resumeManifest;
    private readonly IReadOnlySet<string> _finished;

    private Rejudging(IReadOnlyList<SavedResults> sources, IReadOnlyList<ModelProfile> judges, BenchmarkOptions options, string workingDirectory, TimeProvider time,
        RunDirectory? resumeDirectory, RunManifest? resumeManifest, IReadOnlySet<string> finished, IReadOnlyList<SettingChange> changes)
    {
        _sources = sources;
        Judges = judges;
        _workingDirectory = workingDirectory;
        _time = time;
        _resumeDirectory = resumeDirectory;
        _resumeManifest = resumeManifest;
        _finished = finished;
        SettingChanges = changes;
        var warnings = new List<string>();
        Plan = RejudgingPlan.Of(Prepared(sources, warnings), finished);
        Warnings = warnings;
        if (Plan.Total == 0)
        {
            throw new ConfigurationException(sources.FirstOrDefault()?.Path ?? "InputObject", string.Empty, "holds no results to judge");
        }

        // The experiment is the source's: run.json's settings name it as the manifest does.
        Options = resumeManifest is null ? options with { ExperimentName = Plan.ExperimentName } : options;

        JuryId = resumeDirectory?.RunId ?? RunDirectory.NewRunId();
        Directory = resumeDirectory?.Path
            ?? System.IO.Path.Combine(System.IO.Path.GetFullPath(System.IO.Path.Combine(workingDirectory, options.OutputDirectory)), $"{DirectoryName(Plan.ExperimentName)}-{JuryId}");
    }

    /// <summary>The new jury's id: what the results it judges carry, and this re-judging's run id.</summary>
    public string JuryId { get; }

    /// <summary>Where the results go: created when it starts, or the one being resumed.</summary>
    public string Directory { get; }

    public IReadOnlyList<ModelProfile> Judges { get; }

    /// <summary>The settings it runs with: the jury's (threshold, aggregation, metrics) and the execution's (parallelism, retries, budget).</summary>
    public BenchmarkOptions Options { get; }

    public RejudgingPlan Plan { get; }

    /// <summary>Every metric the new jury scores, in order: what a result's score columns are.</summary>
    public IReadOnlyList<string> Metrics => Options.UserDefinedMetrics.Count > 0 ? Jury.Dimensions.For([], Options.UserDefinedMetrics) : Plan.EarlierMetrics;

    public RunProgress Progress { get; } = new();

    /// <summary>
    /// The lowest level of log line handed to the run's events as <see cref="RunLogged"/>, as for a benchmark
    /// (<see cref="Benchmark.EventLogLevel"/>); run.log has every line whatever this says.
    /// </summary>
    public LogLevel EventLogLevel { get; set; } = LogLevel.None;

    /// <summary>Problems with the saved results that do not stop it (unreadable journal lines, duplicates).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>The execution settings a resume changes from the saved ones (empty for a new re-judging).</summary>
    public IReadOnlyList<SettingChange> SettingChanges { get; }

    /// <summary>The directory being resumed; null for a new re-judging.</summary>
    public string? ResumedDirectory => _resumeDirectory?.Path;

    /// <summary>What it would call and spend, for <c>-WhatIf</c>.</summary>
    public string DescribePlan() => Plan.Describe(Judges, Options, _resumeDirectory is not null);

    /// <summary>Plans a re-judging of <paramref name="sources"/> by <paramref name="judges"/>.</summary>
    /// <exception cref="ConfigurationException">A setting is out of range, or there is nothing to judge.</exception>
    public static Rejudging Create(IReadOnlyList<SavedResults> sources, IReadOnlyList<ModelProfile> judges, BenchmarkOptions options, string workingDirectory, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(judges);
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ConfigurationException(problems);
        }

        // No candidate is called: the seed's pause between invocations has nothing to pace.
        options = options with { SleepBetweenInvocations = TimeSpan.Zero, LatencyOnly = false };
        return new Rejudging(sources, judges, options, workingDirectory, time ?? TimeProvider.System, null, null, new HashSet<string>(), []);
    }

    /// <summary>
    /// Picks up an interrupted re-judging from its directory: the judges and results of its <c>inputs/</c>, its jury
    /// settings from <c>run.json</c>; only results without a journal line are judged. <paramref name="settings"/>
    /// override its execution settings (<see cref="RunSettings.Resumable"/>).
    /// </summary>
    /// <exception cref="RunNotFoundException">No run has that id or directory.</exception>
    /// <exception cref="ConfigurationException">It is not a re-judging, its files are damaged, or a setting is out of range.</exception>
    public static Rejudging Resume(string juryIdOrPath, string outputDirectory, string workingDirectory,
        IEnumerable<KeyValuePair<string, object?>>? settings = null, TimeProvider? time = null)
    {
        RunDirectory? directory = null;
        RunManifest manifest;
        try
        {
            directory = RunDirectory.Find(juryIdOrPath, outputDirectory)
                ?? throw new RunNotFoundException(juryIdOrPath, System.IO.Path.GetFullPath(outputDirectory));
            manifest = RunManifest.Load(directory.Path);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            var file = directory?.Manifest ?? System.IO.Path.Combine(System.IO.Path.GetFullPath(juryIdOrPath), RunManifest.FileName);
            throw new ConfigurationException(file, string.Empty, $"cannot be read, so the re-judging cannot be resumed: {e.Message}");
        }

        if (manifest.Rejudged is null)
        {
            throw new ConfigurationException(directory.Manifest, string.Empty,
                $"is a benchmark run, not a re-judging: resume it with Invoke-Eval360Benchmark -Resume '{directory.Path}', or re-judge it with Invoke-Eval360Jury -Path '{directory.Path}'");
        }

        var snapshot = RunInputs.ResultsPath(directory.Inputs);
        if (!File.Exists(snapshot))
        {
            throw new ConfigurationException(snapshot, string.Empty, "is missing, so the re-judging cannot be resumed: start it again with Invoke-Eval360Jury");
        }

        var options = RunSettings.Apply(manifest.Settings, settings ?? [], resumableOnly: true);
        var changes = RunSettings.Changes(manifest.Settings, options);
        var judges = RunInputs.ReadJudges(directory.Inputs, ProviderSet.Catalog);
        var finished = RunJournal.Scan(directory.Journal, new ResultScan()).Select(Identity).ToHashSet(StringComparer.Ordinal);
        var source = new SavedResults(null, () => RunJournal.Scan(snapshot, new ResultScan()));
        return new Rejudging([source], judges, options, workingDirectory, time ?? TimeProvider.System, directory, manifest, finished, changes);
    }

    /// <summary>Judges (or resumes judging) the saved results, writing the new directory and events to <paramref name="events"/>.</summary>
    /// <param name="cancellationToken">Stops it; finished judgements stay on disk.</param>
    /// <param name="eventsGone">Cancelled when nobody reads <paramref name="events"/> any more.</param>
    public async Task<RejudgingOutcome> RunAsync(ChannelWriter<RunEvent> events, CancellationToken cancellationToken, CancellationToken eventsGone = default)
    {
        RunDirectory directory;
        RunManifest manifest;
        if (_resumeDirectory is { } resumed)
        {
            directory = resumed;
            manifest = _resumeManifest!;
            manifest.Resumes.Add(new RunResume(_time.GetUtcNow(), SettingChanges));
        }
        else
        {
            directory = RunDirectory.Create(System.IO.Path.GetDirectoryName(Directory)!, DirectoryName(Plan.ExperimentName), JuryId);
            RunInputs.WriteJudges(directory.Inputs, Judges);
            RunInputs.WriteResults(directory.Inputs, Prepared(_sources, []).Select(p => p.Result));
            manifest = new RunManifest
            {
                RunId = JuryId,
                ExperimentName = Plan.ExperimentName,
                CreatedAt = _time.GetUtcNow(),
                Simulated = Plan.Simulated && Judges.All(j => j.IsSimulated),
                SourceFiles = [.. _sources.Select(s => s.Path).OfType<string>()],
                Rejudged = [.. Plan.Runs],
            };
        }

        manifest.Settings = Options;
        manifest.Status = RunStatus.Running;
        manifest.PlannedInvocations = Plan.Total;
        manifest.Models = [.. Plan.Candidates];
        manifest.Judges = [.. Judges.Select(j => j.DisplayName).Distinct(StringComparer.Ordinal)];
        manifest.JuryId = JuryId;
        manifest.StopReason = null;
        manifest.EndedAt = null;
        using var live = new LiveManifest(manifest, directory.Path, _time);
        live.Save();
        using var providers = new ProviderSet(_workingDirectory, _time);
        using var log = new RunLog(directory.Log, providers.Redactor.Redact, events, EventLogLevel, _time);
        using var pacer = new TokenBucketPacer(_time, log);
        var runner = new RejudgingRunner(this, directory, live, providers, pacer, _finished, _time, log);
        return await runner.RunAsync(events, cancellationToken, eventsGone).ConfigureAwait(false);
    }

    /// <summary>What identifies a result within a re-judging: its run and its key (two runs of one plan share keys).</summary>
    internal static string Identity(InvocationResult result) => $"{result.RunId}/{result.Key}";

    /// <summary>
    /// What the new jury scores a result on: the metrics it was judged on before, unless the re-judging names user
    /// metrics of its own, which then replace them for every result.
    /// </summary>
    internal IReadOnlyList<string> MetricsOf(InvocationResult result) =>
        Options.UserDefinedMetrics.Count > 0 ? Metrics : RejudgingPlan.EarlierMetricsOf(result);

    /// <summary>A result a jury can judge: the candidate answered, and it was not a latency-only run.</summary>
    internal static bool Judgeable(InvocationResult result) => result.IsSucceeded() && !result.IsLatencyOnly();

    /// <summary>The snapshot's path in a re-judging directory.</summary>
    internal static string SnapshotOf(RunDirectory directory) => RunInputs.ResultsPath(directory.Inputs);

    private static string DirectoryName(string experimentName) => $"{experimentName}-jury";

    /// <summary>
    /// The results as judged: each source in turn, the first of any two with the same run and key kept. A result with
    /// no key (a CSV written by the seed) gets one from its place in the input and its content, so it can be resumed.
    /// </summary>
    private static IEnumerable<(InvocationResult Result, string? Path)> Prepared(IReadOnlyList<SavedResults> sources, List<string> warnings)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int ordinal = 0, duplicates = 0;
        foreach (var source in sources)
        {
            foreach (var original in source.Read())
            {
                ordinal++;
                var result = original;
                if (string.IsNullOrEmpty(result.Key))
                {
                    result = Copy(original);
                    result.Key = KeyFor(ordinal, original);
                }

                if (!seen.Add(Identity(result)))
                {
                    duplicates++;
                    continue;
                }

                yield return (result, source.Path);
            }
        }

        if (duplicates > 0)
        {
            warnings.Add($"{duplicates} result(s) appear more than once (the same run and key); each is judged once.");
        }
    }

    private static string KeyFor(int ordinal, InvocationResult result)
    {
        var text = string.Join('|', ordinal.ToString(System.Globalization.CultureInfo.InvariantCulture), ItemIdentity.Of(result).ToString(System.Globalization.CultureInfo.InvariantCulture), result.ModelId, result.Region);
        return "r" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)), 0, 10).ToLowerInvariant();
    }

    private static InvocationResult Copy(InvocationResult result) =>
        JsonSerializer.Deserialize(JsonSerializer.Serialize(result, ResultJsonContext.Default.InvocationResult), ResultJsonContext.Default.InvocationResult)!;
}
