using static Eval360.Reporting.Html;

namespace Eval360.Reporting;

/// <summary>A model's latency percentiles for a bar-and-whisker row.</summary>
internal sealed record WhiskerRow(string Label, int Color, double? P50, double? P95, double? P99);

/// <summary>One bar: a label, its value (null: no bar) and the text shown beside it.</summary>
internal sealed record BarRow(string Label, int Color, double? Value, string Text);

/// <summary>One stacked bar: a value per series, in series order.</summary>
internal sealed record StackRow(string Label, IReadOnlyList<double> Values, string Text);

/// <summary>One small histogram: counts per bin over the shared range, and the sample's moments for its normal curve.</summary>
internal sealed record HistogramPanel(string Label, int Color, IReadOnlyList<int> Counts, long Total, Statistics.Moments? Fit = null);

/// <summary>One bubble: position, size (before scaling) and colour; <paramref name="Marked"/> draws a thick outline (the Pareto frontier).</summary>
internal sealed record BubblePoint(string Label, int Color, double X, double Y, double Size, string Tooltip, bool Marked = false);

/// <summary>One line of a line chart: a value (or none) per x position.</summary>
internal sealed record LineSeries(string Label, int Color, IReadOnlyList<double?> Values);

/// <summary>The report's charts, as inline SVG. Layouts are fixed-width view boxes that scale down with the page.</summary>
internal static class Charts
{
    private const double LabelWidth = 220;
    private const double PlotWidth = 440;
    private const double ValueWidth = 260;
    private const double RowHeight = 26;
    private const double Top = 26;
    private const int LabelLength = 34;
    private const int LegendColumns = 3;

    public static string ColorClass(int index) => "c" + (((index % 10) + 10) % 10);

    /// <summary>Horizontal bars to the median, a whisker to p95 and a dot at p99, one row per model.</summary>
    public static RawHtml Whiskers(string id, string title, string description, IReadOnlyList<WhiskerRow> rows, string unit)
    {
        double max = NiceMax(rows.Select(r => r.P99 ?? r.P95 ?? r.P50 ?? 0).DefaultIfEmpty(0).Max());
        double height = Top + rows.Count * RowHeight + 30;
        var svg = new Svg(id, LabelWidth + PlotWidth + ValueWidth, height, title, description);
        Axis(svg, max, height - 30, unit);
        for (int i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            double y = Top + i * RowHeight;
            double mid = y + RowHeight / 2;
            svg.Text(LabelWidth - 8, mid + 4, row.Label, anchor: "end", maxLength: LabelLength);
            if (row.P50 is not double p50)
            {
                svg.Text(LabelWidth + 4, mid + 4, "no successful invocation", "muted");
                continue;
            }

            svg.Rect(LabelWidth, y + 6, Scale(p50, max), RowHeight - 12, ColorClass(row.Color), $"{row.Label}: median {Seconds(p50)} {unit}");
            if (row.P95 is double p95)
            {
                svg.Line(LabelWidth + Scale(p50, max), mid, LabelWidth + Scale(p95, max), mid, "whisker");
                svg.Line(LabelWidth + Scale(p95, max), y + 8, LabelWidth + Scale(p95, max), y + RowHeight - 8, "whisker");
            }

            if (row.P99 is double p99)
            {
                svg.Circle(LabelWidth + Scale(p99, max), mid, 3.5, "dot", $"{row.Label}: p99 {Seconds(p99)} {unit}");
            }

            var text = $"p50 {Seconds(p50)}" + (row.P95 is double q95 ? $" · p95 {Seconds(q95)}" : string.Empty) + (row.P99 is double q99 ? $" · p99 {Seconds(q99)}" : string.Empty);
            svg.Text(LabelWidth + PlotWidth + 8, mid + 4, text, "value");
        }

        svg.Text(LabelWidth, height - 8, "bar: median (p50) · whisker: to p95 · dot: p99", "muted");
        return svg.Done();
    }

