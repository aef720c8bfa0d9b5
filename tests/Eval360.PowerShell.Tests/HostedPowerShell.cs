using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace Eval360.PowerShell.Tests;

/// <summary>
/// A runspace with the built module (module/Eval360) imported, as a user gets it: the cmdlets, engine and
/// dependencies come from the module's own load context, not from this test assembly.
/// </summary>
public sealed class HostedPowerShell : IDisposable
{
    private readonly Runspace _runspace;

    public HostedPowerShell()
    {
        var state = InitialSessionState.CreateDefault2();
        state.ImportPSModule(ModulePath);
        _runspace = RunspaceFactory.CreateRunspace(state);
        _runspace.Open();
    }

    public static string RepositoryRoot { get; } = FindRoot();

    public static string ModulePath => Environment.GetEnvironmentVariable("EVAL360_MODULE") is { Length: > 0 } path
        ? path
        : Path.Combine(RepositoryRoot, "module", "Eval360", "Eval360.psd1");

    /// <summary>Runs a script; returns its output and the instance (for its streams).</summary>
    public (Collection<PSObject> Output, System.Management.Automation.PowerShell Shell) Run(string script, IDictionary<string, object?>? variables = null)
    {
        var shell = System.Management.Automation.PowerShell.Create(_runspace);
        foreach (var (name, value) in variables ?? new Dictionary<string, object?>())
        {
            _runspace.SessionStateProxy.SetVariable(name, value);
        }

        shell.AddScript(script);
        return (shell.Invoke(), shell);
    }

    public System.Management.Automation.PowerShell Create() => System.Management.Automation.PowerShell.Create(_runspace);

    public void Dispose() => _runspace.Dispose();

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Eval360.PowerShell.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}

/// <summary>A folder of its own for one test.</summary>
public sealed class Scratch : IDisposable
{
    public Scratch()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "eval360-ps-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string relative, string content)
    {
        var path = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
