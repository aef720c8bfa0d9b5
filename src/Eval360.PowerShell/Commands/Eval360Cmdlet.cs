using System.Collections;
using System.Management.Automation;
using Eval360.Statistics;

namespace Eval360.PowerShell.Commands;

/// <summary>What every Eval360 cmdlet shares: paths resolved against the PowerShell location, and error records.</summary>
public abstract class Eval360Cmdlet : PSCmdlet
{
    /// <summary>The current PowerShell file-system location (not the process's directory, which PowerShell never changes).</summary>
    protected string CurrentDirectory => SessionState.Path.CurrentFileSystemLocation.ProviderPath;

    /// <summary>
    /// The module's folder, where the manifest is: the cmdlets live in deps/ (or deps/net10.0/ on .NET 10), so their
    /// own location says nothing about the module's layout.
    /// </summary>
    protected static string ModuleFolder => Eval360.LoadContext.DependencyLoadContext.ModuleDirectory;

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
    /// How models are ranked, from -Weights (a hashtable of Quality, Latency, Cost and Reliability; those left out keep
    /// their defaults) and -QualityFloor. A weight that is no number, negative, or of no such component ends the
    /// command with an error naming the components.
    /// </summary>
    protected RankingOptions Ranking(Hashtable? weights, double qualityFloor)
    {
        if (weights is null)
        {
            return RankingOptions.Default with { QualityFloor = qualityFloor };
        }

        try
        {
            var pairs = weights.Keys.Cast<object>()
                .Select(k => new KeyValuePair<string, double>(k.ToString() ?? string.Empty, LanguagePrimitives.ConvertTo<double>(weights[k])))
                .ToList();
            return new RankingOptions { Weights = CompositeWeights.From(pairs), QualityFloor = qualityFloor };
        }
        catch (Exception e) when (e is ArgumentException or PSInvalidCastException)
        {
            ThrowTerminatingError(new ErrorRecord(e, "InvalidWeights", ErrorCategory.InvalidArgument, weights)
            {
                ErrorDetails = new ErrorDetails(e.Message)
                {
                    RecommendedAction = "Give numbers of 0 or more for any of Quality, Latency, Cost and Reliability, e.g. -Weights @{ Quality = 0.5; Latency = 0.2; Cost = 0.15; Reliability = 0.15 }.",
                },
            });
            throw;
        }
    }

    /// <summary>A line for the person at the console (the information stream, shown by the host like Write-Host).</summary>
    protected void WriteNote(string text) => WriteInformation(new HostInformationMessage { Message = text, NoNewLine = false }, ["PSHOST", "Eval360"]);

    /// <summary>
    /// Reads the results in run directories, journals or CSV files (wildcards expanded) and hands each to
    /// <paramref name="add"/>; an unreadable path is a non-terminating error, skipped torn lines a warning.
    /// </summary>
    protected void ReadResults(IEnumerable<string> paths, Action<InvocationResult> add) => ReadResults(paths, _ => add);

    /// <summary>
    /// As <see cref="ReadResults(IEnumerable{string}, Action{InvocationResult})"/>, with what to do with a path's results
    /// chosen per path (<paramref name="readerOf"/> is given the resolved path before its first result is read).
    /// </summary>
    protected void ReadResults(IEnumerable<string> paths, Func<string, Action<InvocationResult>> readerOf)
    {
        foreach (var path in paths.SelectMany(ResolveExisting))
        {
            var scan = new Results.ResultScan();
            try
            {
                var add = readerOf(path);
                foreach (var result in Results.ResultFiles.Scan(path, scan))
                {
                    add(result);
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

    /// <summary>
    /// A results path that could not be read (<c>ResultsUnreadable</c>), or that holds something other than results
    /// (<c>NotEval360Results</c>: a profile, a scenario file, an unrelated CSV or folder).
    /// </summary>
    protected static ErrorRecord ResultsError(Exception e, string path) => e is InvalidDataException
        ? new ErrorRecord(e, "NotEval360Results", ErrorCategory.InvalidData, path)
        : new ErrorRecord(e, "ResultsUnreadable", ErrorCategory.ReadError, path);

    /// <summary>
    /// Stops the cmdlet on bad configuration. Several errors are written one record each first (target: the finding),
    /// so each shows on its own line whatever the error view (ConciseView joins a message's lines into one paragraph),
    /// and <c>-ErrorVariable</c> holds one record per problem; then one terminating record sums them up.
    /// </summary>
    protected void ThrowConfigurationError(ConfigurationException e)
    {
        var errors = e.Findings.Where(f => f.Severity == ConfigSeverity.Error).ToList();
        if (errors.Count > 1)
        {
            foreach (var finding in errors)
            {
                WriteError(new ErrorRecord(e, "InvalidConfiguration", ErrorCategory.InvalidData, finding) { ErrorDetails = new ErrorDetails(finding.ToString()) });
            }
        }

        ThrowTerminatingError(ConfigurationError(e));
    }

    /// <summary>
    /// The terminating record for bad configuration: the message lists the errors (a script's <c>catch</c> reads them
    /// all in <c>$_.Exception.Message</c>); what PowerShell shows is the one error, or how many there are. The
    /// recommendation to fix the file only when a file is at fault (not for a parameter or a missing file).
    /// </summary>
    protected static ErrorRecord ConfigurationError(ConfigurationException e)
    {
        var errors = e.Findings.Where(f => f.Severity == ConfigSeverity.Error).ToList();
        var shown = errors.Count > 1 ? $"Configuration has {errors.Count} errors, each listed above; nothing was done." : e.Message;
        return new ErrorRecord(e, "InvalidConfiguration", ErrorCategory.InvalidData, errors.FirstOrDefault())
        {
            ErrorDetails = new ErrorDetails(shown)
            {
                RecommendedAction = e.IsAboutFileContents
                    ? "Fix the file, line and field named above; Test-Eval360Config checks files without running anything."
                    : null,
            },
        };
    }
}
