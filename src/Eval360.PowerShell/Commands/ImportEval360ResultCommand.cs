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

    // Streamed: each result reaches the pipeline as it is read, and memory stays flat for any size of run.
    protected override void ProcessRecord() => ReadResults(Path, path =>
    {
        var columns = new ScoreColumns(RunMetrics.ForResults(path));
        return result => WriteObject(columns.Attach(result));
    });
}
