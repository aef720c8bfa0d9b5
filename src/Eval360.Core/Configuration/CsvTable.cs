using System.Globalization;
using CsvHelper;

namespace Eval360.Configuration;

/// <summary>One data row of a CSV file: the line it starts on (1-based, the header is line 1) and its cells.</summary>
public sealed record CsvRow(int Line, IReadOnlyList<string> Cells);

/// <summary>
/// A CSV file read as a header and rows, every problem a finding on its line: a malformed record, a row over the size
/// limit, a row with more or fewer cells than the header (an error, never a silent shift of values). The scenario
/// reader (<c>.csv</c> scenario files) and the dashboard's upload (any columns, mapped by the user) both read CSV here.
/// </summary>
public sealed class CsvTable
{
    private readonly List<string> _header;

    private CsvTable(string path, List<string> header, IReadOnlyList<CsvRow> rows, int records)
    {
        Path = path;
        _header = header;
        Rows = rows;
        Records = records;
    }

    /// <summary>The file, as findings name it.</summary>
    public string Path { get; }

    /// <summary>The column names, trimmed; empty when the file has no header.</summary>
    public IReadOnlyList<string> Header => _header;

    /// <summary>The rows whose cells match the header; rows with errors are left out (and reported).</summary>
    public IReadOnlyList<CsvRow> Rows { get; }

    /// <summary>Records read after the header, those with too many or too few cells included.</summary>
    public int Records { get; }

    /// <summary>The cell of <paramref name="row"/> in <paramref name="column"/> (trimmed), or null when there is no such column.</summary>
    public string? Cell(CsvRow row, string column) =>
        _header.IndexOf(column) is var index and >= 0 ? row.Cells[index].Trim() : null;

    /// <summary>Reads <paramref name="path"/>; problems are added to <paramref name="findings"/> with their line.</summary>
    /// <param name="source">The name findings give the file (an upload's original name); <paramref name="path"/> when null.</param>
    public static CsvTable Read(string path, List<ConfigFinding> findings, string? source = null)
    {
        source ??= path;
        var rows = new List<CsvRow>();
        void Error(long line, string message) => findings.Add(new ConfigFinding(ConfigSeverity.Error, source, (int)line, string.Empty, message));

        using var csv = CsvReader.FromFile(path, new CsvReaderOptions
        {
            FormatProvider = CultureInfo.InvariantCulture,
            TrackLineNumbers = true,
            SkipEmptyLines = true,
            MaxRecordSize = JsonlReader.MaxLineBytes,
        });
        // A malformed file (a record over MaxRecordSize, …) makes the reader throw; that is a finding on its line, not a crash.
        bool Guarded(Func<bool> read)
        {
            try
            {
                return read();
            }
            catch (CsvFormatException e)
            {
                var problem = e.Message.Contains("MaxRecordSize", StringComparison.Ordinal)
                    ? $"is longer than the {JsonlReader.MaxLineBytes / (1024 * 1024)} MiB limit for one row"
                    : $"is not valid CSV: {e.Message}";
                Error(Math.Max(e.LineNumber, 1), problem);
                return false;
            }
        }

        if (!Guarded(() => { csv.ReadHeader(); return true; }))
        {
            return new CsvTable(source, [], rows, 0);
        }

        var header = csv.Headers.Select(h => h.Trim()).ToList();
        if (header.Count == 0 || header.All(string.IsNullOrEmpty))
        {
            Error(0, "is empty: expected a header row and one row per scenario");
            return new CsvTable(source, [], rows, 0);
        }

        int records = 0;
        while (Guarded(csv.Read))
        {
            records++;
            var cells = csv.Current.ToArray();
            if (cells.Length != header.Count)
            {
                Error(csv.LineNumber, $"has {cells.Length} cells but the header has {header.Count} columns");
                continue;
            }

            rows.Add(new CsvRow((int)csv.LineNumber, cells));
        }

        return new CsvTable(source, header, rows, records);
    }
}
