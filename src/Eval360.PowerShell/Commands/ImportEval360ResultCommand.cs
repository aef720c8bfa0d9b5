using System.Management.Automation;
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
            IReadOnlyList<InvocationResult> results;
            try
            {
                results = ResultFiles.Read(path, out var unreadable);
                if (unreadable > 0)
                {
                    WriteWarning($"{path}: {unreadable} line(s) could not be read and were skipped (a torn last line after a crash is expected).");
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                WriteError(new ErrorRecord(e, "ResultsUnreadable", ErrorCategory.ReadError, path));
                continue;
            }

            foreach (var result in results)
            {
                WriteObject(result);
            }
        }
    }
}
