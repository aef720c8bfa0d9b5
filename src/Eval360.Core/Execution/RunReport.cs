using System.Threading.Channels;
using Eval360.Reporting;
using Eval360.Results;

namespace Eval360.Execution;

/// <summary>The report.html a completed run (a benchmark or a re-judging) writes into its directory.</summary>
internal static class RunReport
{
    /// <summary>
    /// Writes report.html from the journal, streamed (a resumed run's earlier sessions included), and names it in
    /// run.json. A report that cannot be written is only a warning: the results are on disk whatever happens here.
    /// </summary>
    public static void Write(RunDirectory directory, RunManifest manifest, ChannelWriter<RunEvent> events, IReadOnlyList<string>? extraNotes = null)
    {
        try
        {
            var scan = new ResultScan();
            var report = new ReportBuilder();
            report.AddRange(RunJournal.Scan(directory.Journal, scan));
            var notes = manifest.ExcludedModels
                .Select(m => $"{m.ModelId}{(m.Region is null ? string.Empty : " @ " + m.Region)} ({m.Role}) was left out by the access check: {m.ErrorCode}: {m.Reason}")
                .Concat(extraNotes ?? [])
                .ToList();
            if (scan.Unreadable > 0)
            {
                notes.Add($"{scan.Unreadable} journal line(s) could not be read and are not in this report.");
            }

            report.Write(directory.Report, new ReportOptions { Title = $"Eval360 report: {manifest.ExperimentName}", Sources = [directory.Path], Notes = notes });
            manifest.Report = ReportWriter.FileName;
        }
#pragma warning disable CA1031 // Whatever breaks the report (disk, template) must not fail a run whose results are saved.
        catch (Exception e)
#pragma warning restore CA1031
        {
            events.TryWrite(new RunWarning($"The report could not be written to {directory.Report}: {e.Message}", "ReportFailed"));
        }
    }
}
