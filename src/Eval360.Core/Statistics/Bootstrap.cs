namespace Eval360.Statistics;

/// <summary>A confidence interval: the range a figure's true value is likely in.</summary>
public readonly record struct Interval(double Low, double High)
{
    public bool Contains(double value) => value >= Low && value <= High;

    public Interval Round(int digits) => new(Math.Round(Low, digits), Math.Round(High, digits));
}

/// <summary>Fills <paramref name="values"/> with the figures computed over one resample, given as the item indices drawn (NaN where a figure is undefined).</summary>
public delegate void ResampleFigures(ReadOnlySpan<int> draws, Span<double> values);

/// <summary>
/// The percentile bootstrap, seeded: items (judged responses, not judge rows) are drawn with replacement, as many as
/// there are, the figures are computed on each resample, and the interval is the middle 95% of what they came to
/// (numpy-style percentiles, <see cref="Percentile.Linear"/>). The same items in the same order, with the same seed,
/// give the same interval in any process; callers put their items in a canonical order first.
/// </summary>
public static class Bootstrap
{
    /// <summary>Resamples per interval.</summary>
    public const int Resamples = 2000;

    /// <summary>The seed every interval Eval360 reports is drawn with.</summary>
    public const ulong Seed = 360;

    /// <summary>The intervals' confidence level.</summary>
    public const double Level = 0.95;

    /// <summary>
    /// One interval per figure; null for a figure that is undefined (NaN) in every resample, or when there are no items.
    /// </summary>
    /// <param name="items">How many items there are to draw from.</param>
    /// <param name="figures">How many figures <paramref name="compute"/> fills in.</param>
    public static Interval?[] Intervals(int items, int figures, ResampleFigures compute, int resamples = Resamples, ulong seed = Seed, double level = Level)
    {
        var draws = Draws(items, figures, compute, resamples, seed);
        var intervals = new Interval?[figures];
        for (int f = 0; f < draws.Length; f++)
        {
            intervals[f] = Interval(draws[f], level);
        }

        return intervals;
    }

    /// <summary>
    /// What each figure came to on each resample: <paramref name="figures"/> arrays of <paramref name="resamples"/>
    /// values (NaN where a figure was undefined); empty arrays when there are no items.
    /// </summary>
    public static double[][] Draws(int items, int figures, ResampleFigures compute, int resamples = Resamples, ulong seed = Seed)
    {
        ArgumentNullException.ThrowIfNull(compute);
        ArgumentOutOfRangeException.ThrowIfNegative(items);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(resamples);
        var samples = new double[figures][];
        if (items == 0 || figures == 0)
        {
            Array.Fill(samples, Array.Empty<double>());
            return samples;
        }

        for (int f = 0; f < figures; f++)
        {
            samples[f] = new double[resamples];
        }

        var random = new SeededRandom(seed);
        var draws = new int[items];
        var values = new double[figures];
        for (int b = 0; b < resamples; b++)
        {
            for (int i = 0; i < draws.Length; i++)
            {
                draws[i] = random.Next(items);
            }

            Array.Fill(values, double.NaN);
            compute(draws, values);
            for (int f = 0; f < figures; f++)
            {
                samples[f][b] = values[f];
            }
        }

        return samples;
    }

    /// <summary>The middle <paramref name="level"/> of <paramref name="draws"/> (NaN left out); null when none is a number.</summary>
    public static Interval? Interval(IEnumerable<double> draws, double level = Level)
    {
        ArgumentNullException.ThrowIfNull(draws);
        var sorted = draws.Where(d => !double.IsNaN(d)).ToList();
        if (sorted.Count == 0)
        {
            return null;
        }

        sorted.Sort();
        double tail = (1 - level) / 2 * 100;
        return new Interval(Percentile.Linear(sorted, tail)!.Value, Percentile.Linear(sorted, 100 - tail)!.Value);
    }

    /// <summary>
    /// The interval of median(<paramref name="second"/>) − median(<paramref name="first"/>), resampling each sample on
    /// its own (two independent samples); null when either is empty. The samples are sorted first, so the order they
    /// came in does not matter; then a resample's median is the value at the median of the positions drawn, which a
    /// count of draws per position finds without sorting anything again.
    /// </summary>
    public static Interval? MedianDifference(IReadOnlyList<double> first, IReadOnlyList<double> second, int resamples = Resamples, ulong seed = Seed, double level = Level)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.Count == 0 || second.Count == 0)
        {
            return null;
        }

        var a = first.Order().ToArray();
        var b = second.Order().ToArray();
        var random = new SeededRandom(seed);
        var countsA = new int[a.Length];
        var countsB = new int[b.Length];
        var differences = new List<double>(resamples);
        for (int r = 0; r < resamples; r++)
        {
            differences.Add(ResampledMedian(b, countsB, random) - ResampledMedian(a, countsA, random));
        }

        differences.Sort();
        double tail = (1 - level) / 2 * 100;
        return new Interval(Percentile.Linear(differences, tail)!.Value, Percentile.Linear(differences, 100 - tail)!.Value);
    }

    /// <summary>The median (numpy's, as <see cref="Percentile.Linear"/>) of |sorted| values drawn with replacement from <paramref name="sorted"/>.</summary>
    private static double ResampledMedian(double[] sorted, int[] counts, SeededRandom random)
    {
        int n = sorted.Length;
        Array.Clear(counts);
        for (int i = 0; i < n; i++)
        {
            counts[random.Next(n)]++;
        }

        double OrderStatistic(int rank)
        {
            int seen = 0;
            for (int position = 0; position < n; position++)
            {
                seen += counts[position];
                if (seen > rank)
                {
                    return sorted[position];
                }
            }

            return sorted[^1];
        }

        return n % 2 == 1 ? OrderStatistic(n / 2) : (OrderStatistic(n / 2 - 1) + OrderStatistic(n / 2)) / 2;
    }
}
