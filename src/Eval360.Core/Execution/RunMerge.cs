using System.Globalization;
using Eval360.Configuration;
using Eval360.Reporting;
using Eval360.Results;
using Eval360.Statistics;

namespace Eval360.Execution;

/// <summary>
/// Combines the shard runs of one plan (<c>-Shard i/n</c>, each run on its own machine) into one ordinary run
/// directory: journal, invocations.csv, unprocessed.json, summary.json, report.html, run.json and the input snapshot,
/// as if one machine had run the plan. Results are copied as they are (each keeps the run id of the shard that made
/// it), so every figure over the merge equals the figure over the shards read together. It refuses shards of different
/// plans, a shard missing or given twice, a work item in two shards (or in the wrong one) and a shard still running;
/// it writes into a new folder beside the destination and moves it into place only when everything is written, so a
/// refused or interrupted merge leaves nothing behind.
/// </summary>
public sealed class RunMerge
{
    private readonly IReadOnlyList<string> _shardDirectories;
    private readonly string _destination;
    private readonly TimeProvider _time;
    private int _merged;

    /// <param name="shardDirectories">The run directories of every shard of the plan, in any order.</param>
    /// <param name="destination">The run directory to create: a new folder, or an empty one.</param>
    public RunMerge(IReadOnlyList<string> shardDirectories, string destination, TimeProvider? time = null)
    {
        _shardDirectories = shardDirectories;
        _destination = Path.GetFullPath(destination);
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Results copied so far (read from any thread, for progress).</summary>
    public int Merged => Volatile.Read(ref _merged);

    /// <summary>Checks the shards, then writes the merged run directory.</summary>
    /// <exception cref="RunMergeException">The shards cannot be merged (the message says why and what to do).</exception>
    public MergeOutcome Run(CancellationToken cancellationToken = default)
    {
        var shards = ReadShards();
        CheckDestination();
        var parent = Path.GetDirectoryName(_destination)!;
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(_destination)}.merging-{RunDirectory.NewRunId()}");
        try
        {
            var outcome = Write(shards, staging, cancellationToken);
            if (Directory.Exists(_destination))
            {
                Directory.Delete(_destination);
            }

            Directory.Move(staging, _destination);
            return outcome;
        }
        catch
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }

