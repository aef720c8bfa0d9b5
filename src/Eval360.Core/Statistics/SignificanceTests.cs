using MathNet.Numerics.Distributions;

namespace Eval360.Statistics;

/// <summary>What a significance test found: its name (as results show it), its statistic and two-sided p-value.</summary>
public sealed record TestOutcome(string Test, double Statistic, double PValue);

/// <summary>
/// The Wilcoxon signed-rank test of paired differences (do A and B differ on the same items?). Zero differences are
/// dropped (Wilcoxon's method) and tied |differences| get their mean rank. The statistic is the smaller of the sums
/// of positive and negative ranks. Up to <see cref="ExactUpTo"/> non-zero differences the p-value is exact: the
/// distribution of the rank sum over all 2^n sign assignments of these very ranks (so ties are exact too); beyond, the
/// normal approximation with the tie correction of the variance and a continuity correction.
/// </summary>
public static class WilcoxonSignedRank
{
    /// <summary>Non-zero differences up to which the p-value is exact.</summary>
    public const int ExactUpTo = 50;

    public const string Exact = "Wilcoxon signed-rank (exact)";

    public const string Approximate = "Wilcoxon signed-rank (normal approximation)";

    public static TestOutcome Test(IReadOnlyList<double> differences)
    {
        ArgumentNullException.ThrowIfNull(differences);
        var nonZero = differences.Where(d => !double.IsNaN(d) && Math.Abs(d) > Ranks.Tolerance).ToList();
        int n = nonZero.Count;
        if (n == 0)
        {
            return new TestOutcome(Exact, 0, 1);
        }

        var ranks = Ranks.Mid(nonZero.Select(Math.Abs).ToList());
        double positive = 0;
        for (int i = 0; i < n; i++)
        {
            positive += nonZero[i] > 0 ? ranks[i] : 0;
        }

        double total = n * (n + 1) / 2.0, statistic = Math.Min(positive, total - positive);
        if (n <= ExactUpTo)
        {
            // Doubled mid-ranks are whole numbers: the distribution of twice the positive rank sum, sign by sign.
            var doubled = ranks.Select(r => (int)Math.Round(2 * r)).ToArray();
            var probability = new double[doubled.Sum() + 1];
            probability[0] = 1;
            int reach = 0;
            foreach (int r in doubled)
            {
                reach += r;
                for (int s = reach; s >= 0; s--)
                {
                    probability[s] = 0.5 * probability[s] + (s >= r ? 0.5 * probability[s - r] : 0);
                }
            }

            int limit = (int)Math.Round(2 * statistic);
            double tail = 0;
            for (int s = 0; s <= limit; s++)
            {
                tail += probability[s];
            }

            return new TestOutcome(Exact, statistic, Math.Min(1, 2 * tail));
        }

        double mean = n * (n + 1) / 4.0;
        double variance = n * (n + 1) * (2 * n + 1) / 24.0 - Ranks.TieTerm(ranks) / 48.0;
        return new TestOutcome(Approximate, statistic, Normal2Sided(statistic - mean, variance));
    }

    /// <summary>Two-sided normal p-value of a deviation from the mean, with a continuity correction of one half.</summary>
    internal static double Normal2Sided(double deviation, double variance)
    {
        if (variance <= 0)
        {
            return 1;
        }

        double corrected = Math.Max(0, Math.Abs(deviation) - 0.5);
        return Math.Min(1, 2 * Normal.CDF(0, 1, -corrected / Math.Sqrt(variance)));
    }
}

/// <summary>
/// The Mann-Whitney U test of two independent samples (is one stochastically larger than the other?), on mid-ranks.
/// Up to <see cref="ExactUpTo"/> values in all the p-value is exact: the rank sum's distribution over every way of
/// splitting these very ranks into groups of the two sizes (ties included); beyond, the normal approximation with the
/// tie correction and a continuity correction. The statistic is U of the first sample.
/// </summary>
public static class MannWhitneyU
{
    public const int ExactUpTo = 50;

    public const string Exact = "Mann-Whitney U (exact)";

    public const string Approximate = "Mann-Whitney U (normal approximation)";

