using System.Management.Automation;
using Eval360.Execution;
using Eval360.Results;

namespace Eval360.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Reads the results of a run back from its directory, journal or CSV.</para>
/// </summary>
[Cmdlet(VerbsData.Import, "Eval360Result")]
[OutputType(typeof(InvocationResult))]
public sealed class ImportEval360ResultCommand : Eval360Cmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "PSPath")]
    [SupportsWildcards]
    public string[] Path { get; set; } = [];

    protected override void ProcessRecord()
    {
        foreach (var path in Path.SelectMany(ResolveExisting))
        {
            // Streamed: each result reaches the pipeline as it is read, and memory stays flat for any size of run.
            var scan = new ResultScan();
            try
            {
                var columns = new ScoreColumns(RunMetrics.ForResults(path));
                foreach (var result in ResultFiles.Scan(path, scan))
                {
                    WriteObject(columns.Attach(result));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                WriteError(ResultsError(e, path));
                continue;
            }

            if (scan.Unreadable > 0)
            {
                WriteWarning($"{path}: {scan.Unreadable} line(s) could not be read and were skipped (a torn last line after a crash is expected).");
            }
        }
    }
}
