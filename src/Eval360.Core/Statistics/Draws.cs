namespace Eval360.Statistics;

/// <summary>
/// Bootstrap draws of single figures, and the one test Eval360's verdict makes with them: whether two models really
/// differ. Each model is resampled on its own, with a seed of its own (<see cref="SeedOf"/>), so two models' draws
/// are independent — a comparison that holds whether or not they answered the same scenarios (the paired tests of
/// Compare-Eval360Model are the sharper tool when they did).
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

    /// <summary>The share of successes in each resample of <paramref name="successes"/> out of <paramref name="trials"/> (empty when there are no trials).</summary>
    public static double[] Proportion(int successes, int trials, ulong seed, int resamples = Bootstrap.Resamples)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(successes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(successes, trials);
        return Bootstrap.Draws(trials, 1, (drawn, values) =>
        {
            int hits = 0;
            foreach (int i in drawn)
            {
                hits += i < successes ? 1 : 0;
            }

            values[0] = hits / (double)drawn.Length;
        }, resamples, seed)[0];
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
