namespace Eval360.Jury;

/// <summary>The jury's combined decision on one response.</summary>
public sealed record JuryVerdict(IReadOnlyDictionary<string, double> Scores, bool? Passed, int UsableJudges)
{
    /// <summary>
    /// Combines judge verdicts; a pure function that changes none of them. Judges with an
    /// <see cref="JudgeVerdict.Error"/> (or without a score for every metric) are left out of every mean and every vote —
    /// never counted as a pass, a fail or a zero. With no usable judge the decision is unknown (null).
    /// <see cref="JuryAggregation.Mean"/>: passes when every metric's mean across judges reaches the threshold;
    /// <see cref="JuryAggregation.Majority"/>: each judge passes or fails (<see cref="JudgePasses"/>), more passes than
    /// fails wins, a tie fails.
    /// </summary>
    public static JuryVerdict Combine(IReadOnlyList<JudgeVerdict> judges, IReadOnlyList<string> metrics, double threshold, JuryAggregation aggregation)
    {
        ArgumentNullException.ThrowIfNull(judges);
        ArgumentNullException.ThrowIfNull(metrics);
        var usable = judges.Where(j => IsUsable(j, metrics)).ToList();
        if (usable.Count == 0)
        {
            return new JuryVerdict(new Dictionary<string, double>(), null, 0);
        }

        var means = metrics.ToDictionary(m => m, m => Math.Round(usable.Average(j => j.Scores[m]), 4), StringComparer.OrdinalIgnoreCase);
        bool passed = aggregation switch
        {
            JuryAggregation.Majority => usable.Count(j => JudgePasses(j.Scores, metrics, threshold)) * 2 > usable.Count,
            _ => metrics.All(m => usable.Average(j => j.Scores[m]) >= threshold),
        };
        return new JuryVerdict(means, passed, usable.Count);
    }

    /// <summary>One judge's own pass/fail: every metric at or above the threshold.</summary>
    public static bool JudgePasses(IEnumerable<KeyValuePair<string, double>> scores, IReadOnlyList<string> metrics, double threshold)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var byMetric = scores.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.OrdinalIgnoreCase);
        return metrics.All(m => byMetric.TryGetValue(m, out var score) && score >= threshold);
    }

    /// <summary>Whether a verdict takes part in the decision: no error, and a score for every metric.</summary>
    public static bool IsUsable(JudgeVerdict judge, IReadOnlyList<string> metrics)
    {
        ArgumentNullException.ThrowIfNull(judge);
        ArgumentNullException.ThrowIfNull(metrics);
        return judge.Error is null && metrics.All(judge.Scores.ContainsKey);
    }
}
