namespace Eval360.Jury;

/// <summary>The jury's combined decision on one response.</summary>
public sealed record JuryVerdict(IReadOnlyDictionary<string, double> Scores, bool? Passed, int UsableJudges)
{
    /// <summary>
    /// Combines judge verdicts. Judges with an <see cref="JudgeVerdict.Error"/> are left out of every mean and every
    /// vote — never counted as a pass, a fail or a zero. With no usable judge the decision is unknown (null).
    /// </summary>
    public static JuryVerdict Combine(IList<JudgeVerdict> judges, IReadOnlyList<string> metrics, double threshold, JuryAggregation aggregation)
    {
        var usable = judges.Where(j => j.Error is null).ToList();
        foreach (var judge in usable)
        {
            judge.Passed = metrics.All(m => judge.Scores[m] >= threshold);
        }

        if (usable.Count == 0)
        {
            return new JuryVerdict(new Dictionary<string, double>(), null, 0);
        }

        var means = metrics.ToDictionary(m => m, m => Math.Round(usable.Average(j => j.Scores[m]), 4), StringComparer.OrdinalIgnoreCase);
        bool passed = aggregation switch
        {
            JuryAggregation.Majority => usable.Count(j => j.Passed == true) * 2 > usable.Count,
            _ => metrics.All(m => usable.Average(j => j.Scores[m]) >= threshold),
        };
        return new JuryVerdict(means, passed, usable.Count);
    }
}
