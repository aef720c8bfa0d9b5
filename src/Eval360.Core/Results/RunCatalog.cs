using System.Text.Json;

namespace Eval360.Results;

/// <summary>A folder the catalogue passed over, and why.</summary>
/// <param name="Foreign">True when the folder is simply not a run (no run.json); false when it is a run that could not be read.</param>
public sealed record SkippedFolder(string Path, string Reason, bool Foreign);

/// <summary>The runs found under one folder, newest first, and the folders passed over.</summary>
public sealed record RunListing(IReadOnlyList<RunInfo> Runs, IReadOnlyList<SkippedFolder> Skipped);

/// <summary>
/// The run catalogue: every run directory under an outputs folder, read from its <c>run.json</c> — the one list that
/// <c>Get-Eval360Run</c> and the dashboard show. Reading never changes a run and never fails on a folder that is not
/// a run or cannot be read: such folders are listed in <see cref="RunListing.Skipped"/>.
/// </summary>
public static class RunCatalog
{
    /// <summary>
    /// The runs in <paramref name="path"/>: an outputs folder (each subfolder with a run.json is a run) or one run
    /// directory. Newest first (by start time).
    /// </summary>
    /// <exception cref="DirectoryNotFoundException"><paramref name="path"/> is not a folder.</exception>
    public static RunListing List(string path, TimeProvider? time = null)
    {
        var full = Path.GetFullPath(path);
        if (!Directory.Exists(full))
        {
            throw new DirectoryNotFoundException($"{full} is not a folder");
        }

        var now = (time ?? TimeProvider.System).GetUtcNow();
        var runs = new List<RunInfo>();
        var skipped = new List<SkippedFolder>();
        var folders = File.Exists(Path.Combine(full, RunManifest.FileName)) ? [full] : Directory.EnumerateDirectories(full);
        foreach (var folder in folders)
        {
            if (!File.Exists(Path.Combine(folder, RunManifest.FileName)))
            {
                skipped.Add(new SkippedFolder(folder, $"has no {RunManifest.FileName}, so it is not an Eval360 run", Foreign: true));
                continue;
            }

            if (TryRead(folder, now, out var run, out var problem))
            {
                runs.Add(run);
            }
            else
            {
                skipped.Add(new SkippedFolder(folder, problem, Foreign: false));
            }
        }

        runs.Sort((a, b) => (b.StartedAt ?? DateTimeOffset.MinValue).CompareTo(a.StartedAt ?? DateTimeOffset.MinValue) is var byTime and not 0
            ? byTime
            : string.CompareOrdinal(b.Directory, a.Directory));
        return new RunListing(runs, skipped);
    }

    /// <summary>One run directory as the catalogue shows it.</summary>
    /// <exception cref="InvalidDataException">Its run.json is missing, unreadable or not Eval360's.</exception>
    public static RunInfo Read(string runDirectory, TimeProvider? time = null) =>
        TryRead(Path.GetFullPath(runDirectory), (time ?? TimeProvider.System).GetUtcNow(), out var run, out var problem)
            ? run
            : throw new InvalidDataException($"{runDirectory}: {problem}");

    /// <summary>
    /// The status a reader should believe: a run still marked running whose run.json has not been rewritten for
    /// <see cref="RunManifest.StaleAfter"/> has lost its process.
    /// </summary>
    public static RunStatus EffectiveStatus(RunStatus written, DateTimeOffset updatedAt, DateTimeOffset now) =>
        written == RunStatus.Running && now - updatedAt > RunManifest.StaleAfter ? RunStatus.Interrupted : written;

    private static bool TryRead(string folder, DateTimeOffset now, out RunInfo run, out string problem)
    {
        run = null!;
        RunManifest manifest;
        try
        {
            manifest = LoadShared(folder);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or InvalidDataException or NotSupportedException)
        {
            problem = $"its {RunManifest.FileName} cannot be read: {e.Message}";
            return false;
        }

        if (string.IsNullOrEmpty(manifest.RunId) || manifest.CreatedAt == default)
        {
            problem = $"its {RunManifest.FileName} is not an Eval360 run manifest (no run_id or created_at)";
            return false;
        }

        var directory = new RunDirectory(folder, manifest.RunId);
        run = new RunInfo
        {
            RunId = manifest.RunId,
            ExperimentName = manifest.ExperimentName,
            Status = EffectiveStatus(manifest.Status, manifest.UpdatedAt, now),
            Done = manifest.Finished,
            Total = manifest.PlannedInvocations,
            Failed = manifest.Failed,
            StartedAt = manifest.CreatedAt,
            FinishedAt = manifest.Status == RunStatus.Running ? null : manifest.EndedAt,
            UpdatedAt = manifest.UpdatedAt == default ? null : manifest.UpdatedAt,
            Models = new NameList(manifest.Models.Count > 0 ? manifest.Models : SnapshotNames(directory, "models.jsonl")),
            Judges = new NameList(manifest.Judges.Count > 0 ? manifest.Judges : SnapshotNames(directory, "judges.jsonl")),
            SpentUsd = manifest.SpentUsd,
            Simulated = manifest.Simulated,
            StopReason = manifest.StopReason,
            PlanId = manifest.PlanId,
            Shard = manifest.Shard?.ToString(),
            Directory = folder,
            Report = manifest.Report is not null && File.Exists(directory.Report) ? directory.Report : null,
        };
        problem = string.Empty;
        return true;
    }

    /// <summary>Reads run.json while its run may be rewriting it (the rewrite replaces the file whole; a reader retries once if it loses the race).</summary>
    private static RunManifest LoadShared(string folder)
    {
        try
        {
            return RunManifest.Load(folder);
        }
        catch (IOException)
        {
            Thread.Sleep(50);
            return RunManifest.Load(folder);
        }
    }

    /// <summary>The model ids of a run's input snapshot, for run.json files written before they listed models.</summary>
    private static List<string> SnapshotNames(RunDirectory directory, string file)
    {
        var names = new List<string>();
        var path = Path.Combine(directory.Inputs, file);
        if (!File.Exists(path))
        {
            return names;
        }

        try
        {
            foreach (var line in File.ReadLines(path).Where(l => l.Length > 0))
            {
                using var profile = JsonDocument.Parse(line);
                if (profile.RootElement is { ValueKind: JsonValueKind.Object } root
                    && root.TryGetProperty("model_id", out var id) && id.ValueKind == JsonValueKind.String)
                {
                    names.Add(id.GetString()!);
                }
            }
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            // A damaged snapshot only costs the model names; the run is still listed.
        }

        return names.Distinct(StringComparer.Ordinal).ToList();
    }
}
