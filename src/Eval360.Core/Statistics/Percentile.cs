namespace Eval360.Statistics;

/// <summary>Exact percentiles of a sorted sample, as numpy computes them by default.</summary>
public static class Percentile
{
    /// <summary>
    /// Linear interpolation between closest ranks (numpy's <c>linear</c> method): rank = p/100 × (n − 1), and the value
    /// between the two order statistics around it. <paramref name="sorted"/> must be sorted ascending; null when empty.
    /// </summary>
    /// <param name="p">0 to 100.</param>
    public static double? Linear(IReadOnlyList<double> sorted, double p)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0)
        {
            return null;
        }

        double rank = Math.Clamp(p, 0, 100) / 100.0 * (sorted.Count - 1);
        int low = (int)Math.Floor(rank);
        int high = Math.Min(low + 1, sorted.Count - 1);
        return sorted[low] + (rank - low) * (sorted[high] - sorted[low]);
    }
}
