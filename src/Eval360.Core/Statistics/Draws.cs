namespace Eval360.Statistics;

/// <summary>
/// Bootstrap draws of single figures, and the one test Eval360's verdict makes with them: whether two models really
/// differ, from the 95% interval of the difference of their draws, resample by resample. Medians and proportions are
/// drawn with a seed of their own (<see cref="SeedOf"/>), so two models' draws of them are independent; pass rates
/// and scores come from the intervals' resamples (<see cref="ModelStatistics.Intervals"/>), paired where two models
/// answered the same items.
/// </summary>
public static class Draws
{
    /// <summary>A seed of its own for whatever <paramref name="key"/> names (a model's group key): the same in every process.</summary>
    public static ulong SeedOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var hash = 14695981039346656037UL;
        foreach (char c in key)
        {
            hash = unchecked((hash ^ c) * 1099511628211UL);
        }

        return Bootstrap.Seed ^ hash;
    }

    /// <summary>
    /// The 95% interval of <paramref name="a"/> − <paramref name="b"/>, draw by draw (the arrays are independent
    /// resamples of two models, of equal length; a draw that is NaN on either side is left out). The two differ
    /// significantly when the interval leaves out 0.
    /// </summary>
    public static Interval? Difference(IReadOnlyList<double> a, IReadOnlyList<double> b, double level = Bootstrap.Level)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return Bootstrap.Interval(Enumerable.Range(0, Math.Min(a.Count, b.Count)).Select(i => a[i] - b[i]), level);
    }

    /// <summary>
    /// The median of each of <paramref name="resamples"/> resamples of <paramref name="sorted"/> (ascending), drawn
    /// through its order statistic: the median of n draws from the sample is the sample's quantile at the median of n
    /// uniform numbers, which is Beta((n+1)/2, (n+1)/2)-distributed — one draw per resample instead of n (exact for
    /// odd n, the middle of the two central order statistics' range for even n). Empty for an empty sample.
    /// </summary>
    public static double[] Median(IReadOnlyList<double> sorted, ulong seed, int resamples = Bootstrap.Resamples)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        int n = sorted.Count;
        if (n == 0)
        {
            return [];
        }

        var random = new SeededRandom(seed);
        double shape = (n + 1) / 2.0;
        var draws = new double[resamples];
        for (int b = 0; b < resamples; b++)
        {
            double x = Gamma(random, shape), y = Gamma(random, shape);
            double u = x / (x + y);
            int index = Math.Clamp((int)Math.Ceiling(u * n) - 1, 0, n - 1);
            draws[b] = sorted[index];
        }

        return draws;
    }

    /// <summary>
    /// The share of successes in each resample of <paramref name="successes"/> out of <paramref name="trials"/> (empty
    /// when there are no trials): the bootstrap of a proportion, whose resampled count is Binomial(trials, share).
    /// </summary>
    public static double[] Proportion(int successes, int trials, ulong seed, int resamples = Bootstrap.Resamples)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(successes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(successes, trials);
        if (trials == 0)
        {
            return [];
        }

        var random = new SeededRandom(seed);
        double share = successes / (double)trials;
        var draws = new double[resamples];
        for (int b = 0; b < resamples; b++)
        {
            draws[b] = Binomial(random, trials, share) / (double)trials;
        }

        return draws;
    }

    /// <summary>
    /// A Binomial(<paramref name="n"/>, <paramref name="p"/>) number in O(log n) steps (Knuth, TAOCP 3.4.1): the a-th
    /// smallest of n uniform numbers is Beta(a, n − a + 1); the others below it are uniform under it, those above it
    /// uniform above it, so halving n each time leaves a small case to count directly.
    /// </summary>
    private static int Binomial(SeededRandom random, int n, double p)
    {
        int successes = 0;
        while (n > 32)
        {
            int a = 1 + n / 2, b = n - a + 1;
            double x = Gamma(random, a), y = Gamma(random, b);
            double order = x / (x + y);
            if (order >= p)
            {
                n = a - 1;
                p /= order;
            }
            else
            {
                successes += a;
                n = b - 1;
                p = (p - order) / (1 - order);
            }
        }

        for (int i = 0; i < n; i++)
        {
            successes += random.NextDouble() < p ? 1 : 0;
        }

        return successes;
    }

    /// <summary>A Gamma(<paramref name="shape"/>, 1) number, shape ≥ 1 (Marsaglia and Tsang's method).</summary>
    private static double Gamma(SeededRandom random, double shape)
    {
        double d = shape - 1.0 / 3, c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = Normal(random);
                v = 1 + c * x;
            }
            while (v <= 0);

            v = v * v * v;
            double u = 1 - random.NextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || Math.Log(u) < 0.5 * x * x + d * (1 - v + Math.Log(v)))
            {
                return d * v;
            }
        }
    }

    /// <summary>A standard normal number (Box–Muller).</summary>
    private static double Normal(SeededRandom random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
