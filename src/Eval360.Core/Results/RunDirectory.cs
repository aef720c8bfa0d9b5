using System.Security.Cryptography;

namespace Eval360.Results;

/// <summary>The files of one run: <c>&lt;OutputDirectory&gt;/&lt;ExperimentName&gt;-&lt;RunId&gt;/</c>.</summary>
public sealed class RunDirectory
{
    public RunDirectory(string path, string runId)
    {
        Path = path;
        RunId = runId;
    }

    public string Path { get; }

    public string RunId { get; }

    public string Journal => Combine(RunJournal.FileName);

    public string Csv => Combine(InvocationCsv.FileName);

    public string Unprocessed => Combine(UnprocessedLog.FileName);

    public string Manifest => Combine(RunManifest.FileName);

    public string Summary => Combine("summary.json");

    public string Report => Combine("report.html");

    public string Inputs => Combine("inputs");

    public string Log => Combine(RunLogFile.FileName);

    /// <summary>The records of <c>unprocessed.json</c> (failed or unjudged invocations); empty when there are none.</summary>
    /// <exception cref="System.Text.Json.JsonException">The file is damaged.</exception>
    public IReadOnlyList<UnprocessedRecord> UnprocessedRecords()
    {
        if (!File.Exists(Unprocessed))
        {
            return [];
        }

        using var stream = File.OpenRead(Unprocessed);
        return System.Text.Json.JsonSerializer.Deserialize<List<UnprocessedRecord>>(stream, ResultJson.Indented) ?? [];
    }

    public static string NewRunId() => Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant();

    public static RunDirectory Create(string outputDirectory, string experimentName, string? runId = null)
    {
        runId ??= NewRunId();
        var path = System.IO.Path.Combine(System.IO.Path.GetFullPath(outputDirectory), $"{experimentName}-{runId}");
        Directory.CreateDirectory(path);
        return new RunDirectory(path, runId);
    }

    /// <summary>Finds a run by its directory or by its id under <paramref name="outputDirectory"/>; null when there is none.</summary>
    public static RunDirectory? Find(string runIdOrPath, string outputDirectory)
    {
        if (Directory.Exists(runIdOrPath) && File.Exists(System.IO.Path.Combine(runIdOrPath, RunManifest.FileName)))
        {
            var full = System.IO.Path.GetFullPath(runIdOrPath);
            return new RunDirectory(full, RunManifest.Load(full).RunId);
        }

        if (!Directory.Exists(outputDirectory))
        {
            return null;
        }

        var match = Directory.EnumerateDirectories(outputDirectory, $"*-{runIdOrPath}")
            .FirstOrDefault(d => File.Exists(System.IO.Path.Combine(d, RunManifest.FileName)));
        return match is null ? null : new RunDirectory(System.IO.Path.GetFullPath(match), runIdOrPath);
    }

    private string Combine(string name) => System.IO.Path.Combine(Path, name);
}

/// <summary>No run has the id or directory the user named.</summary>
public sealed class RunNotFoundException(string runIdOrPath, string outputDirectory)
    : Exception($"There is no run '{runIdOrPath}': it is neither a run directory with a run.json nor the id of a run under {outputDirectory}.")
{
    public string RunIdOrPath { get; } = runIdOrPath;

    /// <summary>The outputs folder searched for the id.</summary>
    public string OutputDirectory { get; } = outputDirectory;
}
