namespace Eval360.Statistics;

/// <summary>
/// Fleiss' κ: agreement of many raters on nominal categories, from how many raters put each subject in each category
/// (Fleiss 1971). Subjects may have different numbers of raters (a failed judge): each subject's agreement P_i is over
/// its own raters' pairs, and the category shares p_j are over all ratings given; with the same number of raters
/// everywhere this is Fleiss' formula exactly. κ = (P̄ − P̄_e) / (1 − P̄_e).
/// </summary>
public static class FleissKappa
{
    /// <summary>The totals a subject contributes to: subjects, ΣP_i, the count per category (C of them), ratings.</summary>
    public static int Width(int categories) => categories + 3;

    /// <summary>Adds one subject's contribution (nothing when it has fewer than two ratings).</summary>
    public static void AddSubject(ReadOnlySpan<int> categoryCounts, int offset, List<(int Index, double Value)> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        int n = 0;
        double agreeing = 0;
        foreach (int count in categoryCounts)
        {
            n += count;
            agreeing += count * (count - 1.0);
        }

        if (n < 2)
        {
            return;
        }

        into.Add((offset, 1));
        into.Add((offset + 1, agreeing / (n * (n - 1.0))));
        for (int j = 0; j < categoryCounts.Length; j++)
        {
            if (categoryCounts[j] > 0)
            {
                into.Add((offset + 2 + j, categoryCounts[j]));
            }
        }

        into.Add((offset + 2 + categoryCounts.Length, n));
    }

    /// <summary>κ from the totals of <see cref="AddSubject"/>; NaN when undefined (no subject, or one category only).</summary>
    public static double Kappa(ReadOnlySpan<double> totals, int categories, int offset = 0)
    {
        double subjects = totals[offset], ratings = totals[offset + 2 + categories];
        if (subjects <= 0 || ratings <= 0)
        {
            return double.NaN;
        }

        double observed = totals[offset + 1] / subjects, chance = 0;
        for (int j = 0; j < categories; j++)
        {
            double share = totals[offset + 2 + j] / ratings;
            chance += share * share;
        }

        return chance >= 1 ? double.NaN : (observed - chance) / (1 - chance);
    }

    /// <summary>κ of a subjects × categories table of counts.</summary>
    public static double Of(IReadOnlyList<int[]> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        int categories = counts.Count == 0 ? 0 : counts[0].Length;
        var sums = new ItemSums(Width(categories));
        var contribution = new List<(int, double)>();
        foreach (var subject in counts)
        {
            contribution.Clear();
            AddSubject(subject, 0, contribution);
            sums.Add(contribution);
        }

        return Kappa(sums.Totals(), categories);
    }
}