    /// <summary>Horizontal bars, one per row, from zero.</summary>
    public static RawHtml Bars(string id, string title, string description, IReadOnlyList<BarRow> rows, string unit)
    {
        double max = NiceMax(rows.Select(r => r.Value ?? 0).DefaultIfEmpty(0).Max());
        double height = Top + rows.Count * RowHeight + 10;
        var svg = new Svg(id, LabelWidth + PlotWidth + ValueWidth, height, title, description);
        Axis(svg, max, height - 10, unit);
        for (int i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            double y = Top + i * RowHeight;
            svg.Text(LabelWidth - 8, y + RowHeight / 2 + 4, row.Label, anchor: "end", maxLength: LabelLength);
            if (row.Value is double value)
            {
                svg.Rect(LabelWidth, y + 6, Scale(value, max), RowHeight - 12, ColorClass(row.Color), $"{row.Label}: {row.Text}");
            }

            svg.Text(LabelWidth + PlotWidth + 8, y + RowHeight / 2 + 4, row.Text, "value");
        }

        return svg.Done();
    }

    /// <summary>Horizontal stacked bars: each row's values side by side in series colours, with a legend.</summary>
    public static RawHtml Stacked(string id, string title, string description, IReadOnlyList<string> series, IReadOnlyList<StackRow> rows, string unit, Func<double, string> format,
        IReadOnlyList<int>? colors = null)
    {
        int Color(int s) => colors is not null && s < colors.Count ? colors[s] : s;
        double max = NiceMax(rows.Select(r => r.Values.Sum()).DefaultIfEmpty(0).Max());
        double legendTop = Top + rows.Count * RowHeight + 28;
        int legendRows = (series.Count + LegendColumns - 1) / LegendColumns;
        double height = legendTop + legendRows * 20 + 4;
        var svg = new Svg(id, LabelWidth + PlotWidth + ValueWidth, height, title, description);
        Axis(svg, max, legendTop - 22, unit);
        for (int i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            double y = Top + i * RowHeight;
            svg.Text(LabelWidth - 8, y + RowHeight / 2 + 4, row.Label, anchor: "end", maxLength: LabelLength);
            double x = LabelWidth;
            for (int s = 0; s < row.Values.Count && s < series.Count; s++)
            {
                double w = Scale(row.Values[s], max);
                if (row.Values[s] > 0)
                {
                    svg.Rect(x, y + 6, w, RowHeight - 12, ColorClass(Color(s)), $"{row.Label} · {series[s]}: {format(row.Values[s])}", s);
                }

                x += w;
            }

            svg.Text(LabelWidth + PlotWidth + 8, y + RowHeight / 2 + 4, row.Text, "value");
        }

        Legend(svg, series.Select((s, i) => (s, Color(i))).ToList(), LabelWidth, legendTop);
        return svg.Done();
    }

