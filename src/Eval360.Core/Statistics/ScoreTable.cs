using System.Buffers.Binary;

namespace Eval360.Statistics;

/// <summary>
/// Every verdict on every judged answer, as an item × judge × dimension table: what agreement between judges and
/// bootstrap intervals over items need, and running sums cannot give. An item is one answer of one model (a row);
/// each row holds the jury's decision, the jury's mean per dimension as recorded on the result, and each judge's own
/// pass/fail and score per dimension. Kept compactly, because scores are small numbers: a judge's score is one byte
/// (tenths of a point, 10–50; 0 where there is none), a jury mean two (ten-thousandths), so an answer judged by three
/// judges on seven dimensions takes about 50 bytes, in 128 KB blocks that never move once written. Results without
/// a jury (latency-only, failed calls) get no row: a run without a jury keeps nothing here.
/// </summary>
/// <remarks>
/// Judges, dimensions and groups (models) are numbered in the order they are first met; a row has a column for each
/// one known when it was added, and reads as missing for those met later. At most 255 judges and 255 dimensions get
/// columns (more are left out of this table, not of the summaries' means).
/// </remarks>
public sealed class ScoreTable
{
    private const int BlockBits = 17;
    private const int BlockSize = 1 << BlockBits;
    private const int MaxColumns = byte.MaxValue;
    private const int HeaderSize = 13;

    private readonly List<byte[]> _blocks = [];
    private readonly List<int> _rows = [];
    private readonly Columns _groups = new(ushort.MaxValue);
    private readonly Columns _judges = new(MaxColumns);
    private readonly Columns _dimensions = new(MaxColumns);
    private int _used = BlockSize;

    /// <summary>Rows: judged (or at least put before a judge) answers.</summary>
    public int Count => _rows.Count;

    /// <summary>The groups rows belong to (model and region keys), by number.</summary>
    public IReadOnlyList<string> Groups => _groups.Names;

    /// <summary>The judges, by column.</summary>
    public IReadOnlyList<string> Judges => _judges.Names;

    /// <summary>The dimensions, by column, in the order first met.</summary>
    public IReadOnlyList<string> Dimensions => _dimensions.Names;

    /// <summary>The row at <paramref name="index"/>, in the order added.</summary>
    public ScoreRow this[int index]
    {
        get
        {
            int offset = _rows[index];
            return new ScoreRow(_blocks[offset >> BlockBits], offset & (BlockSize - 1));
        }
    }

    /// <summary>The number of a group, or -1 when it has no rows.</summary>
    public int GroupOf(string group) => _groups.Find(group);

    /// <summary>
    /// Adds a row for a result put before a jury (a decision, or at least one verdict); does nothing for any other.
    /// </summary>
    /// <param name="group">The group the answer belongs to (its model and region).</param>
    /// <param name="item">What identifies the item across models (<see cref="ItemIdentity.Of"/>).</param>
    /// <returns>Whether a row was added.</returns>
    public bool Add(InvocationResult result, string group, ulong item)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Passed is null && result.Judges.Count == 0)
        {
            return false;
        }

        int groupNumber = _groups.Add(group);
        if (groupNumber < 0)
        {
            return false;
        }

        foreach (var dimension in result.Scores.Keys)
        {
            _dimensions.Add(dimension);
        }

        foreach (var verdict in result.Judges)
        {
            _judges.Add(verdict.JudgeModelId);
            if (verdict.Error is null)
            {
                foreach (var dimension in verdict.Scores.Keys)
                {
                    _dimensions.Add(dimension);
                }
            }
        }

        int d = _dimensions.Names.Count, j = _judges.Names.Count;
        var row = Reserve(HeaderSize + 2 * d + j + j * d, out int offset);
        BinaryPrimitives.WriteUInt16LittleEndian(row, (ushort)groupNumber);
        BinaryPrimitives.WriteUInt64LittleEndian(row[2..], item);
        row[10] = Decision(result.Passed);
        row[11] = (byte)d;
        row[12] = (byte)j;
        foreach (var (dimension, mean) in result.Scores)
        {
            int column = _dimensions.Find(dimension);
            if (column >= 0 && double.IsFinite(mean))
            {
                BinaryPrimitives.WriteUInt16LittleEndian(row[(HeaderSize + 2 * column)..], (ushort)Math.Clamp(Math.Round(mean * 10_000), 1, ushort.MaxValue));
            }
        }

        foreach (var verdict in result.Judges)
        {
            int judge = _judges.Find(verdict.JudgeModelId);
            if (judge < 0 || verdict.Error is not null)
            {
                continue;
            }

            row[HeaderSize + 2 * d + judge] = Decision(verdict.Passed);
            foreach (var (dimension, score) in verdict.Scores)
            {
                int column = _dimensions.Find(dimension);
                if (column >= 0 && double.IsFinite(score))
                {
                    row[HeaderSize + 2 * d + j + judge * d + column] = (byte)Math.Clamp(Math.Round(score * 10), 1, byte.MaxValue);
                }
            }
        }

        _rows.Add(offset);
        return true;
    }

    /// <summary>The rows of one group in a canonical order — by item, then by content — that does not depend on the order results came in.</summary>
    public IReadOnlyList<ScoreRow> RowsOf(int group)
    {
        var rows = new List<ScoreRow>();
        for (int i = 0; i < _rows.Count; i++)
        {
            var row = this[i];
            if (row.Group == group)
            {
                rows.Add(row);
            }
        }

        rows.Sort(static (a, b) => a.CompareTo(b));
        return rows;
    }

    /// <summary>Every row, in the canonical order of <see cref="RowsOf"/>: by item, then by content.</summary>
    public IReadOnlyList<ScoreRow> Rows()
    {
        var rows = new List<ScoreRow>(_rows.Count);
        for (int i = 0; i < _rows.Count; i++)
        {
            rows.Add(this[i]);
        }

        rows.Sort(static (a, b) => a.CompareTo(b));
        return rows;
    }

    private static byte Decision(bool? passed) => passed switch { true => 2, false => 1, null => 0 };

    private Span<byte> Reserve(int size, out int offset)
    {
        if (_used + size > BlockSize)
        {
            _blocks.Add(new byte[BlockSize]);
            _used = 0;
        }

        offset = ((_blocks.Count - 1) << BlockBits) | _used;
        var span = _blocks[^1].AsSpan(_used, size);
        _used += size;
        return span;
    }

    /// <summary>Names numbered in the order first met, up to a limit.</summary>
    private sealed class Columns(int limit)
    {
        private readonly Dictionary<string, int> _numbers = new(StringComparer.OrdinalIgnoreCase);

        public List<string> Names { get; } = [];

        public int Find(string name) => _numbers.TryGetValue(name, out var number) ? number : -1;

        /// <returns>The name's number; -1 when the limit is reached.</returns>
        public int Add(string name)
        {
            if (_numbers.TryGetValue(name, out var number))
            {
                return number;
            }

            if (Names.Count >= limit)
            {
                return -1;
            }

            _numbers[name] = Names.Count;
            Names.Add(name);
            return Names.Count - 1;
        }
    }
}

