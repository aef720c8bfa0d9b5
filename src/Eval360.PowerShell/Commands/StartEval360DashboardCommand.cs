using System.Diagnostics;
using System.Management.Automation;
using System.Net;
using System.Runtime.InteropServices;
using Eval360.Hosting;

namespace Eval360.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Starts the Eval360 web dashboard (set up, queue, watch and read evaluations in a browser) as a process of its own.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "Eval360Dashboard", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(DashboardInfo))]
public sealed class StartEval360DashboardCommand : AsyncEval360Cmdlet
{
    [Parameter]
    [ValidateRange(0, 65535)]
    public int Port { get; set; } = DashboardDefaults.Port;

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string BindAddress { get; set; } = DashboardDefaults.BindAddress;

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DataPath { get; set; }

    [Parameter]
    [Alias("output_dir")]
    [ValidateNotNullOrEmpty]
    public string OutputDirectory { get; set; } = "outputs";

    [Parameter]
    [Alias("model_file_name")]
    [ValidateNotNullOrEmpty]
    public string ModelProfile { get; set; } = "config/models_profiles.jsonl";

    [Parameter]
    [Alias("judge_file_name")]
    [ValidateNotNullOrEmpty]
    public string JudgeProfile { get; set; } = "config/judge_profiles.jsonl";

    [Parameter]
    public SwitchParameter NoBrowser { get; set; }

    protected override void EndProcessing()
    {
        if (!IPAddress.TryParse(BindAddress, out var address))
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException($"'{BindAddress}' is not an IP address: give 127.0.0.1 (the default), ::1, 0.0.0.0 (every interface) or one of this machine's addresses."),
                "InvalidBindAddress", ErrorCategory.InvalidArgument, BindAddress));
            return;
        }

        var outputs = ResolvePath(OutputDirectory);
        var launch = new DashboardLaunch
        {
            Assembly = DashboardAssembly,
            Port = Port,
            BindAddress = address.ToString(),
            DataPath = DataPath is null ? DashboardDefaults.DataPathBeside(outputs) : ResolvePath(DataPath),
            OutputDirectory = outputs,
            ModelProfile = ResolvePath(ModelProfile),
            JudgeProfile = ResolvePath(JudgeProfile),
            WorkingDirectory = CurrentDirectory,
        };

        if (!IPAddress.IsLoopback(address))
        {
            WriteWarning($"The dashboard will listen on {address}, not only on this machine: anyone who can reach that address and has its URL (with the token) can run evaluations, and traffic is plain HTTP. Use this only on a network you trust.");
        }

        if (!ShouldProcess($"{launch.BindAddress}:{(Port == 0 ? "any free port" : Port)}", $"Start the Eval360 dashboard (data in {launch.DataPath}, runs in {outputs})"))
        {
            return;
        }

        DashboardInfo info;
        try
        {
            info = RunAndDrain((_, stop, _) => DashboardLauncher.StartAsync(launch, stop), _ => { });
        }
        catch (DotNetRuntimeMissingException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "AspNetCoreRuntimeMissing", ErrorCategory.NotInstalled, launch.Assembly)
            {
                ErrorDetails = new ErrorDetails(e.Message) { RecommendedAction = DotNetHost.InstallAdvice },
            });
            return;
        }
        catch (DashboardStartException e)
        {
            var (id, category) = e.ExitCode switch
            {
                DashboardLauncher.ExitDataFolderInUse => ("DataPathInUse", ErrorCategory.ResourceBusy),
                DashboardLauncher.ExitCannotListen => ("CannotListen", ErrorCategory.ResourceUnavailable),
                _ => ("DashboardDidNotStart", ErrorCategory.OpenError),
            };
            ThrowTerminatingError(new ErrorRecord(e, id, category, launch.DataPath));
            return;
        }

        WriteVerbose($"The dashboard (process {info.ProcessId}) keeps running after this session ends; Stop-Eval360Dashboard stops it. Its log: {Path.Combine(info.DataPath, "dashboard.log")}");
        if (!NoBrowser)
        {
            OpenBrowser(info.Url);
        }

        WriteObject(info);
    }

    /// <summary>The dashboard as the module ships it: module/Eval360/dashboard/.</summary>
    private static string DashboardAssembly => Path.Combine(ModuleFolder, "dashboard", "Eval360.Dashboard.dll");

    private void OpenBrowser(string url)
    {
        try
        {
            var start = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? new ProcessStartInfo(url) { UseShellExecute = true }
                : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? new ProcessStartInfo("open", [url])
                : new ProcessStartInfo("xdg-open", [url]) { RedirectStandardError = true, RedirectStandardOutput = true };
            using var browser = Process.Start(start);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            WriteVerbose($"No browser could be opened ({e.Message}); open the URL yourself.");
        }
    }
}