            throw;
        }
    }

    private List<ShardRun> ReadShards()
    {
        if (_shardDirectories.Count == 0)
        {
            throw new RunMergeException(MergeRefusal.NoShards, "No shard run directories were given: give every shard's run directory (e.g. outputs/<name>-<run id>).", null);
        }

        var now = _time.GetUtcNow();
        var shards = new List<ShardRun>();
        foreach (var given in _shardDirectories)
        {
            var path = Path.GetFullPath(given);
            RunManifest manifest;
            try
            {
                manifest = RunManifest.Load(path);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                throw new RunMergeException(MergeRefusal.NotARun, $"{path} is not a run directory (it has no {RunManifest.FileName}): give the run directories the shards wrote, e.g. outputs/<name>-<run id>.", path);
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or InvalidDataException or IOException or UnauthorizedAccessException)
            {
                throw new RunMergeException(MergeRefusal.NotARun, $"{Path.Combine(path, RunManifest.FileName)} cannot be read: {e.Message}", path);
            }

            if (manifest.Shard is not { } shard || manifest.PlanId is null)
            {
                throw new RunMergeException(MergeRefusal.NotAShard,
                    $"{path} is not a shard (its {RunManifest.FileName} names no shard{(manifest.PlanId is null ? " and no plan" : string.Empty)}): Merge-Eval360Run combines runs made with Invoke-Eval360Benchmark -Shard i/n.", path);
            }

            var status = RunCatalog.EffectiveStatus(manifest.Status, manifest.UpdatedAt, now);
            if (status == RunStatus.Running)
            {
                throw new RunMergeException(MergeRefusal.ShardRunning,
                    $"Shard {shard} ({path}) is still running: merge once it has ended. (A shard whose process is gone counts as interrupted {RunManifest.StaleAfter.TotalSeconds:0} s after its run.json was last written.)", path);
            }

            shards.Add(new ShardRun(shard, new RunDirectory(path, manifest.RunId), manifest, status));
        }

        var first = shards[0];
        foreach (var other in shards.Skip(1))
        {
            if (other.Manifest.PlanId != first.Manifest.PlanId || other.Shard.Count != first.Shard.Count)
            {
                throw new RunMergeException(MergeRefusal.DifferentPlans,
                    $"{other.Directory.Path} (plan {other.Manifest.PlanId}, shard {other.Shard}) is not a shard of the same plan as {first.Directory.Path} (plan {first.Manifest.PlanId}, shard {first.Shard}): " +
                    "shards merge only when they ran the same scenario, model and judge files with the same plan settings (-InvocationsPerScenario, -ExperimentCount, -TemperatureVariations, -LatencyOnly, the jury's settings…) and the same number of shards.",
                    other.Directory.Path);
            }
        }

        foreach (var twice in shards.GroupBy(s => s.Shard.Index).Where(g => g.Count() > 1))
        {
            throw new RunMergeException(MergeRefusal.ShardRepeated,
                $"Shard {twice.First().Shard} is given twice: {string.Join(" and ", twice.Select(s => s.Directory.Path))}. Give each shard's run directory once (if a shard ran twice, keep the run you want).",
                twice.Last().Directory.Path);
        }

        int count = first.Shard.Count;
        var missing = Enumerable.Range(1, count).Where(i => shards.All(s => s.Shard.Index != i)).ToList();
        if (missing.Count > 0)
        {
            var names = string.Join(", ", missing.Select(i => $"{i}/{count}"));
            throw new RunMergeException(MergeRefusal.ShardMissing,
                $"Shard{(missing.Count > 1 ? "s" : string.Empty)} {names} of plan {first.Manifest.PlanId} {(missing.Count > 1 ? "are" : "is")} missing (given: {string.Join(", ", shards.OrderBy(s => s.Shard.Index).Select(s => s.Shard))}). " +
                $"Give {(missing.Count > 1 ? "their run directories" : "its run directory")} too; a shard that never ran is run with the same command and -Shard {missing[0]}/{count}, one that stopped is finished with -Resume.",
                names);
        }

        return [.. shards.OrderBy(s => s.Shard.Index)];
    }

    private void CheckDestination()
    {
        if (File.Exists(_destination) || (Directory.Exists(_destination) && Directory.EnumerateFileSystemEntries(_destination).Any()))
        {
            throw new RunMergeException(MergeRefusal.DestinationNotEmpty,
                $"{_destination} already exists and is not empty: give -Destination a new folder (a merge never writes over a run).", _destination);
        }
    }

    private MergeOutcome Write(IReadOnlyList<ShardRun> shards, string staging, CancellationToken cancellationToken)
    {
        var directory = new RunDirectory(staging, RunDirectory.NewRunId());
        Directory.CreateDirectory(directory.Inputs);
        foreach (var file in RunInputs.Files(shards[0].Directory.Inputs))
        {
            File.Copy(file, Path.Combine(directory.Inputs, Path.GetFileName(file)));
        }

        var warnings = new List<string>();
        var report = new ReportBuilder();
        var unprocessed = new UnprocessedLog(directory.Unprocessed);
        var shardOf = new Dictionary<string, PlanShard>(StringComparer.Ordinal);
        int failed = 0;
        var spent = new ExactSum();
        using (var journal = RunJournal.Open(directory.Journal))
        using (var csv = InvocationCsv.Open(directory.Csv))
        {
            foreach (var shard in shards)
            {
                var scan = new ResultScan();
                foreach (var result in RunJournal.Scan(shard.Directory.Journal, scan))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    Check(result, shard, shardOf);
                    journal.Append(result);
                    csv.Append(result);
                    unprocessed.AddIfUnprocessed(result);
                    report.Add(result);
                    failed += result.IsSucceeded() ? 0 : 1;
                    spent.Add(result.Cost);
                    spent.Add(result.JuryCost);
                    Interlocked.Increment(ref _merged);
                    if ((_merged & 1023) == 0)
                    {
                        journal.Flush();
                        csv.Flush();
                    }
                }

                if (scan.Unreadable > 0)
                {
                    warnings.Add($"{shard.Directory.Journal}: {scan.Unreadable} line(s) could not be read and are not in the merge (a torn last line after a crash is expected).");
                }
            }

            journal.Flush();
            csv.Flush();
        }

        unprocessed.Save(force: true);
        var manifest = Manifest(shards, directory, failed, spent.Value);
        ResultJson.WriteAtomically(directory.Summary, report.Statistics.Summaries());
        var notes = new List<string> { $"Merged from {shards.Count} shards of plan {manifest.PlanId}: {string.Join(", ", shards.Select(s => $"{s.Shard} (run {s.Directory.RunId})"))}." };
        notes.AddRange(manifest.ExcludedModels.Select(m => $"{m.ModelId}{(m.Region is null ? string.Empty : " @ " + m.Region)} ({m.Role}) was left out by the access check: {m.ErrorCode}: {m.Reason}"));
        if (manifest.StopReason is not null)
        {
            notes.Add(manifest.StopReason);
        }

        notes.AddRange(warnings);
        report.Write(directory.Report, new ReportOptions { Title = $"Eval360 report: {manifest.ExperimentName}", Sources = [_destination], Notes = notes });
        manifest.Save(staging, _time.GetUtcNow());
        if (manifest.StopReason is not null)
        {
            warnings.Insert(0, manifest.StopReason);
        }

        return new MergeOutcome(new RunDirectory(_destination, directory.RunId), Merged, failed, manifest.Status, warnings);
    }

    /// <summary>A result belongs in the merge only once, and only from the shard its key falls in.</summary>
    private static void Check(InvocationResult result, ShardRun shard, Dictionary<string, PlanShard> shardOf)
    {
        if (!shard.Shard.Contains(result.Key))
        {
            throw new RunMergeException(MergeRefusal.KeyOutsideShard,
                $"The journal of shard {shard.Shard} ({shard.Directory.Path}) holds work item {result.Key} ({Describe(result)}), which belongs to shard {PlanShard.Of(result.Key, shard.Shard.Count)}/{shard.Shard.Count}: " +
                "this folder's results are not the shard its run.json names (was it copied over, or edited?).", shard.Directory.Path);
        }

        if (!shardOf.TryAdd(result.Key, shard.Shard))
        {
            var where = shardOf[result.Key] == shard.Shard ? $"twice in the journal of shard {shard.Shard}" : $"in shard {shardOf[result.Key]} and in shard {shard.Shard}";
            throw new RunMergeException(MergeRefusal.DuplicateKey,
                $"Work item {result.Key} ({Describe(result)}) is {where} ({shard.Directory.Path}): a merge takes each work item once. Check that each directory holds the shard its run.json names.",
                shard.Directory.Path);
        }
    }

    private static string Describe(InvocationResult r) =>
        string.Create(CultureInfo.InvariantCulture, $"{r.ModelId}, scenario {r.ScenarioId}, experiment {r.Experiment}, invocation {r.Invocation}, temperature {r.Temperature}");

    /// <summary>run.json of the merged run: the whole plan, as one machine would have written it, plus the shards it came from.</summary>
    private RunManifest Manifest(IReadOnlyList<ShardRun> shards, RunDirectory directory, int failed, double spent)
    {
        var first = shards[0].Manifest;
        var unfinished = shards.Where(s => s.Status != RunStatus.Completed).ToList();
        var status = unfinished.Count == 0 ? RunStatus.Completed
            : unfinished.Any(s => s.Status == RunStatus.Failed) ? RunStatus.Failed
            : unfinished.Any(s => s.Status == RunStatus.BudgetExhausted) ? RunStatus.BudgetExhausted
            : RunStatus.Cancelled;
        string? stopReason = unfinished.Count == 0 ? null
            : string.Join("; ", unfinished.Select(s => $"shard {s.Shard} (run {s.Directory.RunId}) ended {s.Status.ToString().ToLowerInvariant()} with {s.Manifest.Finished} of {s.Manifest.PlannedInvocations} invocations done"))
              + $": Invoke-Eval360Benchmark -Resume '{_destination}' runs the rest of the plan on this machine (or resume those shards and merge again).";
        return new RunManifest
        {
            RunId = directory.RunId,
            ExperimentName = first.ExperimentName,
            Status = status,
            StopReason = stopReason,
            Simulated = shards.All(s => s.Manifest.Simulated),
            CreatedAt = shards.Min(s => s.Manifest.CreatedAt),
            EndedAt = shards.Max(s => s.Manifest.EndedAt ?? s.Manifest.UpdatedAt),
            Settings = first.Settings with { Shard = null },
            PlanId = first.PlanId,
            SourceFiles = first.SourceFiles,
            Models = [.. shards.SelectMany(s => s.Manifest.Models).Distinct(StringComparer.Ordinal)],
            Judges = [.. shards.SelectMany(s => s.Manifest.Judges).Distinct(StringComparer.Ordinal)],
            PlannedInvocations = shards.Sum(s => s.Manifest.PlannedInvocations),
            Finished = Merged,
            Failed = failed,
            SpentUsd = Math.Round(spent, 6),
            ExcludedModels = [.. shards
                .SelectMany(s => s.Manifest.ExcludedModels.Select(m => (Shard: s.Shard, Model: m)))
                .GroupBy(e => (e.Model.ModelId, e.Model.Region, e.Model.Role))
                .Select(g => g.First().Model with { Reason = $"on shard{(g.Count() > 1 ? "s" : string.Empty)} {string.Join(", ", g.Select(e => e.Shard))}: {g.First().Model.Reason}" })],
            Report = ReportWriter.FileName,
            MergedShards = [.. shards.Select(s => new MergedShard(s.Shard, s.Directory.RunId, s.Directory.Path, s.Status, s.Manifest.Finished))],
        };
    }

    private sealed record ShardRun(PlanShard Shard, RunDirectory Directory, RunManifest Manifest, RunStatus Status);
}

/// <summary>What a merge wrote: the merged run directory, its results and failures, its status, and what to know about it.</summary>
public sealed record MergeOutcome(RunDirectory Directory, int Results, int Failed, RunStatus Status, IReadOnlyList<string> Warnings);

/// <summary>Why shards were not merged.</summary>
public enum MergeRefusal
{
    NoShards,
    NotARun,
    NotAShard,
    ShardRunning,
    DifferentPlans,
    ShardRepeated,
    ShardMissing,
    DestinationNotEmpty,
    KeyOutsideShard,
    DuplicateKey,
}

/// <summary>Shards that cannot be merged; the message says why and what to do.</summary>
public sealed class RunMergeException(MergeRefusal refusal, string message, string? target) : Exception(message)
{
    public MergeRefusal Refusal { get; } = refusal;

    /// <summary>The error id PowerShell shows (the refusal's name).</summary>
    public string ErrorId => Refusal.ToString();

    /// <summary>The path (or shard) at fault; null when no single one is.</summary>
    public string? Target { get; } = target;
}
