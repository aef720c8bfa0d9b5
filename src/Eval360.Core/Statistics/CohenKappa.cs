namespace Eval360.Statistics;

/// <summary>How a disagreement between two ratings is weighed in Cohen's κ.</summary>
public enum KappaWeights
{
    /// <summary>Every disagreement counts the same (Cohen 1960).</summary>
    None,

    /// <summary>By the distance between the two ratings.</summary>
    Linear,

    /// <summary>By the squared distance (Cohen 1968; close to an intraclass correlation).</summary>
    Quadratic,
}

/// <summary>
/// Cohen's κ between two raters, unweighted or weighted: κ = 1 − Σ w·O / Σ w·E, where O is the table of observed
/// rating pairs, E what the two raters' own distributions give by chance (row total × column total / n), and w the
/// weight of a disagreement. Weights come from the ratings' values (|a − b| linear, (a − b)² quadratic), so the rows
/// and columns may hold different sets of values — a jury's mean score (3.667) against a human's whole-number label —
/// and with consecutive whole-number categories this is the usual weighted κ (the weights' scale cancels out).
/// </summary>
public static class CohenKappa
{
    /// <summary>κ from a rows × columns table (row-major, from <paramref name="offset"/>) whose rows are the first rater's values and columns the second's.</summary>
    public static double Of(ReadOnlySpan<double> table, IReadOnlyList<double> rowValues, IReadOnlyList<double> columnValues, KappaWeights weights, int offset = 0)
    {
        ArgumentNullException.ThrowIfNull(rowValues);
        ArgumentNullException.ThrowIfNull(columnValues);
        int rows = rowValues.Count, columns = columnValues.Count;
        var cells = table.Slice(offset, rows * columns);
        var rowTotals = new double[rows];
        var columnTotals = new double[columns];
        double n = 0;
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                double count = cells[r * columns + c];
                rowTotals[r] += count;
                columnTotals[c] += count;
                n += count;
            }
        }

        if (n <= 0)
        {
            return double.NaN;
        }

        double observed = 0, expected = 0;
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                double w = Weight(rowValues[r], columnValues[c], weights);
                observed += w * cells[r * columns + c];
                expected += w * rowTotals[r] * columnTotals[c] / n;
            }
        }

        return expected <= 0 ? double.NaN : 1 - observed / expected;
    }

    /// <summary>κ of a square table of counts over the categories 1, 2, … (row = first rater).</summary>
    public static double Of(int[,] table, KappaWeights weights)
    {
        ArgumentNullException.ThrowIfNull(table);
        int k = table.GetLength(0);
        var cells = new double[k * k];
        for (int r = 0; r < k; r++)
        {
            for (int c = 0; c < k; c++)
            {
                cells[r * k + c] = table[r, c];
            }
        }

        var categories = Enumerable.Range(1, k).Select(i => (double)i).ToList();
        return Of(cells, categories, categories, weights);
    }

    /// <summary>The weight of rating <paramref name="a"/> against <paramref name="b"/>.</summary>
    public static double Weight(double a, double b, KappaWeights weights) => weights switch
    {
        KappaWeights.None => a == b ? 0 : 1,
        KappaWeights.Linear => Math.Abs(a - b),
        KappaWeights.Quadratic => (a - b) * (a - b),
        _ => throw new ArgumentOutOfRangeException(nameof(weights), weights, null),
    };
}