    /// <summary>Horizontal bars grouped by category, one bar per series in each group, from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static RawHtml Grouped(string id, string title, string description, IReadOnlyList<string> categories, IReadOnlyList<(string Label, int Color)> series,
        Func<int, int, double?> value, double min, double max, Func<double, string> format, string unit)
    {
        const double Bar = 11;
        double groupHeight = series.Count * (Bar + 2) + 12;
        double legendTop = Top + categories.Count * groupHeight + 26;
        int legendRows = (series.Count + LegendColumns - 1) / LegendColumns;
        double height = legendTop + legendRows * 20 + 4;
        var svg = new Svg(id, LabelWidth + PlotWidth + ValueWidth, height, title, description);
        Axis(svg, max, legendTop - 22, unit, min);
        for (int c = 0; c < categories.Count; c++)
        {
            double y = Top + c * groupHeight;
            svg.Text(LabelWidth - 8, y + 14, categories[c], "category", "end", LabelLength);
            for (int s = 0; s < series.Count; s++)
            {
                double by = y + 6 + s * (Bar + 2);
                if (value(c, s) is double v)
                {
                    svg.Rect(LabelWidth, by, Scale(v - min, max - min), Bar, ColorClass(series[s].Color), $"{series[s].Label} · {categories[c]}: {format(v)}", s);
                    svg.Text(LabelWidth + Scale(v - min, max - min) + 4, by + Bar - 1, format(v), "small", series: s);
                }
            }
        }

        Legend(svg, series, LabelWidth, legendTop);
        return svg.Done();
    }

    /// <summary>
    /// One small histogram per model over a shared range, each with the normal curve of its sample's mean and standard
    /// deviation (expected counts per bin); each panel's height scale is its own (counts are in the tooltips), and a
    /// panel whose sample is far from normal says so.
    /// </summary>
    public static RawHtml Histograms(string id, string title, string description, double low, double high, IReadOnlyList<HistogramPanel> panels, string unit)
    {
        const double PanelWidth = 420, PanelHeight = 130, Left = 12, PlotTop = 22, PlotBottom = 24;
        int columns = panels.Count > 1 ? 2 : 1;
        int rowsOfPanels = (panels.Count + columns - 1) / columns;
        var svg = new Svg(id, columns * PanelWidth, rowsOfPanels * PanelHeight, title, description);
        for (int p = 0; p < panels.Count; p++)
        {
            var panel = panels[p];
            double x0 = (p % columns) * PanelWidth + Left;
            double y0 = (p / columns) * PanelHeight;
            double plotWidth = PanelWidth - 2 * Left - 8;
            double plotHeight = PanelHeight - PlotTop - PlotBottom;
            var shape = panel.Fit is { FarFromNormal: true } ? " · far from normal" : string.Empty;
            svg.Text(x0, y0 + 14, $"{panel.Label} (n = {Count(panel.Total)}){shape}", "category", maxLength: 56);
            int bins = Math.Max(1, panel.Counts.Count);
            double binWidth = plotWidth / bins;
            double step = (high - low) / bins;
            var curve = NormalCurve(panel, low, step, bins);
            double peak = Math.Max(1, Math.Max(panel.Counts.DefaultIfEmpty(0).Max(), curve.Select(c => c.Count).DefaultIfEmpty(0).Max()));
            for (int b = 0; b < panel.Counts.Count; b++)
            {
                double h = plotHeight * panel.Counts[b] / peak;
                double from = low + b * step;
                var range = b == panel.Counts.Count - 1 ? $"≥ {Seconds(from)}" : $"{Seconds(from)}–{Seconds(from + step)}";
                svg.Rect(x0 + b * binWidth + 0.5, y0 + PlotTop + plotHeight - h, binWidth - 1, h, ColorClass(panel.Color), $"{panel.Label}: {range} {unit}: {Count(panel.Counts[b])}");
            }

            double baseline = y0 + PlotTop + plotHeight;
            if (curve.Count > 1 && panel.Fit is { } fit)
            {
                svg.Polyline(curve.Select(c => (x0 + (c.X - low) / (high - low) * plotWidth, baseline - plotHeight * c.Count / peak)), "normal",
                    tooltip: $"{panel.Label}: normal curve, mean {Seconds(fit.Mean)} {unit}, standard deviation {Seconds(fit.StandardDeviation)} {unit}");
            }

            svg.Line(x0, baseline, x0 + plotWidth, baseline, "axis");
            svg.Text(x0, baseline + 15, Seconds(low), "small");
            svg.Text(x0 + plotWidth / 2, baseline + 15, Seconds((low + high) / 2), "small", "middle");
            svg.Text(x0 + plotWidth, baseline + 15, Seconds(high) + " " + unit, "small", "end");
        }

        return svg.Done();
    }

    /// <summary>The normal curve's expected count per bin width, at a few points per bin over the range.</summary>
    private static List<(double X, double Count)> NormalCurve(HistogramPanel panel, double low, double step, int bins)
    {
        var points = new List<(double, double)>();
        if (panel.Fit is not { } fit || !(fit.StandardDeviation > 0) || !(step > 0))
        {
            return points;
        }

        const int PerBin = 3;
        for (int i = 0; i <= bins * PerBin; i++)
        {
            double x = low + i * step / PerBin;
            points.Add((x, panel.Total * step * fit.NormalDensity(x)));
        }

        return points;
    }

    /// <summary>Bubbles on two axes; bubble area proportional to <see cref="BubblePoint.Size"/>; a legend entry per bubble hides and shows it.</summary>
    public static RawHtml Bubbles(string id, string title, string description, IReadOnlyList<BubblePoint> points, string xLabel, Func<double, string> xFormat,
        string yLabel, double yMin, double yMax, Func<double, string> yFormat, string sizeLabel)
    {
        const double Width = 880, Height = 460, Left = 70, Right = 270, TopMargin = 34, Bottom = 56;
        double plotWidth = Width - Left - Right, plotHeight = Height - TopMargin - Bottom;
        double xMax = NiceMax(points.Select(p => p.X).DefaultIfEmpty(0).Max());
        double sizeMax = points.Select(p => p.Size).DefaultIfEmpty(0).Max();
        var svg = new Svg(id, Width, Height, title, description);
        double X(double v) => Left + plotWidth * v / xMax;
        double Y(double v) => TopMargin + plotHeight * (1 - (Math.Clamp(v, yMin, yMax) - yMin) / (yMax - yMin));
        foreach (var tick in Ticks(xMax))
        {
            svg.Line(X(tick), TopMargin, X(tick), TopMargin + plotHeight, "grid");
            svg.Text(X(tick), TopMargin + plotHeight + 16, xFormat(tick), "small", "middle");
        }

        for (double tick = yMin; tick <= yMax + 1e-9; tick += (yMax - yMin) / 4)
        {
            svg.Line(Left, Y(tick), Left + plotWidth, Y(tick), "grid");
            svg.Text(Left - 6, Y(tick) + 4, yFormat(tick), "small", "end");
        }

        svg.Text(Left + plotWidth / 2, Height - 12, xLabel, "category", "middle");
        svg.Text(4, TopMargin - 16, yLabel, "category");
        foreach (var (point, index) in points.Select((p, i) => (p, i)).OrderByDescending(p => p.p.Size))
        {
            double r = sizeMax > 0 ? 5 + 22 * Math.Sqrt(point.Size / sizeMax) : 8;
            svg.Circle(X(point.X), Y(point.Y), r, "bubble " + ColorClass(point.Color) + (point.Marked ? " marked" : string.Empty), point.Tooltip, index);
        }

        for (int i = 0; i < points.Count; i++)
        {
            svg.LegendItem(Left + plotWidth + 16, TopMargin + i * 20, points[i].Label + (points[i].Marked ? " ◆" : string.Empty), ColorClass(points[i].Color), i, 40);
        }

        svg.Text(Left + plotWidth + 16, TopMargin + points.Count * 20 + 18, "bubble area: " + sizeLabel, "muted small", maxLength: 48);
        if (points.Any(p => p.Marked))
        {
            svg.Text(Left + plotWidth + 16, TopMargin + points.Count * 20 + 36, "◆ thick outline: on the Pareto frontier", "muted small", maxLength: 48);
        }

        return svg.Done();
    }

    /// <summary>One line per series across the x positions (named by <paramref name="xs"/>); gaps where a series has no value; a legend entry per series hides and shows it.</summary>
    public static RawHtml Lines(string id, string title, string description, IReadOnlyList<string> xs, IReadOnlyList<LineSeries> series, string xLabel,
        string yLabel, Func<double, string> yFormat, double? yMin = null, double? yMax = null)
    {
        const double Width = 880, Height = 340, Left = 70, Right = 270, TopMargin = 24, Bottom = 50;
        double plotWidth = Width - Left - Right, plotHeight = Height - TopMargin - Bottom;
        var values = series.SelectMany(s => s.Values).OfType<double>().ToList();
        double low = yMin ?? 0;
        double high = yMax ?? NiceMax(values.DefaultIfEmpty(0).Max());
        if (high <= low)
        {
            high = low + 1;
        }

        var svg = new Svg(id, Width, Height, title, description);
        double X(int i) => Left + (xs.Count == 1 ? plotWidth / 2 : plotWidth * i / (xs.Count - 1));
        double Y(double v) => TopMargin + plotHeight * (1 - (v - low) / (high - low));
        for (int i = 0; i < 5; i++)
        {
            double tick = low + (high - low) * i / 4;
            svg.Line(Left, Y(tick), Left + plotWidth, Y(tick), "grid");
            svg.Text(Left - 6, Y(tick) + 4, yFormat(tick), "small", "end");
        }

        int labelLength = Math.Max(6, (int)(plotWidth / Math.Max(1, xs.Count) / 6));
        for (int i = 0; i < xs.Count; i++)
        {
            svg.Text(X(i), TopMargin + plotHeight + 16, xs[i], "small", "middle", labelLength);
        }

        svg.Text(Left + plotWidth / 2, Height - 10, xLabel, "category", "middle");
        svg.Text(4, TopMargin - 10, yLabel, "category");
        for (int s = 0; s < series.Count; s++)
        {
            var line = series[s];
            var points = line.Values.Select((v, i) => (v, i)).Where(p => p.v is not null).Select(p => (X(p.i), Y(p.v!.Value))).ToList();
            if (points.Count > 1)
            {
                svg.Polyline(points, "line " + ColorClass(line.Color), s);
            }

            for (int i = 0; i < line.Values.Count; i++)
            {
                if (line.Values[i] is double v)
                {
                    svg.Circle(X(i), Y(v), 4, ColorClass(line.Color), $"{line.Label} at {xs[i]}: {yFormat(v)}", s);
                }
            }

            svg.LegendItem(Left + plotWidth + 16, TopMargin + s * 20, line.Label, ColorClass(line.Color), s, 40);
        }

        return svg.Done();
    }

    /// <summary>The axis end for values up to <paramref name="value"/>: a whole number of <see cref="NiceStep"/>s (1 for nothing).</summary>
    public static double NiceMax(double value) =>
        value > 0 && double.IsFinite(value) ? Math.Ceiling(value / NiceStep(value) - 1e-9) * NiceStep(value) : 1;

    /// <summary>A tick step of 1, 2, 2.5 or 5 × 10^k that divides <paramref name="span"/> into at most five parts.</summary>
    public static double NiceStep(double span)
    {
        if (!(span > 0) || !double.IsFinite(span))
        {
            return 0.2;
        }

        double rough = span / 5;
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        foreach (var step in new[] { 1, 2, 2.5, 5 })
        {
            if (step * magnitude >= rough * (1 - 1e-9))
            {
                return step * magnitude;
            }
        }

        return 10 * magnitude;
    }

    private static IEnumerable<double> Ticks(double max, double min = 0)
    {
        double step = NiceStep(max - min);
        for (int i = 0; min + i * step <= max + step * 1e-6; i++)
        {
            yield return min + i * step;
        }
    }

    private static double Scale(double value, double max) => max > 0 ? Math.Clamp(value, 0, max) / max * PlotWidth : 0;

    /// <summary>Vertical grid lines with values along the top, for the horizontal bar charts.</summary>
    private static void Axis(Svg svg, double max, double bottom, string unit, double min = 0)
    {
        foreach (var tick in Ticks(max, min))
        {
            double x = LabelWidth + Scale(tick - min, max - min);
            svg.Line(x, Top - 6, x, bottom, "grid");
            svg.Text(x, Top - 10, Number(tick, "0.######"), "small", "middle");
        }

        svg.Text(LabelWidth - 8, Top - 10, unit, "small muted", "end");
    }

    private static void Legend(Svg svg, IReadOnlyList<(string Label, int Color)> entries, double left, double top)
    {
        for (int i = 0; i < entries.Count; i++)
        {
            svg.LegendItem(left + (i % LegendColumns) * 250, top + (i / LegendColumns) * 20, entries[i].Label, ColorClass(entries[i].Color), i);
        }
    }
}
