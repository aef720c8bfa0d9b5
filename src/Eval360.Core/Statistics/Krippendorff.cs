namespace Eval360.Statistics;

/// <summary>
/// Krippendorff's α: agreement among any number of coders (judges) over units (answers), with missing values, at
/// the nominal, ordinal, interval or ratio level — as in Krippendorff (2011), "Computing Krippendorff's
/// Alpha-Reliability". α = 1 − D_o / D_e from the coincidence matrix: every ordered pair of values two different
/// coders gave one unit counts 1 / (m_u − 1), where m_u is how many values the unit has; units with fewer than two
/// values are left out (they are not pairable). 1 is perfect agreement, 0 what chance gives.
/// </summary>
public static class Krippendorff
{
    /// <summary>Below this α, data are <c>unreliable</c> (Krippendorff: do not draw conclusions).</summary>
    public const double TentativeFrom = 0.667;

    /// <summary>From this α on, data are <c>reliable</c>; between the two, <c>tentative</c>.</summary>
    public const double ReliableFrom = 0.8;

    /// <summary>What an α value means, by Krippendorff's thresholds; null when α is undefined.</summary>
    public static string? Reliability(double? alpha) => alpha switch
    {
        null => null,
        double a when double.IsNaN(a) => null,
        < TentativeFrom => JuryReliability.Unreliable,
        < ReliableFrom => JuryReliability.Tentative,
        _ => JuryReliability.Reliable,
    };

    /// <summary>
    /// α of a reliability data matrix: one array per unit, one entry per coder, null where the coder gave nothing.
    /// NaN when undefined (fewer than two pairable values, or every value the same).
    /// </summary>
    public static double Alpha(IReadOnlyList<double?[]> units, MeasurementLevel level)
    {
        ArgumentNullException.ThrowIfNull(units);
        var values = units.SelectMany(u => u).OfType<double>().Distinct().Order().ToList();
        var sums = new ItemSums(values.Count * values.Count);
        var contribution = new List<(int, double)>();
        foreach (var unit in units)
        {
            contribution.Clear();
            AddCoincidences(unit.OfType<double>().Select(v => values.BinarySearch(v)).ToArray(), values.Count, 0, contribution);
            sums.Add(contribution);
        }

        return Alpha(sums.Totals(), values, level);
    }

    /// <summary>
    /// Adds one unit's coincidences to <paramref name="into"/>: for each ordered pair of its values from different
    /// coders, 1 / (m_u − 1) at <paramref name="offset"/> + c × V + k. Nothing for a unit with fewer than two values.
    /// </summary>
    /// <param name="valueIndices">The unit's values, as indices into the sorted distinct values (V of them).</param>
    public static void AddCoincidences(ReadOnlySpan<int> valueIndices, int valueCount, int offset, List<(int Index, double Value)> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        int m = valueIndices.Length;
        if (m < 2)
        {
            return;
        }

        double weight = 1.0 / (m - 1);
        for (int a = 0; a < m; a++)
        {
            for (int b = 0; b < m; b++)
            {
                if (a != b)
                {
                    into.Add((offset + valueIndices[a] * valueCount + valueIndices[b], weight));
                }
            }
        }
    }

    /// <summary>
    /// α from a V × V coincidence matrix (row-major, from <paramref name="offset"/> in <paramref name="totals"/>) over
    /// the sorted distinct <paramref name="values"/>; NaN when undefined.
    /// </summary>
    public static double Alpha(ReadOnlySpan<double> totals, IReadOnlyList<double> values, MeasurementLevel level, int offset = 0)
    {
        ArgumentNullException.ThrowIfNull(values);
        int v = values.Count;
        var coincidences = totals.Slice(offset, v * v);
        Span<double> marginals = v <= 256 ? stackalloc double[v] : new double[v];
        double n = 0;
        for (int c = 0; c < v; c++)
        {
            double sum = 0;
            for (int k = 0; k < v; k++)
            {
                sum += coincidences[c * v + k];
            }

            marginals[c] = sum;
            n += sum;
        }

        if (n <= 1)
        {
            return double.NaN;
        }

        double observed = 0, expected = 0;
        for (int c = 0; c < v; c++)
        {
            for (int k = 0; k < v; k++)
            {
                if (c == k)
                {
                    continue;
                }

                double delta = Distance(c, k, values, marginals, level);
                observed += coincidences[c * v + k] * delta;
                expected += marginals[c] * marginals[k] * delta;
            }
        }

        return expected <= 0 ? double.NaN : 1 - (n - 1) * observed / expected;
    }

    /// <summary>The squared difference δ² between the c-th and k-th values at a level of measurement.</summary>
    private static double Distance(int c, int k, IReadOnlyList<double> values, ReadOnlySpan<double> marginals, MeasurementLevel level)
    {
        switch (level)
        {
            case MeasurementLevel.Nominal:
                return 1;
            case MeasurementLevel.Ordinal:
                int low = Math.Min(c, k), high = Math.Max(c, k);
                double between = 0;
                for (int g = low; g <= high; g++)
                {
                    between += marginals[g];
                }

                double d = between - (marginals[c] + marginals[k]) / 2;
                return d * d;
            case MeasurementLevel.Interval:
                double gap = values[c] - values[k];
                return gap * gap;
            case MeasurementLevel.Ratio:
                double sum = values[c] + values[k];
                double relative = sum == 0 ? 0 : (values[c] - values[k]) / sum;
                return relative * relative;
            default:
                throw new ArgumentOutOfRangeException(nameof(level), level, null);
        }
    }
}
