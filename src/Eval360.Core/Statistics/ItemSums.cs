namespace Eval360.Statistics;

/// <summary>
/// Per-item contributions that add up, for figures computed from their totals: a coincidence matrix, a sum and a
/// count, category counts. Krippendorff's α, Fleiss' κ, Cohen's κ, a mean difference and a leniency offset are all
/// functions of such totals, so one item-level bootstrap serves them all: each resample weighs every item by how many
/// times it was drawn, adds the weighted contributions up and computes each figure from the totals. Items whose
/// contributions are the same (judges' scores are coarse, so most are) form one class, summed once per resample.
/// </summary>
public sealed class ItemSums
{
    private readonly Dictionary<ulong, List<int>> _classes = [];
    private readonly List<(int Index, double Value)[]> _vectors = [];
    private readonly List<int> _classOf = [];

    /// <param name="width">The length of the totals vector.</param>
    public ItemSums(int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(width);
        Width = width;
    }

    public int Width { get; }

    /// <summary>Items added.</summary>
    public int Count => _classOf.Count;

    /// <summary>Adds one item's contribution: (index in the totals, amount) pairs; indices may repeat.</summary>
    public void Add(IReadOnlyList<(int Index, double Value)> contribution)
    {
        ArgumentNullException.ThrowIfNull(contribution);
        // Classes are found by a hash of the contribution, confirmed by comparing it with the class's own.
        ulong hash = 14695981039346656037UL;
        foreach (var (index, value) in contribution)
        {
            if ((uint)index >= (uint)Width)
            {
                throw new ArgumentOutOfRangeException(nameof(contribution), index, $"an index must be below the width {Width}");
            }

            hash = unchecked((hash ^ (uint)index) * 1099511628211UL);
            hash = unchecked((hash ^ (ulong)BitConverter.DoubleToInt64Bits(value)) * 1099511628211UL);
        }

        if (!_classes.TryGetValue(hash, out var candidates))
        {
            _classes[hash] = candidates = [];
        }

        int c = -1;
        foreach (int candidate in candidates)
        {
            if (_vectors[candidate].AsSpan().SequenceEqual(contribution.ToArray()))
            {
                c = candidate;
                break;
            }
        }

        if (c < 0)
        {
            c = _vectors.Count;
            candidates.Add(c);
            _vectors.Add([.. contribution]);
        }

        _classOf.Add(c);
    }

    /// <summary>Every item's contribution added up once.</summary>
    public double[] Totals()
    {
        var counts = new int[_vectors.Count];
        foreach (int c in _classOf)
        {
            counts[c]++;
        }

        var totals = new double[Width];
        Accumulate(counts, totals);
        return totals;
    }

    /// <summary>Each figure computed from the totals of every item (NaN where undefined).</summary>
    public double[] Figures(IReadOnlyList<Func<double[], double>> figures)
    {
        ArgumentNullException.ThrowIfNull(figures);
        var totals = Totals();
        return figures.Select(f => f(totals)).ToArray();
    }

    /// <summary>
    /// The bootstrap interval (<see cref="Bootstrap.Intervals"/>) of each figure, resampling the items in the order
    /// added (callers add them in a canonical order, so the same data gives the same intervals).
    /// </summary>
    public Interval?[] Intervals(IReadOnlyList<Func<double[], double>> figures, int resamples = Bootstrap.Resamples, ulong seed = Bootstrap.Seed)
    {
        ArgumentNullException.ThrowIfNull(figures);
        var counts = new int[_vectors.Count];
        var totals = new double[Width];
        return Bootstrap.Intervals(Count, figures.Count, (draws, values) =>
        {
            Array.Clear(counts);
            foreach (int i in draws)
            {
                counts[_classOf[i]]++;
            }

            Array.Clear(totals);
            Accumulate(counts, totals);
            for (int f = 0; f < figures.Count; f++)
            {
                values[f] = figures[f](totals);
            }
        }, resamples, seed);
    }

    private void Accumulate(int[] counts, double[] totals)
    {
        for (int c = 0; c < counts.Length; c++)
        {
            int times = counts[c];
            if (times == 0)
            {
                continue;
            }

            foreach (var (index, value) in _vectors[c])
            {
                totals[index] += times * value;
            }
        }
    }
}
