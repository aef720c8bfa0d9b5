using System.Management.Automation;

namespace Eval360.PowerShell.Commands;

/// <summary>What every Eval360 cmdlet shares: paths resolved against the PowerShell location, and error records.</summary>
public abstract class Eval360Cmdlet : PSCmdlet
{
    /// <summary>The current PowerShell file-system location (not the process's directory, which PowerShell never changes).</summary>
    protected string CurrentDirectory => SessionState.Path.CurrentFileSystemLocation.ProviderPath;

    /// <summary>Resolves a user-given path against the PowerShell location; the file need not exist yet.</summary>
    protected string ResolvePath(string path) => SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);

    /// <summary>Resolves a path that may hold wildcards to the existing files it names; reports those that match nothing.</summary>
    protected IEnumerable<string> ResolveExisting(string path)
    {
        if (!WildcardPattern.ContainsWildcardCharacters(path))
        {
            yield return ResolvePath(path);
            yield break;
        }

        System.Collections.ObjectModel.Collection<string>? paths = null;
        try
        {
            paths = SessionState.Path.GetResolvedProviderPathFromPSPath(path, out _);
        }
        catch (ItemNotFoundException e)
        {
            WriteError(new ErrorRecord(e, "PathNotFound", ErrorCategory.ObjectNotFound, path));
        }

        foreach (var resolved in paths ?? [])
        {
            yield return resolved;
        }
    }

    /// <summary>
    /// Reads the results in run directories, journals or CSV files (wildcards expanded) and hands each to
    /// <paramref name="add"/>; an unreadable path is a non-terminating error, skipped torn lines a warning.
    /// </summary>
    protected void ReadResults(IEnumerable<string> paths, Action<InvocationResult> add)
    {
        foreach (var path in paths.SelectMany(ResolveExisting))
        {
            var scan = new Results.ResultScan();
            try
            {
                foreach (var result in Results.ResultFiles.Scan(path, scan))
                {
                    add(result);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                WriteError(new ErrorRecord(e, "ResultsUnreadable", ErrorCategory.ReadError, path));
                continue;
            }

            if (scan.Unreadable > 0)
            {
                WriteWarning($"{path}: {scan.Unreadable} line(s) could not be read and were skipped (a torn last line after a crash is expected).");
            }
        }
    }

    protected static ErrorRecord ConfigurationError(ConfigurationException e)
    {
        var first = e.Findings.FirstOrDefault(f => f.Severity == ConfigSeverity.Error);
        return new ErrorRecord(e, "InvalidConfiguration", ErrorCategory.InvalidData, first)
        {
            ErrorDetails = new ErrorDetails(e.Message)
            {
                RecommendedAction = "Fix the file, line and field named above; Test-Eval360Config checks files without running anything.",
            },
        };
    }
}
