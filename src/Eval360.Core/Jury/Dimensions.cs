namespace Eval360.Jury;

/// <summary>The six core dimensions every judge scores, named exactly as the seed names them.</summary>
public static class Dimensions
{
    public static IReadOnlyList<string> Core { get; } =
        ["Correctness", "Completeness", "Relevance", "Format", "Coherence", "Following-instructions"];

    /// <summary>What each core dimension asks, told to the judges.</summary>
    public static IReadOnlyDictionary<string, string> Descriptions { get; } = new Dictionary<string, string>
    {
        ["Correctness"] = "accuracy of the information, compared with the reference response",
        ["Completeness"] = "covers everything the prompt and the reference response call for",
        ["Relevance"] = "addresses the prompt, without padding or digressions",
        ["Format"] = "structure and presentation suit the task",
        ["Coherence"] = "logical flow and internal consistency",
        ["Following-instructions"] = "does what the prompt and the task criteria ask, and nothing they forbid",
    };

    /// <summary>The dimensions for one response: the core six, then the user's metrics (a scenario's own list wins).</summary>
    public static IReadOnlyList<string> For(IReadOnlyList<string> scenarioMetrics, IReadOnlyList<string> globalMetrics)
    {
        var extra = scenarioMetrics.Count > 0 ? scenarioMetrics : globalMetrics;
        return Core.Concat(extra.Where(m => !Core.Contains(m, StringComparer.OrdinalIgnoreCase)))
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>Folds case, spaces, hyphens and underscores, so <c>following_instructions</c> finds <c>Following-instructions</c>.</summary>
    public static string Normalize(string name)
    {
        Span<char> buffer = name.Length <= 128 ? stackalloc char[name.Length] : new char[name.Length];
        int length = 0;
        foreach (var c in name)
        {
            if (char.IsLetterOrDigit(c))
            {
                buffer[length++] = char.ToLowerInvariant(c);
            }
        }

        return new string(buffer[..length]);
    }
}
