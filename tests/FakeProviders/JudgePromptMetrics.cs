using System.Text.Json;

namespace Eval360.FakeProviders;

/// <summary>
/// Reads the metric names out of a plain-text judge prompt's reply template, which after "# Reply" shows
/// <c>{"scores": {"accuracy": &lt;1-5&gt;, "clarity": &lt;1-5&gt;}, …}</c> — not JSON, so it is scanned by hand.
/// </summary>
internal static class JudgePromptMetrics
{
    public static IReadOnlyList<string> Read(string prompt)
    {
        var reply = prompt.IndexOf("# Reply", StringComparison.Ordinal);
        var scores = reply < 0 ? -1 : prompt.IndexOf("\"scores\"", reply, StringComparison.Ordinal);
        var open = scores < 0 ? -1 : prompt.IndexOf('{', scores);
        if (open < 0)
        {
            return [];
        }

        var names = new List<string>();
        var i = open + 1;
        while (i < prompt.Length)
        {
            var c = prompt[i];
            if (c == '}')
            {
                break;
            }

            if (c != '"')
            {
                i++;
                continue;
            }

            var end = ClosingQuote(prompt, i);
            if (end < 0)
            {
                break;
            }

            names.Add(JsonSerializer.Deserialize(prompt.AsSpan(i, end - i + 1), FakeJsonContext.Default.String)!);

            // Skip the placeholder value up to the next name or the end of the scores object.
            i = end + 1;
            while (i < prompt.Length && prompt[i] is not ',' and not '}')
            {
                i++;
            }
        }

        return names;
    }

    private static int ClosingQuote(string text, int openQuote)
    {
        for (var i = openQuote + 1; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == '"')
            {
                return i;
            }
        }

        return -1;
    }
}
