using System.Text.Json;
using Eval360.Configuration;
using Eval360.Jury;
using Eval360.Results;

namespace Eval360.Execution;

/// <summary>
/// The metrics a run's jury scores — the core dimensions, then the user's (a scenario's own list wins) — in the order
/// results are exported with, one column each.
/// </summary>
public static class RunMetrics
{
    /// <summary>None for a latency-only run.</summary>
    public static IReadOnlyList<string> Of(IEnumerable<Scenario> scenarios, BenchmarkOptions options) =>
        options.LatencyOnly
            ? []
            : scenarios.SelectMany(s => Dimensions.For(s.UserDefinedMetrics, options.UserDefinedMetrics)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>
    /// For the results at <paramref name="path"/>: from the settings and input snapshot of the run directory it is (or
    /// is in), which takes no reading of the results; for results anywhere else (a copied journal, the seed's CSV),
    /// the score names they carry, which reads them once, keeping only the names.
    /// </summary>
    public static IReadOnlyList<string> ForResults(string path)
    {
        var directory = Directory.Exists(path) ? path : Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null && File.Exists(Path.Combine(directory, RunManifest.FileName)))
        {
            var scenarios = RunInputs.ScenarioPath(new RunDirectory(directory, string.Empty).Inputs);
            if (File.Exists(scenarios))
            {
                try
                {
                    var findings = new List<ConfigFinding>();
                    var read = ScenarioFile.Read(scenarios, findings);
                    if (!findings.Any(f => f.Severity == ConfigSeverity.Error))
                    {
                        return Of(read, RunManifest.Load(directory).Settings);
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or JsonException)
                {
                    // Fall through: the results themselves say which scores they carry.
                }
            }

            // An input snapshot that no longer reads (an image moved away, a damaged run.json): ask the results.
        }

        return ResultFiles.ScoreNames(path);
    }
}
