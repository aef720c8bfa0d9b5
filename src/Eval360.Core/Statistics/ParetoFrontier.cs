namespace Eval360.Statistics;

/// <summary>A model as the Pareto frontier sees it: quality (pass rate, then mean score), median time to first token and cost per successful response.</summary>
public readonly record struct ParetoPoint(double? PassRate, double? MeanScore, double? TimeToFirstToken, double? CostPerResponse)
{
    public static ParetoPoint Of(ModelSummary m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return new(m.PassRate, m.OverallScore, m.TimeToFirstTokenP50, m.ModelCostPerResponse);
    }
}

/// <summary>
/// Which models no other beats on every count. A model dominates another when it is at least as good on quality, on
/// median time to first token and on the model's own cost per successful response, and better on at least one;
/// the frontier is the models nothing dominates. Quality is the pass rate, and the mean score between equal pass
/// rates. A figure a model lacks (no judged answer, no successful call) counts as the worst there is; a figure no
/// model has (a latency-only run's quality) plays no part. Point estimates: the ranking's ties say how sure they are.
/// </summary>
public static class ParetoFrontier
{
    /// <summary>For each point, the indices of the points that dominate it, in order; empty for the frontier.</summary>
    public static IReadOnlyList<IReadOnlyList<int>> Dominators(IReadOnlyList<ParetoPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var dominators = new List<IReadOnlyList<int>>(points.Count);
        for (int i = 0; i < points.Count; i++)
        {
            var by = new List<int>();
            for (int j = 0; j < points.Count; j++)
            {
                if (j != i && Dominates(points[j], points[i]))
                {
                    by.Add(j);
                }
            }

            dominators.Add(by);
        }

        return dominators;
    }

    /// <summary>Whether <paramref name="a"/> is at least as good as <paramref name="b"/> everywhere and better somewhere.</summary>
    public static bool Dominates(ParetoPoint a, ParetoPoint b)
    {
        int quality = Higher(a.PassRate, b.PassRate) is var byRate and not 0 ? byRate : Higher(a.MeanScore, b.MeanScore);
        int latency = Higher(Negate(a.TimeToFirstToken), Negate(b.TimeToFirstToken));
        int cost = Higher(Negate(a.CostPerResponse), Negate(b.CostPerResponse));
        return quality >= 0 && latency >= 0 && cost >= 0 && (quality > 0 || latency > 0 || cost > 0);
    }

    /// <summary>1 when <paramref name="a"/> is higher, -1 when lower, 0 when equal; a missing figure is lower than any.</summary>
    private static int Higher(double? a, double? b) => (a, b) switch
    {
        (null, null) => 0,
        (null, _) => -1,
        (_, null) => 1,
        var (x, y) => x!.Value.CompareTo(y!.Value),
    };

    private static double? Negate(double? value) => -value;
}
