using System.Management.Automation;
using Eval360.Results;

namespace Eval360.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Lists the benchmark runs in an outputs folder, newest first, with where each stands.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "Eval360Run")]
[OutputType(typeof(RunInfo))]
public sealed class GetEval360RunCommand : Eval360Cmdlet
{
    private readonly List<RunInfo> _runs = [];

    /// <summary>Outputs folders (or run directories) to list; relative paths resolve against the PowerShell location.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "OutputDirectory")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = ["outputs"];

    /// <summary>Only runs with one of these statuses.</summary>
    [Parameter]
    public RunStatus[] Status { get; set; } = [];

    protected override void ProcessRecord()
    {
        foreach (var path in Path.SelectMany(ResolveExisting))
        {
            RunListing listing;
            try
            {
                listing = RunCatalog.List(path);
            }
            catch (DirectoryNotFoundException e)
            {
                if (!MyInvocation.BoundParameters.ContainsKey(nameof(Path)))
                {
                    WriteVerbose($"{path} does not exist yet: no run has written there.");
                    continue;
                }

                WriteError(new ErrorRecord(e, "PathNotFound", ErrorCategory.ObjectNotFound, path)
                {
                    ErrorDetails = new ErrorDetails($"{path} is not a folder: give the outputs folder of your runs (Invoke-Eval360Benchmark -OutputDirectory, 'outputs' by default) or a run directory."),
                });
                continue;
            }

            foreach (var skipped in listing.Skipped)
            {
                if (skipped.Foreign)
                {
                    WriteVerbose($"{skipped.Path} {skipped.Reason}; skipped.");
                }
                else
                {
                    WriteWarning($"{skipped.Path} is skipped: {skipped.Reason}.");
                }
            }

            _runs.AddRange(listing.Runs.Where(r => Status.Length == 0 || Status.Contains(r.Status)));
        }
    }

    protected override void EndProcessing()
    {
        // Newest first across every folder given, as within one.
        foreach (var run in _runs.OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Directory, StringComparer.Ordinal))
        {
            WriteObject(run);
        }
    }
}
