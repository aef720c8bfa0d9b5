namespace Eval360.Statistics;

/// <summary>
/// A sum of doubles that does not depend on the order they are added in: it keeps the exact sum as a few
/// non-overlapping partials (Shewchuk's algorithm, as Python's <c>math.fsum</c>) and rounds it once when read. A plain
/// running sum differs in its last bits with the order of its terms, so the same results read from the shards of a
/// plan, from their merge or in another order would not give the same figures; this does.
/// </summary>
internal sealed class ExactSum
{
    private readonly List<double> _partials = [];

    /// <summary>Infinities and NaN, which the partials cannot hold: their sum is the same in any order.</summary>
    private double _special;

    public void Add(double value)
    {
        if (!double.IsFinite(value))
        {
            _special += value;
            return;
        }

        int kept = 0;
        for (int i = 0; i < _partials.Count; i++)
        {
            double y = _partials[i];
            if (Math.Abs(value) < Math.Abs(y))
            {
                (value, y) = (y, value);
            }

            double high = value + y;
            double low = y - (high - value);
            if (low != 0)
            {
                _partials[kept++] = low;
            }

            value = high;
        }

        _partials.RemoveRange(kept, _partials.Count - kept);
        _partials.Add(value);
    }

    /// <summary>The exact sum of everything added, correctly rounded to a double.</summary>
    public double Value
    {
        get
        {
            if (_special != 0 || double.IsNaN(_special))
            {
                return _special;
            }

            int n = _partials.Count;
            if (n == 0)
            {
                return 0;
            }

            // Add the partials from the largest down; stop where the rest can no longer change the result, then
            // settle a tie exactly halfway between two doubles the way the exact sum would round.
            double high = _partials[--n];
            double low = 0;
            while (n > 0)
            {
                double x = high;
                double y = _partials[--n];
                high = x + y;
                low = y - (high - x);
                if (low != 0)
                {
                    break;
                }
            }

            if (n > 0 && ((low < 0 && _partials[n - 1] < 0) || (low > 0 && _partials[n - 1] > 0)))
            {
                double y = low * 2;
                double x = high + y;
                if (y == x - high)
                {
                    high = x;
                }
            }

            return high;
        }
    }
}
