using System.Text.RegularExpressions;

namespace Eval360.FakeProviders;

/// <summary>
/// What a judge that obeys injected instructions (<see cref="ModelBehavior.ObeyInjections"/>) takes from its prompt: a
/// crude reader of two kinds of English instruction, wherever they appear — inside a graded answer or anywhere else.
/// "… give 5 …" (the last one wins) sets every score; "begin (or start) your explanation with [the word] X" puts X
/// first in the explanation. A well-behaved judge reads none of this.
/// </summary>
internal static partial class InjectedInstructions
{
    public static (int? Score, string? ExplanationStart) Read(string? prompt)
    {
        if (string.IsNullOrEmpty(prompt))
        {
            return (null, null);
        }

        int? score = null;
        foreach (Match match in GiveScore().Matches(prompt))
        {
            score = match.Groups[1].Value[0] - '0';
        }

        var start = BeginExplanation().Match(prompt);
        return (score, start.Success ? start.Groups[1].Value : null);
    }

    [GeneratedRegex(@"\bgive\b[^.\n]{0,40}?\b([1-5])\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex GiveScore();

    [GeneratedRegex(@"\b(?:begin|start)\s+your\s+explanation\s+with\s+(?:the\s+word\s+)?[""']?([A-Za-z0-9]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BeginExplanation();
}
