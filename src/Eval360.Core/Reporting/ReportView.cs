namespace Eval360.Reporting;

// What the page template sees. Strings here are plain text (the template escapes them as it writes); only RawHtml
// (the charts, built with everything escaped) goes out as it is.

/// <summary>The whole page.</summary>
internal sealed class ReportPage
{
    public required string Title { get; init; }

    public required string GeneratedAt { get; init; }

    public required string Generator { get; init; }

    /// <summary>The nonce of the page's own script: the Content-Security-Policy runs no other.</summary>
    public required string Nonce { get; init; }

    /// <summary>The simulated-results warning; null when no result is simulated.</summary>
    public string? SimulatedBanner { get; init; }

    public List<Fact> Facts { get; } = [];

    public List<string> Notes { get; } = [];

    public List<ReportSection> Sections { get; } = [];
}

/// <summary>One line of the header: a label and its value.</summary>
internal sealed record Fact(string Label, string Value);

/// <summary>A section of the page, listed in its navigation.</summary>
internal sealed class ReportSection(string id, string title, string? intro = null)
{
    public string Id { get; } = id;

    public string Title { get; } = title;

    public string? Intro { get; } = intro;

    public List<ReportBlock> Blocks { get; } = [];

    public ReportSection Add(ReportBlock block)
    {
        Blocks.Add(block);
        return this;
    }
}

/// <summary>
/// One piece of a section, by <see cref="Kind"/>: <c>figure</c> (a chart and the table of its data), <c>table</c>,
/// <c>text</c>, <c>list</c>, <c>empty</c> (why a section has nothing to show) or <c>samples</c> (example answers).
/// </summary>
internal sealed class ReportBlock
{
    public required string Kind { get; init; }

    public string? Title { get; init; }

    public string? Text { get; init; }

    public RawHtml? Figure { get; init; }

    public HtmlTable? Table { get; init; }

    public IReadOnlyList<string>? Items { get; init; }

    public IReadOnlyList<SampleView>? Samples { get; init; }

    public static ReportBlock Paragraph(string text) => new() { Kind = "text", Text = text };

    public static ReportBlock Empty(string text) => new() { Kind = "empty", Text = text };

    public static ReportBlock Chart(string title, RawHtml figure, HtmlTable data, string? note = null) =>
        new() { Kind = "figure", Title = title, Figure = figure, Table = data, Text = note };

    public static ReportBlock Tabular(HtmlTable table, string? note = null) => new() { Kind = "table", Table = table, Text = note };

    public static ReportBlock Bullets(string title, IReadOnlyList<string> items) => new() { Kind = "list", Title = title, Items = items };
}

/// <summary>An example answer as shown: which model, how it scored, what it was asked and said, what the judges wrote.</summary>
internal sealed record SampleView(string Model, string Heading, string Prompt, string Response, IReadOnlyList<string> Explanations);

/// <summary>A data table; its columns sort when their header is clicked (numbers by <see cref="TableCell.Sort"/>).</summary>
internal sealed class HtmlTable(string id, string caption)
{
    public string Id { get; } = id;

    public string Caption { get; } = caption;

    public List<TableColumn> Columns { get; } = [];

    public List<TableRow> Rows { get; } = [];

    /// <summary>The column whose cells name their row (a row header for screen readers).</summary>
    public int RowHeader { get; init; }

    public HtmlTable Column(string header, bool numeric = true, string? tooltip = null)
    {
        Columns.Add(new TableColumn(header, tooltip, numeric));
        return this;
    }

    public HtmlTable Row(params TableCell[] cells)
    {
        Rows.Add(new TableRow(cells));
        return this;
    }
}

internal sealed record TableColumn(string Header, string? Tooltip, bool Numeric);

internal sealed record TableRow(IReadOnlyList<TableCell> Cells);

/// <summary>A cell's text, its sort key (a number as invariant text; empty sorts last), inline style (heat colours) and tooltip.</summary>
internal sealed record TableCell(string Text, string? Sort = null, string? Style = null, string? Title = null)
{
    public static implicit operator TableCell(string text) => new(text);
}
