namespace Eval360.Statistics;

/// <summary>
/// The jury measured against people: for each metric people labelled, linear- and quadratic-weighted Cohen's κ
/// (<see cref="JuryStatistic.CohenKappa"/>) of every judge's score and of the jury's mean score against the human
/// label, over the answers both scored, with 95% bootstrap intervals over answers; and the jury's κ minus the best
/// single judge's (<see cref="JuryStatistic.JuryVersusBestJudge"/>, the judge named), with a paired interval (the same
/// resamples for both), which says whether the panel is worth more than its best member.
/// </summary>
public static class HumanAgreements
{
    private static readonly (string Name, KappaWeights Weights)[] Weightings =
        [(KappaWeighting.Linear, KappaWeights.Linear), (KappaWeighting.Quadratic, KappaWeights.Quadratic)];

    /// <param name="labelsOf">The human labels of a row's answer, or null.</param>
    public static IReadOnlyList<JuryStatistic> Of(ScoreTable table, Func<ScoreRow, IReadOnlyDictionary<string, double>?> labelsOf)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(labelsOf);
        var rows = table.Rows();
        var agreements = new List<JuryStatistic>();
        int judges = table.Judges.Count;
        foreach (var (metric, column) in JuryMeasures.DimensionOrder(table))
        {
            // Rater 0 is the jury (its mean score), rater r ≥ 1 the judge in column r − 1.
            var labelled = new List<(double Human, double?[] Raters)>();
            foreach (var row in rows)
            {
                if (labelsOf(row) is { } labels && labels.TryGetValue(metric, out double human))
                {
                    var raters = new double?[judges + 1];
                    raters[0] = row.Mean(column);
                    for (int j = 0; j < judges; j++)
                    {
                        raters[j + 1] = row.Score(j, column);
                    }

                    labelled.Add((human, raters));
                }
            }

            if (labelled.Count > 0)
            {
                agreements.AddRange(Measure(metric, labelled, table.Judges));
            }
        }

        return agreements;
    }

    private static List<JuryStatistic> Measure(string metric, List<(double Human, double?[] Raters)> labelled, IReadOnlyList<string> judgeNames)
    {
        int raters = judgeNames.Count + 1;
        var humanValues = labelled.Select(l => l.Human).Distinct().Order().ToList();
        var raterValues = Enumerable.Range(0, raters)
            .Select(r => labelled.Select(l => l.Raters[r]).OfType<double>().Distinct().Order().ToList())
            .ToList();
        var offsets = new int[raters];
        int width = 0;
        for (int r = 0; r < raters; r++)
        {
            offsets[r] = width;
            width += raterValues[r].Count * humanValues.Count;
        }

        var sums = new ItemSums(width);
        var contribution = new List<(int, double)>();
        foreach (var (human, scores) in labelled)
        {
            contribution.Clear();
            int h = humanValues.BinarySearch(human);
            for (int r = 0; r < raters; r++)
            {
                if (scores[r] is double score)
                {
                    contribution.Add((offsets[r] + raterValues[r].BinarySearch(score) * humanValues.Count + h, 1));
                }
            }

            sums.Add(contribution);
        }

        Func<double[], double> Kappa(int rater, KappaWeights weights) =>
            totals => CohenKappa.Of(totals, raterValues[rater], humanValues, weights, offsets[rater]);

        var totals = sums.Totals();
        var figures = new List<Func<double[], double>>();
        var best = new int[Weightings.Length];
        for (int w = 0; w < Weightings.Length; w++)
        {
            for (int r = 0; r < raters; r++)
            {
                figures.Add(Kappa(r, Weightings[w].Weights));
            }

            best[w] = Enumerable.Range(1, raters - 1)
                .Select(r => (Rater: r, Kappa: Kappa(r, Weightings[w].Weights)(totals)))
                .Where(k => double.IsFinite(k.Kappa))
                .OrderByDescending(k => k.Kappa).ThenBy(k => judgeNames[k.Rater - 1], StringComparer.Ordinal)
                .Select(k => k.Rater).FirstOrDefault();
        }

        for (int w = 0; w < Weightings.Length; w++)
        {
            var jury = Kappa(0, Weightings[w].Weights);
            var bestJudge = best[w] > 0 ? Kappa(best[w], Weightings[w].Weights) : null;
            figures.Add(bestJudge is null ? _ => double.NaN : t => jury(t) - bestJudge(t));
        }

        var values = figures.Select(f => f(totals)).ToArray();
        var intervals = sums.Intervals(figures);
        var agreements = new List<JuryStatistic>();
        for (int w = 0; w < Weightings.Length; w++)
        {
            for (int r = 0; r < raters; r++)
            {
                int at = w * raters + r;
                int items = (int)Math.Round(totals.AsSpan(offsets[r], raterValues[r].Count * humanValues.Count).ToArray().Sum());
                if (items == 0)
                {
                    continue;
                }

                double? kappa = Defined(values[at]);
                agreements.Add(new JuryStatistic
                {
                    Metric = metric,
                    Judge = r == 0 ? JuryStatistic.Jury : judgeNames[r - 1],
                    Statistic = JuryStatistic.CohenKappa,
                    Weighting = Weightings[w].Name,
                    Value = kappa,
                    CiLow = kappa is null ? null : intervals[at]?.Low,
                    CiHigh = kappa is null ? null : intervals[at]?.High,
                    Items = items,
                });
            }

            if (best[w] > 0)
            {
                int difference = Weightings.Length * raters + w;
                double? gain = Defined(values[difference]);
                agreements.Add(new JuryStatistic
                {
                    Metric = metric,
                    Judge = judgeNames[best[w] - 1],
                    Statistic = JuryStatistic.JuryVersusBestJudge,
                    Weighting = Weightings[w].Name,
                    Value = gain,
                    CiLow = gain is null ? null : intervals[difference]?.Low,
                    CiHigh = gain is null ? null : intervals[difference]?.High,
                    Items = labelled.Count,
                });
            }
        }

        return agreements;
    }

    private static double? Defined(double value) => double.IsFinite(value) ? value : null;
}
