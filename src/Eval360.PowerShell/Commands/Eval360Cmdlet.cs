using System.Collections;
using System.Management.Automation;
using Eval360.Statistics;

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