    public static TestOutcome Test(IReadOnlyList<double> first, IReadOnlyList<double> second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        int n1 = first.Count, n2 = second.Count, n = n1 + n2;
        if (n1 == 0 || n2 == 0)
        {
            return new TestOutcome(Exact, double.NaN, double.NaN);
        }

        var ranks = Ranks.Mid([.. first, .. second]);
        double rankSum = 0;
        for (int i = 0; i < n1; i++)
        {
            rankSum += ranks[i];
        }

        double u = rankSum - n1 * (n1 + 1) / 2.0, mean = n1 * (double)n2 / 2;
        if (n <= ExactUpTo)
        {
            // ways[k][s]: subsets of k of the values seen so far whose doubled ranks sum to s.
            var doubled = ranks.Select(r => (int)Math.Round(2 * r)).ToArray();
            int most = doubled.Sum();
            var ways = new double[n1 + 1, most + 1];
            ways[0, 0] = 1;
            foreach (int r in doubled)
            {
                for (int k = n1; k >= 1; k--)
                {
                    for (int s = most; s >= r; s--)
                    {
                        ways[k, s] += ways[k - 1, s - r];
                    }
                }
            }

            double all = 0, below = 0, above = 0;
            int observed = (int)Math.Round(2 * rankSum);
            for (int s = 0; s <= most; s++)
            {
                double w = ways[n1, s];
                all += w;
                below += s <= observed ? w : 0;
                above += s >= observed ? w : 0;
            }

            return new TestOutcome(Exact, u, Math.Min(1, 2 * Math.Min(below, above) / all));
        }

        double variance = n1 * (double)n2 / 12 * (n + 1 - Ranks.TieTerm(ranks) / (n * (n - 1.0)));
        return new TestOutcome(Approximate, u, WilcoxonSignedRank.Normal2Sided(u - mean, variance));
    }
}

/// <summary>
/// McNemar's exact test of paired pass/fail outcomes: of the pairs where exactly one passed, b (only A) and c (only
/// B) should split evenly if A and B pass equally often; p = 2 × P(X ≤ min(b, c)) for X ~ Binomial(b + c, ½), at most 1.
/// </summary>
public static class McNemar
{
    public const string Exact = "McNemar (exact)";

    public static TestOutcome Test(int onlyFirst, int onlySecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(onlyFirst);
        ArgumentOutOfRangeException.ThrowIfNegative(onlySecond);
        int discordant = onlyFirst + onlySecond;
        if (discordant == 0)
        {
            return new TestOutcome(Exact, 0, 1);
        }

        int smaller = Math.Min(onlyFirst, onlySecond);
        return new TestOutcome(Exact, smaller, Math.Min(1, 2 * Binomial.CDF(0.5, discordant, smaller)));
    }
}

/// <summary>Holm's step-down correction of a family of p-values (controls the chance of any false finding among them).</summary>
public static class Holm
{
    /// <summary>The adjusted p-values, in the order given; NaN stays NaN and does not count as a test.</summary>
    public static double[] Adjust(IReadOnlyList<double> pValues)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        var adjusted = Enumerable.Repeat(double.NaN, pValues.Count).ToArray();
        var order = Enumerable.Range(0, pValues.Count).Where(i => !double.IsNaN(pValues[i])).OrderBy(i => pValues[i]).ThenBy(i => i).ToList();
        double running = 0;
        for (int rank = 0; rank < order.Count; rank++)
        {
            running = Math.Max(running, Math.Min(1, (order.Count - rank) * pValues[order[rank]]));
            adjusted[order[rank]] = running;
        }

        return adjusted;
    }
}

/// <summary>Mid-ranks and the tie term the rank tests share.</summary>
internal static class Ranks
{
    /// <summary>Values closer than this are the same value (differences of means carry rounding noise).</summary>
    public const double Tolerance = 1e-9;

    /// <summary>1-based ranks, tied values sharing the mean of their ranks.</summary>
    public static double[] Mid(IReadOnlyList<double> values)
    {
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Count];
        for (int start = 0; start < order.Length;)
        {
            int end = start + 1;
            while (end < order.Length && values[order[end]] - values[order[start]] <= Tolerance)
            {
                end++;
            }

            double rank = (start + 1 + end) / 2.0;
            for (int i = start; i < end; i++)
            {
                ranks[order[i]] = rank;
            }

            start = end;
        }

        return ranks;
    }

    /// <summary>Σ (t³ − t) over groups of tied ranks.</summary>
    public static double TieTerm(IReadOnlyList<double> ranks)
    {
        double term = 0;
        foreach (var group in ranks.GroupBy(r => r))
        {
            double t = group.Count();
            term += t * t * t - t;
        }

        return term;
    }
}
