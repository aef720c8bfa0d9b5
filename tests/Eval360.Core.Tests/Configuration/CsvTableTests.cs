using Eval360.Configuration;

namespace Eval360.Tests.Configuration;

/// <summary>The CSV reader the scenario files and the dashboard's uploads share: any columns, every problem on its line.</summary>
public sealed class CsvTableTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Rows_keep_their_line_numbers_and_cells_whatever_the_columns_are_called()
    {
        var path = _temp.File("support.csv", "customer_query,expected_response_type\n\"How do I return a product?\",\"Steps, timeframe\"\n\"Two\nlines\",x\nlast,y\n");
        var findings = new List<ConfigFinding>();
        var table = CsvTable.Read(path, findings, "support.csv");
        Assert.Empty(findings);
        Assert.Equal(["customer_query", "expected_response_type"], table.Header);
        Assert.Equal(3, table.Rows.Count);
        Assert.Equal(3, table.Records);
        // A quoted cell may span lines: its row is numbered by the line it starts on.
        Assert.Equal([2, 3, 5], table.Rows.Select(r => r.Line));
        Assert.Equal("Steps, timeframe", table.Cell(table.Rows[0], "expected_response_type"));
        Assert.Equal("Two\nlines", table.Cell(table.Rows[1], "customer_query"));
        Assert.Null(table.Cell(table.Rows[0], "no_such_column"));
    }

    [Fact]
    public void A_row_with_too_many_or_too_few_cells_is_an_error_on_its_line_under_the_given_name()
    {
        var path = _temp.File("generated-name.csv", "a,b,c\n1,2,3\n1,2\n1,2,3,4\n\"open,2,3\n");
        var findings = new List<ConfigFinding>();
        var table = CsvTable.Read(path, findings, "mine.csv");
        Assert.Single(table.Rows);
        Assert.All(findings, f => Assert.Equal(("mine.csv", ConfigSeverity.Error), (f.Path, f.Severity)));
        Assert.Equal([3, 4, 5], findings.Select(f => f.Line));
        Assert.Equal("has 2 cells but the header has 3 columns", findings[0].Message);
        Assert.Equal("has 4 cells but the header has 3 columns", findings[1].Message);
        // An unclosed quote runs to the end of the file: one cell, on the line where it opened.
        Assert.Equal("has 1 cells but the header has 3 columns", findings[2].Message);
    }

    [Fact]
    public void An_empty_file_says_what_was_expected()
    {
        var path = _temp.File("empty.csv", "");
        var findings = new List<ConfigFinding>();
        var table = CsvTable.Read(path, findings);
        Assert.Empty(table.Header);
        Assert.Contains("is empty", Assert.Single(findings).Message, StringComparison.Ordinal);
    }
}
