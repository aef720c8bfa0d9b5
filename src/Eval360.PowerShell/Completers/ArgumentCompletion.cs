using System.Collections;
using System.Globalization;
using System.Management.Automation;
using Eval360.Configuration;
using Eval360.Results;

namespace Eval360.PowerShell.Completers;

/// <summary>
/// Tab completion for Eval360's parameters, registered by the module (Eval360.psm1) by parameter name, so a cmdlet
/// that gains one of these parameters completes it at once. Everything here is offline and reads only small local
/// files (run.json, a profile file); it never throws — a completion that cannot be worked out is no completion.
/// </summary>
public static class ArgumentCompletion
{
    /// <summary>
    /// <c>-Resume</c>: the runs in the outputs folder (<c>-OutputDirectory</c> on the same line, else <c>outputs</c>),
    /// newest first — run ids, then run directories — with each run's status in the tooltip. A word that looks like a
    /// path completes directories only.
    /// </summary>
    /// <param name="location">The PowerShell location relative paths resolve against.</param>
    public static IEnumerable<CompletionResult> Runs(string? word, IDictionary? bound, string location) => Safely(() =>
    {
        word ??= string.Empty;
        var outputs = Path.GetFullPath(Path.Combine(location, Text(bound, "OutputDirectory") ?? DefaultPaths.OutputDirectory));
        if (!Directory.Exists(outputs))
        {
            return [];
        }

        var runs = RunCatalog.List(outputs).Runs;
        var unquoted = word.Trim('\'', '"');
        bool pathLike = unquoted.IndexOfAny(['/', '\\', '.', '~']) >= 0;
        IEnumerable<CompletionResult> ids = pathLike ? [] : runs
            .Where(r => r.RunId.StartsWith(unquoted, StringComparison.OrdinalIgnoreCase))
            .Select(r => new CompletionResult(r.RunId, $"{r.RunId} {r.ExperimentName} ({r.Status})", CompletionResultType.ParameterValue, Describe(r)));
        var directories = runs
            .Select(r => (Run: r, Text: Displayed(r.Directory, location, unquoted)))
            .Where(d => d.Text.Replace('\\', '/').StartsWith(unquoted.Replace('\\', '/'), StringComparison.OrdinalIgnoreCase)
                || (!pathLike && Path.GetFileName(d.Run.Directory).StartsWith(unquoted, StringComparison.OrdinalIgnoreCase)))
            .Select(d => new CompletionResult(Quoted(d.Text), d.Text, CompletionResultType.ProviderContainer, Describe(d.Run)));
        return ids.Concat(directories).ToList();
    });

    /// <summary><c>-ModelId</c>: the model ids of the profile files on the same line (<c>-ModelProfile</c>, else its default, and <c>-JudgeProfile</c>).</summary>
    public static IEnumerable<CompletionResult> ModelIds(string? word, IDictionary? bound, string location) => Safely(() =>
    {
        word = (word ?? string.Empty).Trim('\'', '"');
        return Profiles(bound, location)
            .GroupBy(e => e.ModelId, StringComparer.Ordinal)
            .Where(g => g.Key.StartsWith(word, StringComparison.OrdinalIgnoreCase)
                || g.Key[(g.Key.IndexOf('/', StringComparison.Ordinal) + 1)..].StartsWith(word, StringComparison.OrdinalIgnoreCase))
            .Select(g => new CompletionResult(Quoted(g.Key), g.Key, CompletionResultType.ParameterValue,
                $"{g.Key}: {Listed("region", g.Select(e => e.Region))}; {Listed("tier", g.Select(e => e.ServiceTier))}"))
            .ToList();
    });