/// <summary>One row of a <see cref="ScoreTable"/>: one judged answer, read in place.</summary>
public readonly struct ScoreRow : IComparable<ScoreRow>
{
    private readonly byte[] _block;
    private readonly int _start;

    internal ScoreRow(byte[] block, int start)
    {
        _block = block;
        _start = start;
    }

    /// <summary>The number of the row's group in <see cref="ScoreTable.Groups"/>.</summary>
    public int Group => BinaryPrimitives.ReadUInt16LittleEndian(_block.AsSpan(_start));

    /// <summary>What identifies the item across models (<see cref="ItemIdentity"/>).</summary>
    public ulong Item => BinaryPrimitives.ReadUInt64LittleEndian(_block.AsSpan(_start + 2));

    /// <summary>The jury's decision; null when it gave none.</summary>
    public bool? Passed => Read(_block[_start + 10]);

    /// <summary>Dimension columns in this row.</summary>
    public int DimensionCount => _block[_start + 11];

    /// <summary>Judge columns in this row.</summary>
    public int JudgeCount => _block[_start + 12];

    /// <summary>The jury's mean on a dimension, as the result recorded it; null when it has none.</summary>
    public double? Mean(int dimension)
    {
        if ((uint)dimension >= (uint)DimensionCount)
        {
            return null;
        }

        int code = BinaryPrimitives.ReadUInt16LittleEndian(_block.AsSpan(_start + 13 + 2 * dimension));
        return code == 0 ? null : code / 10_000.0;
    }

    /// <summary>A judge's own pass/fail; null when it gave no usable verdict (or did not judge this answer).</summary>
    public bool? JudgePassed(int judge) =>
        (uint)judge >= (uint)JudgeCount ? null : Read(_block[_start + 13 + 2 * DimensionCount + judge]);

    /// <summary>A judge's score on a dimension; null when it gave none.</summary>
    public double? Score(int judge, int dimension)
    {
        int d = DimensionCount, j = JudgeCount;
        if ((uint)judge >= (uint)j || (uint)dimension >= (uint)d)
        {
            return null;
        }

        byte code = _block[_start + 13 + 2 * d + j + judge * d + dimension];
        return code == 0 ? null : code / 10.0;
    }

    /// <summary>By item, then by the row's bytes: a total order in which equal rows are interchangeable.</summary>
    public int CompareTo(ScoreRow other)
    {
        int byItem = Item.CompareTo(other.Item);
        return byItem != 0 ? byItem : Content.SequenceCompareTo(other.Content);
    }

    private ReadOnlySpan<byte> Content => _block.AsSpan(_start + 10, 3 + 2 * DimensionCount + JudgeCount + JudgeCount * DimensionCount);

    private static bool? Read(byte decision) => decision switch { 2 => true, 1 => false, _ => null };
}
