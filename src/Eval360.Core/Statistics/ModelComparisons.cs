using System.Globalization;

namespace Eval360.Statistics;

/// <summary>
/// Two models compared on the items both were judged on (<see cref="ItemIdentity"/>: same plan — or run, for results
/// that name no plan — experiment, scenario, invocation, temperature and prompt variant), metric by metric: each
/// dimension's jury mean score, and the pass rate (<c>Passed</c>). For each: the mean difference A − B with a paired
/// bootstrap interval (items resampled as pairs), the Wilcoxon signed-rank test (McNemar's exact test for pass/fail),
/// Holm's correction across the metrics of the pair, the minimum detectable difference, and a sentence. An item a
/// model answered more than once (several juries, or several runs of one plan read together) counts its mean.
/// </summary>
public static class ModelComparisons
{
    /// <summary>Every metric of <paramref name="groupA"/> against <paramref name="groupB"/> (groups as in <see cref="ScoreTable.Groups"/>); empty when they share no judged item.</summary>
    public static IReadOnlyList<ModelComparison> Of(ScoreTable table, int groupA, string labelA, int groupB, string labelB)
    {
        ArgumentNullException.ThrowIfNull(table);
        var dimensions = JuryMeasures.DimensionOrder(table);
        var a = PerItem(table.RowsOf(groupA), table.Dimensions.Count);
        var b = PerItem(table.RowsOf(groupB), table.Dimensions.Count);
        var items = a.Keys.Where(b.ContainsKey).Order().ToList();
        var comparisons = new List<ModelComparison>();
        if (items.Count == 0)
        {
            return comparisons;
        }

        foreach (var (name, column) in dimensions)
        {
            var differences = items
                .Where(i => a[i].Mean(column) is not null && b[i].Mean(column) is not null)
                .Select(i => a[i].Mean(column)!.Value - b[i].Mean(column)!.Value)
                .ToList();
            if (differences.Count > 0)
            {
                comparisons.Add(Compare(labelA, labelB, name, differences, WilcoxonSignedRank.Test(differences)));
            }
        }

        var passDifferences = items.Select(i => a[i].PassShare - b[i].PassShare).ToList();
        var mcNemar = McNemar.Test(passDifferences.Count(d => d > Ranks.Tolerance), passDifferences.Count(d => d < -Ranks.Tolerance));
        comparisons.Add(Compare(labelA, labelB, JuryStatistic.PassedMetric, passDifferences, mcNemar));

        var adjusted = Holm.Adjust(comparisons.Select(c => c.PValue ?? double.NaN).ToList());
        for (int i = 0; i < comparisons.Count; i++)
        {
            var c = comparisons[i];
            c.PAdjusted = double.IsNaN(adjusted[i]) ? null : adjusted[i];
            c.Significant = c.PAdjusted < Significance.Level;
            c.Statement = Statement(c);
        }

        return comparisons;
    }

    private static ModelComparison Compare(string labelA, string labelB, string metric, List<double> differences, TestOutcome test)
    {
        var sums = new ItemSums(2);
        foreach (var d in differences)
        {
            sums.Add([(0, 1), (1, d)]);
        }

        Func<double[], double> mean = t => t[0] > 0 ? t[1] / t[0] : double.NaN;
        var interval = sums.Intervals([mean])[0];
        return new ModelComparison
        {
            ModelA = labelA,
            ModelB = labelB,
            Metric = metric,
            Difference = differences.Average(),
            CiLow = interval?.Low,
            CiHigh = interval?.High,
            PValue = test.PValue,
            Test = test.Test,
            Items = differences.Count,
            MinimumDetectableDifference = Significance.MinimumDetectable(differences),
        };
    }

    /// <summary>"A beats B on Correctness by 0.41 [0.18, 0.63], p = 0.002 after Holm", or why no difference was found.</summary>
    private static string Statement(ModelComparison c)
    {
        static string N(double? value) => (value ?? double.NaN).ToString("0.00", CultureInfo.InvariantCulture);
        string p = Significance.Describe(c.PAdjusted ?? 1) + " after Holm";
        if (c.Significant)
        {
            bool aWins = c.Difference > 0;
            var (winner, loser) = aWins ? (c.ModelA, c.ModelB) : (c.ModelB, c.ModelA);
            var (low, high) = aWins ? (c.CiLow, c.CiHigh) : (-c.CiHigh, -c.CiLow);
            return $"{winner} beats {loser} on {c.Metric} by {N(Math.Abs(c.Difference ?? 0))} [{N(low)}, {N(high)}], {p}";
        }

        var detectable = c.MinimumDetectableDifference is double mdd
            ? $"; with {c.Items} items, a difference smaller than about {N(mdd)} would likely go unnoticed"
            : $"; {c.Items} item(s) are too few to tell";
        return $"No significant difference between {c.ModelA} and {c.ModelB} on {c.Metric}: {N(c.Difference)} [{N(c.CiLow)}, {N(c.CiHigh)}], {p}{detectable}";
    }

    /// <summary>Decided answers by item, several answers to one item averaged.</summary>
    private static Dictionary<ulong, ItemFigures> PerItem(IReadOnlyList<ScoreRow> rows, int dimensions)
    {
        var items = new Dictionary<ulong, ItemFigures>();
        foreach (var row in rows)
        {
            if (row.Passed is not bool passed)
            {
                continue;
            }

            if (!items.TryGetValue(row.Item, out var figures))
            {
                items[row.Item] = figures = new ItemFigures(dimensions);
            }

            figures.Add(row, passed);
        }

        return items;
    }

    private sealed class ItemFigures(int dimensions)
    {
        private readonly double[] _sums = new double[dimensions];
        private readonly int[] _counts = new int[dimensions];
        private int _answers;
        private int _passes;

        public double PassShare => _passes / (double)_answers;

        public double? Mean(int column) => _counts[column] > 0 ? _sums[column] / _counts[column] : null;

        public void Add(ScoreRow row, bool passed)
        {
            _answers++;
            _passes += passed ? 1 : 0;
            for (int k = 0; k < _sums.Length; k++)
            {
                if (row.Mean(k) is double mean)
                {
                    _sums[k] += mean;
                    _counts[k]++;
                }
            }
        }
    }
}