    /// <summary><c>-Region</c>: the regions of the profile files on the same line, of the <c>-ModelId</c> given there if any.</summary>
    public static IEnumerable<CompletionResult> Regions(string? word, IDictionary? bound, string location) => Safely(() =>
    {
        word = (word ?? string.Empty).Trim('\'', '"');
        var models = Texts(bound, "ModelId");
        return Profiles(bound, location)
            .Where(e => e.Region is { Length: > 0 } && (models.Count == 0 || models.Contains(e.ModelId, StringComparer.OrdinalIgnoreCase)))
            .GroupBy(e => e.Region!, StringComparer.Ordinal)
            .Where(g => g.Key.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            .Select(g => new CompletionResult(Quoted(g.Key), g.Key, CompletionResultType.ParameterValue,
                $"{g.Key}: {string.Join(", ", g.Select(e => e.ModelId).Distinct(StringComparer.Ordinal))}"))
            .ToList();
    });

    /// <summary><c>-ServiceTier</c>: the service tiers a profile may name, with those the profile files use said in the tooltip.</summary>
    public static IEnumerable<CompletionResult> ServiceTiers(string? word, IDictionary? bound, string location) => Safely(() =>
    {
        word = (word ?? string.Empty).Trim('\'', '"');
        var used = Profiles(bound, location).Where(e => e.ServiceTier is not null).ToList();
        return ProfileIndex.ServiceTiers
            .Where(t => t.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            .Select(t =>
            {
                var models = used.Where(e => string.Equals(e.ServiceTier, t, StringComparison.OrdinalIgnoreCase)).Select(e => e.ModelId).Distinct(StringComparer.Ordinal).ToList();
                var tip = models.Count > 0 ? $"{t}: {string.Join(", ", models)}" : $"{t} service tier";
                return new CompletionResult(t, t, CompletionResultType.ParameterValue, tip);
            })
            .ToList();
    });

    private static IEnumerable<ProfileEntry> Profiles(IDictionary? bound, string location)
    {
        var files = new List<string> { Text(bound, "ModelProfile") ?? DefaultPaths.ModelProfile };
        if (Text(bound, "JudgeProfile") is { } judges)
        {
            files.Add(judges);
        }

        return files.SelectMany(f => ProfileIndex.Read(Path.GetFullPath(Path.Combine(location, f))));
    }

    private static string Describe(RunInfo run) => string.Create(CultureInfo.InvariantCulture,
        $"{run.Status}: {run.Done}/{run.Total} done, {run.Failed} failed; started {run.StartedAt?.ToLocalTime():yyyy-MM-dd HH:mm}; {run.ExperimentName}; {run.Directory}");

    /// <summary>A run directory as the user would type it: relative to the location (./outputs/…) unless the word is absolute.</summary>
    private static string Displayed(string directory, string location, string word)
    {
        if (Path.IsPathRooted(word) || word.StartsWith('~'))
        {
            return directory;
        }

        var relative = Path.GetRelativePath(location, directory);
        return Path.IsPathRooted(relative) || relative.StartsWith("..", StringComparison.Ordinal) ? relative : $".{Path.DirectorySeparatorChar}{relative}";
    }

    private static string Listed(string what, IEnumerable<string?> values)
    {
        var distinct = values.Select(v => v ?? "default").Distinct(StringComparer.Ordinal).ToList();
        return $"{what}{(distinct.Count > 1 ? "s" : string.Empty)} {string.Join(", ", distinct)}";
    }

    /// <summary>Single-quoted when PowerShell would otherwise read the text as something else than one word.</summary>
    private static string Quoted(string text) =>
        text.Length == 0 || text.IndexOfAny([' ', '\t', ',', ';', '(', ')', '{', '}', '@', '$', '`', '\'', '"', '#', '|', '&', '<', '>']) >= 0
            ? $"'{text.Replace("'", "''", StringComparison.Ordinal)}'"
            : text;

    private static string? Text(IDictionary? bound, string name) => Texts(bound, name).FirstOrDefault();

    /// <summary>What the line gives a parameter, as text (one value or several); nothing when it is not given or not text.</summary>
    private static List<string> Texts(IDictionary? bound, string name)
    {
        object? value = bound is not null && bound.Contains(name) ? bound[name] : null;
        value = value is PSObject wrapped ? wrapped.BaseObject : value;
        return value switch
        {
            string text when text.Length > 0 => [text],
            IEnumerable many and not string => many.Cast<object?>().Select(v => (v is PSObject p ? p.BaseObject : v)?.ToString()).OfType<string>().Where(v => v.Length > 0).ToList(),
            _ => [],
        };
    }

    private static IEnumerable<CompletionResult> Safely(Func<IEnumerable<CompletionResult>> complete)
    {
        try
        {
            return complete();
        }
#pragma warning disable CA1031 // Completion must never fail the user's Tab: whatever breaks here is no completion.
        catch (Exception)
#pragma warning restore CA1031
        {
            return [];
        }
    }
}
