namespace Eval360.Statistics;

/// <summary>
/// How reliable a jury is, read from the <see cref="ScoreTable"/>: per metric (each scored dimension, and the judges'
/// own pass/fail as <c>Passed</c>), Krippendorff's α at the levels asked for and Fleiss' κ; per judge and metric, its
/// leniency against the rest and its agreement with them. Every figure comes with a 95% bootstrap interval that
/// resamples answers (<see cref="ItemSums"/>: one pass of 2,000 resamples per metric serves every figure of it).
/// </summary>
public static class JuryMeasures
{
    /// <summary>All four levels, in order.</summary>
    public static IReadOnlyList<MeasurementLevel> AllLevels { get; } = Enum.GetValues<MeasurementLevel>();

    /// <summary>Agreement per metric: α at each level (only nominal for <c>Passed</c>), and Fleiss' κ when the nominal level is asked for.</summary>
    /// <param name="intervals">False leaves the intervals out (for the report of very large runs: the bootstrap costs resamples × answers).</param>
    public static IReadOnlyList<JuryStatistic> Agreement(ScoreTable table, IReadOnlyCollection<MeasurementLevel>? levels = null, bool intervals = true)
    {
        ArgumentNullException.ThrowIfNull(table);
        levels ??= AllLevels;
        var rows = table.Rows();
        var statistics = new List<JuryStatistic>();
        foreach (var metric in Metrics(table, overall: false))
        {
            var ratings = Ratings.Of(rows, table.Judges.Count, metric.Read);
            var metricLevels = metric.Name == JuryStatistic.PassedMetric
                ? AllLevels.Where(l => l == MeasurementLevel.Nominal && levels.Contains(l)).ToList()
                : AllLevels.Where(levels.Contains).ToList();
            if (ratings.Units.Count == 0 || metricLevels.Count == 0)
            {
                continue;
            }

            var analysis = new RatingAnalysis(ratings, agreement: true);
            var figures = metricLevels.Select(l => analysis.Alpha(l)).ToList();
            bool fleiss = metricLevels.Contains(MeasurementLevel.Nominal);
            if (fleiss)
            {
                figures.Add(analysis.Fleiss);
            }

            var values = analysis.Sums.Figures(figures);
            var bounds = intervals ? analysis.Sums.Intervals(figures) : new Interval?[figures.Count];
            for (int f = 0; f < figures.Count; f++)
            {
                bool isAlpha = f < metricLevels.Count;
                double? value = Defined(values[f]);
                statistics.Add(new JuryStatistic
                {
                    Metric = metric.Name,
                    Statistic = isAlpha ? JuryStatistic.KrippendorffAlpha : JuryStatistic.FleissKappa,
                    Level = isAlpha ? metricLevels[f] : MeasurementLevel.Nominal,
                    Value = value,
                    CiLow = value is null ? null : bounds[f]?.Low,
                    CiHigh = value is null ? null : bounds[f]?.High,
                    Items = analysis.Sums.Count,
                    Missing = ratings.Missing,
                    Reliability = isAlpha ? Krippendorff.Reliability(value) : null,
                });
            }
        }

        return statistics;
    }

