using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace Eval360.Dashboard.Tests;

/// <summary>A runspace with the built module imported, as a user gets it, located in a test's work folder.</summary>
public sealed class HostedPowerShell : IDisposable
{
    private readonly Runspace _runspace;

    public HostedPowerShell(string location)
    {
        var state = InitialSessionState.CreateDefault2();
        state.ImportPSModule(Path.Combine(Repository.Root, "module", "Eval360", "Eval360.psd1"));
        _runspace = RunspaceFactory.CreateRunspace(state);
        _runspace.Open();
        Run($"Set-Location -LiteralPath '{location.Replace("'", "''", StringComparison.Ordinal)}'");
    }

    public Collection<PSObject> Run(string script)
    {
        using var shell = System.Management.Automation.PowerShell.Create(_runspace);
        shell.AddScript(script);
        var output = shell.Invoke();
        if (shell.HadErrors)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, shell.Streams.Error.Select(e => e.ToString())));
        }

        return output;
    }

    public void Dispose() => _runspace.Dispose();
}
