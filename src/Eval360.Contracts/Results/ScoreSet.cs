using System.Globalization;

namespace Eval360;

/// <summary>
/// Metric → score (1–5), looked up case-insensitively. A dictionary to scripts (<c>$r.Scores['Correctness']</c>,
/// <c>$r.Scores.Correctness</c>), and readable as text wherever PowerShell makes one of it — <c>Export-Csv</c>,
/// <c>"$($r.Scores)"</c>: <c>Correctness=4.33; Completeness=4; …</c>, in invariant culture.
/// </summary>
public sealed class ScoreSet : Dictionary<string, double>
{
    public ScoreSet()
        : base(StringComparer.OrdinalIgnoreCase)
    {
    }

    public ScoreSet(IEnumerable<KeyValuePair<string, double>> scores)
        : base(StringComparer.OrdinalIgnoreCase)
    {
        foreach (var (metric, score) in scores)
        {
            this[metric] = score;
        }
    }

    /// <summary>The same scores as a <see cref="ScoreSet"/> (itself when it already is one); empty for null.</summary>
    public static ScoreSet From(IEnumerable<KeyValuePair<string, double>>? scores) => scores as ScoreSet ?? (scores is null ? [] : new ScoreSet(scores));

    public override string ToString() =>
        string.Join("; ", this.Select(s => s.Key + "=" + s.Value.ToString("0.##", CultureInfo.InvariantCulture)));
}