    /// <summary>
    /// Per judge and metric (Overall, each dimension, Passed): its <see cref="JuryStatistic.Leniency"/> and its
    /// <see cref="JuryStatistic.AgreementWithRest"/>, over the answers it shares with another judge; by judge, then metric.
    /// </summary>
    public static IReadOnlyList<JuryStatistic> Judges(ScoreTable table, bool intervals = true)
    {
        ArgumentNullException.ThrowIfNull(table);
        var rows = table.Rows();
        var found = new List<(int Judge, int Metric, JuryStatistic Figure)>();
        var metrics = Metrics(table, overall: true);
        for (int m = 0; m < metrics.Count; m++)
        {
            var ratings = Ratings.Of(rows, table.Judges.Count, metrics[m].Read);
            if (ratings.Units.Count == 0)
            {
                continue;
            }

            var analysis = new RatingAnalysis(ratings, agreement: false);
            var figures = new List<Func<double[], double>>();
            for (int j = 0; j < ratings.JudgeCount; j++)
            {
                figures.Add(analysis.Leniency(j));
                figures.Add(analysis.AgreementWithRest(j));
            }

            var totals = analysis.Sums.Totals();
            var bounds = intervals ? analysis.Sums.Intervals(figures) : new Interval?[figures.Count];
            for (int j = 0; j < ratings.JudgeCount; j++)
            {
                int items = analysis.ItemsOf(totals, j);
                if (items == 0)
                {
                    continue;
                }

                for (int k = 0; k < 2; k++)
                {
                    double? value = Defined(figures[2 * j + k](totals));
                    found.Add((j, m, new JuryStatistic
                    {
                        Metric = metrics[m].Name,
                        Judge = table.Judges[j],
                        Statistic = k == 0 ? JuryStatistic.Leniency : JuryStatistic.AgreementWithRest,
                        Level = k == 0 ? null : MeasurementLevel.Interval,
                        Value = value,
                        CiLow = value is null ? null : bounds[2 * j + k]?.Low,
                        CiHigh = value is null ? null : bounds[2 * j + k]?.High,
                        Items = items,
                    }));
                }
            }
        }

        return found
            .OrderBy(f => table.Judges[f.Judge], StringComparer.Ordinal)
            .ThenBy(f => f.Metric)
            .Select(f => f.Figure)
            .ToList();
    }

    /// <summary>What a metric reads from a row for a judge.</summary>
    internal sealed record Metric(string Name, Func<ScoreRow, int, double?> Read);

    /// <summary>Overall (optionally) first, then the dimensions in the table's order, then Passed.</summary>
    internal static IReadOnlyList<Metric> Metrics(ScoreTable table, bool overall)
    {
        var metrics = new List<Metric>();
        if (overall)
        {
            metrics.Add(new Metric(JuryStatistic.OverallMetric, JuryAgreement.JudgeMean));
        }

        foreach (var (name, column) in DimensionOrder(table))
        {
            metrics.Add(new Metric(name, (row, judge) => row.Score(judge, column)));
        }

        metrics.Add(new Metric(JuryStatistic.PassedMetric, static (row, judge) => row.JudgePassed(judge) switch { true => 1, false => 0, null => null }));
        return metrics;
    }

    /// <summary>The table's dimensions with their columns: the six core ones in their usual order, then the user's as first met.</summary>
    public static IReadOnlyList<(string Name, int Column)> DimensionOrder(ScoreTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var columns = table.Dimensions.Select((name, column) => (name, column)).ToList();
        int Rank(string name)
        {
            int core = Jury.Dimensions.Core.ToList().FindIndex(c => string.Equals(c, name, StringComparison.OrdinalIgnoreCase));
            return core >= 0 ? core : int.MaxValue;
        }

        return columns.OrderBy(c => Rank(c.name)).ThenBy(c => c.column).ToList();
    }

    private static double? Defined(double value) => double.IsFinite(value) ? value : null;
}

/// <summary>
/// One metric's reliability data: a unit (answer) per row that at least one judge scored, a value per judge
/// (null where it gave none), in the table's canonical order.
/// </summary>
internal sealed class Ratings
{
    private Ratings(List<double?[]> units, int judgeCount, int judges, int missing)
    {
        Units = units;
        JudgeCount = judgeCount;
        Judges = judges;
        Missing = missing;
    }

    public List<double?[]> Units { get; }

    /// <summary>Judge columns (the table's).</summary>
    public int JudgeCount { get; }

    /// <summary>Judges that gave at least one value.</summary>
    public int Judges { get; }

    /// <summary>Cells of those judges without a value, over the units.</summary>
    public int Missing { get; }

    public static Ratings Of(IReadOnlyList<ScoreRow> rows, int judgeCount, Func<ScoreRow, int, double?> read)
    {
        var units = new List<double?[]>();
        var active = new bool[judgeCount];
        int present = 0;
        foreach (var row in rows)
        {
            var unit = new double?[judgeCount];
            bool any = false;
            for (int j = 0; j < judgeCount; j++)
            {
                unit[j] = read(row, j);
                if (unit[j] is not null)
                {
                    any = active[j] = true;
                    present++;
                }
            }

            if (any)
            {
                units.Add(unit);
            }
        }

        int judges = active.Count(a => a);
        return new Ratings(units, judgeCount, judges, units.Count * judges - present);
    }
}

