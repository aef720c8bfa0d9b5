using Eval360.Configuration;

namespace Eval360.Statistics;

/// <summary>
/// Each judge's score gap between answers of its own model family and answers of other families
/// (<see cref="JudgeFamilyBias"/>), read from the <see cref="ScoreTable"/>. A judge's score on an answer is its mean over
/// the metrics it scored there; a mean over answers is the plain mean of those. Families come from
/// <see cref="ModelFamily"/>: answers of models of unknown family are left out, and only judges of a known family that
/// scored at least one answer of their own family get a row. The other judges' gap is taken on the same answers, from
/// judges of another known family (per answer, the mean of their scores), so what remains is this judge's own.
/// </summary>
public static class FamilyDelta
{
    public static IReadOnlyList<JudgeFamilyBias> Of(ScoreTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var groupFamilies = table.Groups.Select(g => ModelFamily.Of(ModelIdOf(g))).ToArray();
        var judgeFamilies = table.Judges.Select(ModelFamily.Of).ToArray();
        var rows = new List<JudgeFamilyBias>();
        for (int judge = 0; judge < judgeFamilies.Length; judge++)
        {
            if (judgeFamilies[judge] is not { } family)
            {
                continue;
            }

            Mean own = default, other = default, othersOnOwn = default, othersOnOther = default;
            for (int i = 0; i < table.Count; i++)
            {
                var row = table[i];
                if (groupFamilies[row.Group] is not { } answerFamily || JuryAgreement.JudgeMean(row, judge) is not double score)
                {
                    continue;
                }

                bool ownFamily = answerFamily == family;
                (ownFamily ? ref own : ref other).Add(score);
                Mean others = default;
                for (int k = 0; k < row.JudgeCount; k++)
                {
                    if (k != judge && judgeFamilies[k] is { } kFamily && kFamily != family && JuryAgreement.JudgeMean(row, k) is double theirs)
                    {
                        others.Add(theirs);
                    }
                }

                if (others.Value is double baseline)
                {
                    (ownFamily ? ref othersOnOwn : ref othersOnOther).Add(baseline);
                }
            }

            if (own.Value is not double ownMean)
            {
                continue;
            }

            double? delta = ownMean - other.Value;
            double? othersDelta = othersOnOwn.Value - othersOnOther.Value;
            rows.Add(new JudgeFamilyBias
            {
                JudgeModelId = table.Judges[judge],
                Family = family,
                OwnFamilyAnswers = own.Count,
                OwnFamilyMean = ownMean,
                OtherFamilyAnswers = other.Count,
                OtherFamilyMean = other.Value,
                Delta = delta,
                OtherJudgesDelta = othersDelta,
                SelfPreference = delta - othersDelta,
            });
        }

        return rows.OrderBy(r => r.JudgeModelId, StringComparer.Ordinal).ToList();
    }

    /// <summary>The model id of a <see cref="ResultStatistics.ModelKey"/> (<c>model|region</c>).</summary>
    private static string ModelIdOf(string group)
    {
        int bar = group.LastIndexOf('|');
        return bar < 0 ? group : group[..bar];
    }

    private struct Mean
    {
        private double _sum;

        public int Count { get; private set; }

        public readonly double? Value => Count > 0 ? _sum / Count : null;

        public void Add(double value)
        {
            _sum += value;
            Count++;
        }
    }
}
