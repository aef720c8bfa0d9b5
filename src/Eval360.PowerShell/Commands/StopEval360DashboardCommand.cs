using System.Management.Automation;
using Eval360.Hosting;

namespace Eval360.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Stops an Eval360 dashboard: its run in flight is cancelled with everything finished on disk, and resumes at the next start.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "Eval360Dashboard", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByDataPath)]
[OutputType(typeof(void))]
public sealed class StopEval360DashboardCommand : AsyncEval360Cmdlet
{
    private const string ByDataPath = "DataPath";
    private const string ByObject = "InputObject";

    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    private readonly List<DashboardInfo> _dashboards = [];

    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByObject)]
    public DashboardInfo[] InputObject { get; set; } = [];

    [Parameter(Position = 0, ParameterSetName = ByDataPath)]
    [ValidateNotNullOrEmpty]
    public string? DataPath { get; set; }

    [Parameter(ParameterSetName = ByDataPath)]
    [Alias("output_dir")]
    [ValidateNotNullOrEmpty]
    public string OutputDirectory { get; set; } = "outputs";

    protected override void ProcessRecord()
    {
        if (ParameterSetName == ByObject)
        {
            _dashboards.AddRange(InputObject);
            return;
        }

        var dataPath = DataPath is null ? DashboardDefaults.DataPathBeside(ResolvePath(OutputDirectory)) : ResolvePath(DataPath);
        if (DashboardEndpoint.Read(dataPath) is { } info && DashboardLauncher.Find(info) is { } process)
        {
            process.Dispose();
            _dashboards.Add(info);
            return;
        }

        WriteError(new ErrorRecord(new ItemNotFoundException($"No Eval360 dashboard is running on the data folder {dataPath} (it has no live {DashboardEndpoint.FileName})."),
            "DashboardNotRunning", ErrorCategory.ObjectNotFound, dataPath)
        {
            ErrorDetails = new ErrorDetails($"No Eval360 dashboard is running on the data folder {dataPath}.")
            {
                RecommendedAction = "Give the -DataPath it was started with, or pipe the object Start-Eval360Dashboard returned.",
            },
        });
    }

    protected override void EndProcessing()
    {
        foreach (var dashboard in _dashboards)
        {
            if (!ShouldProcess($"process {dashboard.ProcessId} ({dashboard.Url.Split('?')[0]})", "Stop the Eval360 dashboard"))
            {
                continue;
            }

            bool graceful = RunAndDrain((_, stop, _) => DashboardLauncher.StopAsync(dashboard, Grace, stop), _ => { });
            if (!graceful)
            {
                WriteWarning($"The dashboard (process {dashboard.ProcessId}) did not stop within {Grace.TotalSeconds:0} s and was ended; an evaluation it was running shows interrupted and resumes at the next start.");
            }
        }
    }
}
