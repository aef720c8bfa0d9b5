using System.Globalization;
using System.Text.Json;

namespace Eval360.Jury;

/// <summary>A judge's scores, read from its reply.</summary>
public sealed record ParsedVerdict(IReadOnlyDictionary<string, double> Scores, string? Explanation);

/// <summary>
/// Reads a judge's reply without a second LLM call: the JSON object may sit in prose or a code fence, carry trailing
/// commas or comments, name metrics in another case or with underscores, and give scores as numbers, numeric strings,
/// <c>"4/5"</c> or <c>{"score": 4}</c>. What it cannot do is invent a score: a missing or out-of-range metric makes
/// the verdict unusable, with a message saying which.
/// </summary>
public static class VerdictParser
{
    private static readonly JsonDocumentOptions Lenient = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
        MaxDepth = 16,
    };

    public static bool TryParse(string reply, IReadOnlyList<string> metrics, out ParsedVerdict? verdict, out string problem)
    {
        verdict = null;
        problem = "the reply holds no JSON object";
        foreach (var candidate in JsonObjectsIn(reply))
        {
            using var document = candidate;
            var root = document.RootElement;
            var scores = root.TryGetProperty("scores", out var nested) && nested.ValueKind == JsonValueKind.Object ? nested : root;
            if (TryReadScores(scores, metrics, out var values, out problem))
            {
                verdict = new ParsedVerdict(values, ReadExplanation(root));
                return true;
            }
        }

        return false;
    }

    private static bool TryReadScores(JsonElement scores, IReadOnlyList<string> metrics, out Dictionary<string, double> values, out string problem)
    {
        values = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        var byNormalName = new Dictionary<string, JsonElement>();
        foreach (var property in scores.EnumerateObject())
        {
            byNormalName.TryAdd(Dimensions.Normalize(property.Name), property.Value);
        }

        var missing = new List<string>();
        foreach (var metric in metrics)
        {
            if (!byNormalName.TryGetValue(Dimensions.Normalize(metric), out var value))
            {
                missing.Add(metric);
                continue;
            }

            if (!TryReadScore(value, out var score))
            {
                problem = $"the score for {metric} is not a number ({Shorten(value.GetRawText())})";
                return false;
            }

            if (score is < 1 or > 5)
            {
                problem = $"the score for {metric} is {score.ToString(CultureInfo.InvariantCulture)}, outside 1–5";
                return false;
            }

            values[metric] = score;
        }

        if (missing.Count > 0)
        {
            problem = $"the reply has no score for {string.Join(", ", missing)}";
            return false;
        }

        problem = string.Empty;
        return true;
    }

    private static bool TryReadScore(JsonElement value, out double score)
    {
        score = 0;
        switch (value.ValueKind)
        {
            case JsonValueKind.Number:
                return value.TryGetDouble(out score);
            case JsonValueKind.String:
                var text = value.GetString()!.Trim();
                int slash = text.IndexOf('/', StringComparison.Ordinal);
                if (slash > 0)
                {
                    text = text[..slash].Trim();
                }

                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out score);
            case JsonValueKind.Object:
                return value.TryGetProperty("score", out var inner) && TryReadScore(inner, out score);
            default:
                return false;
        }
    }

    private static string? ReadExplanation(JsonElement root)
    {
        foreach (var name in new[] { "explanation", "rationale", "reasoning", "justification", "comment" })
        {
            if (root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
            {
                return value.GetString();
            }
        }

        return null;
    }

    /// <summary>Each balanced <c>{…}</c> in the text that parses as JSON, outermost first, in order of appearance.</summary>
    private static IEnumerable<JsonDocument> JsonObjectsIn(string text)
    {
        int start = text.IndexOf('{', StringComparison.Ordinal);
        while (start >= 0)
        {
            int end = MatchingBrace(text, start);
            if (end > start)
            {
                JsonDocument? document = null;
                try
                {
                    document = JsonDocument.Parse(text.AsMemory(start, end - start + 1), Lenient);
                }
                catch (JsonException)
                {
                }

                if (document is not null)
                {
                    if (document.RootElement.ValueKind == JsonValueKind.Object)
                    {
                        yield return document;
                        start = text.IndexOf('{', end + 1);
                        continue;
                    }

                    document.Dispose();
                }
            }

            start = text.IndexOf('{', start + 1);
        }
    }

    /// <summary>The index of the brace closing the one at <paramref name="open"/>, skipping braces inside strings; -1 if none.</summary>
    private static int MatchingBrace(string text, int open)
    {
        int depth = 0;
        bool inString = false;
        for (int i = open; i < text.Length; i++)
        {
            char c = text[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }
            }
            else if (c == '"')
            {
                inString = true;
            }
            else if (c == '{')
            {
                depth++;
            }
            else if (c == '}' && --depth == 0)
            {
                return i;
            }
        }

        return -1;
    }

    private static string Shorten(string text) => text.Length <= 30 ? text : text[..30] + "…";
}
