using Eval360.Dashboard.Hosting;
using Eval360.Dashboard.Running;
using Eval360.Dashboard.Setup;
using Eval360.Dashboard.Store;
using Eval360.Results;

namespace Eval360.Dashboard.Runs;

/// <summary>
/// Deletes evaluations: the dashboard's record and history, its run directory (only a run directory of the outputs
/// folder, found through the catalogue), and its upload once nothing else uses it. A running evaluation is never
/// deleted: cancel it first.
/// </summary>
public sealed class EvaluationRemover(DashboardOptions options, EvaluationStore store, RunBrowser runs, Datasets datasets, EvaluationWorker worker)
{
    /// <summary>Deletes one row; returns why it could not be deleted, or null when it was.</summary>
    public string? Delete(EvaluationRow row)
    {
        if (row.State == EvaluationState.Running || (row.EvaluationId is { } running && worker.IsRunning(running)))
        {
            return $"{row.Name} is running: cancel it on the Monitor tab first.";
        }

        var directory = runs.DirectoryOf(row);
        if (directory is not null)
        {
            var full = Path.GetFullPath(directory);
            var outputs = Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.OutputDirectory)) + Path.DirectorySeparatorChar;
            if (!full.StartsWith(outputs, StringComparison.Ordinal) || !File.Exists(Path.Combine(full, RunManifest.FileName)))
            {
                return $"{directory} is not a run directory of {options.OutputDirectory}; it was left alone.";
            }

            try
            {
                Directory.Delete(full, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return $"{full} could not be deleted: {e.Message}";
            }
        }

        if (row.EvaluationId is { } id && store.Get(id) is { } evaluation)
        {
            store.Delete(id);
            datasets.ReleaseIfUnused(evaluation.Definition.UploadId);
        }

        return null;
    }
}
