using System.Globalization;
using System.Management.Automation;
using Eval360.Execution;
using Eval360.Results;

namespace Eval360.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Combines the shard runs of one plan (Invoke-Eval360Benchmark -Shard i/n) into one run directory that every Eval360 cmdlet reads.</para>
/// </summary>
[Cmdlet(VerbsData.Merge, "Eval360Run", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(RunInfo))]
public sealed class MergeEval360RunCommand : AsyncEval360Cmdlet
{
    private readonly List<string> _shards = [];

    /// <summary>The run directories of every shard; relative paths resolve against the PowerShell location.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "Directory")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>The run directory to create (a new or empty folder).</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = string.Empty;

    protected override void ProcessRecord()
    {
        foreach (var path in Path.SelectMany(ResolveExisting))
        {
            _shards.Add(path);
        }
    }

    protected override void EndProcessing()
    {
        var destination = ResolvePath(Destination);
        if (!ShouldProcess(destination, $"Merge {_shards.Count} shard run(s) into a new run directory"))
        {
            return;
        }

        var merge = new RunMerge(_shards, destination);
        MergeOutcome outcome;
        try
        {
            outcome = RunAndDrain<MergeOutcome>(
                (_, stop, _) => Task.Run(() => merge.Run(stop), CancellationToken.None),
                _ => { },
                () => WriteProgress(new ProgressRecord(2, "Merging Eval360 shards", string.Format(CultureInfo.InvariantCulture, "{0:N0} results merged", merge.Merged))));
        }
        catch (RunMergeException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, e.ErrorId, Category(e.Refusal), e.Target));
            return;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ThrowTerminatingError(new ErrorRecord(e, "MergeNotWritten", ErrorCategory.WriteError, destination));
            return;
        }
        finally
        {
            WriteProgress(new ProgressRecord(2, "Merging Eval360 shards", "done") { RecordType = ProgressRecordType.Completed });
        }

        foreach (var warning in outcome.Warnings)
        {
            WriteWarning(warning);
        }

        WriteObject(RunCatalog.Read(outcome.Directory.Path));
    }

    private static ErrorCategory Category(MergeRefusal refusal) => refusal switch
    {
        MergeRefusal.ShardMissing or MergeRefusal.NotARun or MergeRefusal.NoShards => ErrorCategory.ObjectNotFound,
        MergeRefusal.ShardRunning => ErrorCategory.ResourceBusy,
        MergeRefusal.DestinationNotEmpty => ErrorCategory.ResourceExists,
        _ => ErrorCategory.InvalidData,
    };
}