/// <summary>
/// The per-answer contributions of one metric's ratings, laid out in one <see cref="ItemSums"/>: the coincidence
/// matrix (Krippendorff), the category counts (Fleiss), and per judge, on the answers it shares with another judge,
/// [answers, Σ(x − y), Σ 2(x − y)², Σ(x + y), Σ(x² + y²)] where x is its score and y the mean of the others' — what its
/// leniency (mean offset) and its interval α against the rest are computed from.
/// </summary>
internal sealed class RatingAnalysis
{
    private const int JudgeBlock = 5;

    private readonly List<double> _values;
    private readonly int _judgeOffset;

    public RatingAnalysis(Ratings ratings, bool agreement)
    {
        _values = agreement ? ratings.Units.SelectMany(u => u).OfType<double>().Distinct().Order().ToList() : [];
        int v = _values.Count;
        int fleissOffset = v * v;
        _judgeOffset = agreement ? fleissOffset + FleissKappa.Width(v) : 0;
        Sums = new ItemSums(_judgeOffset + JudgeBlock * ratings.JudgeCount);
        var contribution = new List<(int, double)>();
        var indices = new List<int>();
        var counts = new int[v];
        foreach (var unit in ratings.Units)
        {
            int present = 0;
            double total = 0;
            foreach (var value in unit)
            {
                if (value is double x)
                {
                    present++;
                    total += x;
                }
            }

            if (present < 2)
            {
                continue;
            }

            contribution.Clear();
            if (agreement)
            {
                indices.Clear();
                Array.Clear(counts);
                foreach (var value in unit)
                {
                    if (value is double x)
                    {
                        int index = _values.BinarySearch(x);
                        indices.Add(index);
                        counts[index]++;
                    }
                }

                Krippendorff.AddCoincidences(indices.ToArray(), v, 0, contribution);
                FleissKappa.AddSubject(counts, fleissOffset, contribution);
            }

            for (int j = 0; j < unit.Length; j++)
            {
                if (unit[j] is not double x)
                {
                    continue;
                }

                double y = (total - x) / (present - 1), gap = x - y;
                int at = _judgeOffset + JudgeBlock * j;
                contribution.Add((at, 1));
                contribution.Add((at + 1, gap));
                contribution.Add((at + 2, 2 * gap * gap));
                contribution.Add((at + 3, x + y));
                contribution.Add((at + 4, x * x + y * y));
            }

            Sums.Add(contribution);
        }
    }

    public ItemSums Sums { get; }

    public Func<double[], double> Alpha(MeasurementLevel level) => totals => Krippendorff.Alpha(totals, _values, level);

    public Func<double[], double> Fleiss => totals => FleissKappa.Kappa(totals, _values.Count, _values.Count * _values.Count);

    public int ItemsOf(double[] totals, int judge) => (int)Math.Round(totals[_judgeOffset + JudgeBlock * judge]);

    /// <summary>Mean of (its score − the others' mean).</summary>
    public Func<double[], double> Leniency(int judge)
    {
        int at = _judgeOffset + JudgeBlock * judge;
        return totals => totals[at] > 0 ? totals[at + 1] / totals[at] : double.NaN;
    }

    /// <summary>Interval α of the two "coders" (this judge, the others' mean): 1 − (N − 1) Σ 2(x − y)² / (2N Σv² − 2(Σv)²), N = 2 × answers.</summary>
    public Func<double[], double> AgreementWithRest(int judge)
    {
        int at = _judgeOffset + JudgeBlock * judge;
        return totals =>
        {
            double n = 2 * totals[at], sum = totals[at + 3];
            double expected = 2 * n * totals[at + 4] - 2 * sum * sum;
            return n < 2 || expected <= 1e-12 ? double.NaN : 1 - (n - 1) * totals[at + 2] / expected;
        };
    }
}
