using System.Globalization;
using System.Buffers;
using System.Text;

namespace Eval360.Reporting;

/// <summary>Markup the page template writes as it is: charts and other fragments built here, with every string from results escaped.</summary>
internal sealed class RawHtml(string html)
{
    public string Html { get; } = html;

    public override string ToString() => Html;
}

/// <summary>Escaping and the number formats of the report (invariant culture, units stated by the column or axis).</summary>
internal static class Html
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private static readonly SearchValues<char> Special = SearchValues.Create("&<>\"'");

    /// <summary>Escapes text for an element's content or a quoted attribute value: &amp;, &lt;, &gt; and both quotes; the page is UTF-8, so nothing else needs it.</summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.AsSpan().IndexOfAny(Special) < 0)
        {
            return text ?? string.Empty;
        }

        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            _ = c switch
            {
                '&' => escaped.Append("&amp;"),
                '<' => escaped.Append("&lt;"),
                '>' => escaped.Append("&gt;"),
                '"' => escaped.Append("&quot;"),
                '\'' => escaped.Append("&#39;"),
                _ => escaped.Append(c),
            };
        }

        return escaped.ToString();
    }

    /// <summary>A number for SVG coordinates: invariant, at most two decimals.</summary>
    public static string N(double value) => double.IsFinite(value) ? Math.Round(value, 2).ToString(Invariant) : "0";

    public static string Seconds(double? seconds) => seconds switch
    {
        null => "—",
        double s when s == 0 => "0",
        double s when s < 0.01 => s.ToString("0.####", Invariant),
        double s when s < 100 => s.ToString("0.000", Invariant),
        double s => s.ToString("#,0.0", Invariant),
    };

    public static string Usd(double? usd) => usd switch
    {
        null => "—",
        double d when d == 0 => "$0",
        double d when Math.Abs(d) < 0.01 => "$" + d.ToString("0.######", Invariant),
        double d when Math.Abs(d) < 100 => "$" + d.ToString("0.0000", Invariant),
        double d => "$" + d.ToString("#,0.00", Invariant),
    };

    public static string Percent(double? fraction) => fraction is double f ? (f * 100).ToString("0.#", Invariant) + "%" : "—";

    /// <summary>A difference of two shares in percentage points: <c>+12.5 pts</c>.</summary>
    public static string Points(double? difference) =>
        difference is double d ? (d >= 0 ? "+" : "−") + Math.Abs(d * 100).ToString("0.#", Invariant) + " pts" : "—";

    public static string Score(double? score) => score is double s ? s.ToString("0.00", Invariant) : "—";

    /// <summary>A pass rate with its 95% interval: <c>72.3% (61.5–80.1%)</c>; the rate alone when there is no interval.</summary>
    public static string PercentWithin(double? fraction, double? low, double? high) =>
        fraction is not null && low is double l && high is double h
            ? $"{Percent(fraction)} ({(l * 100).ToString("0.#", Invariant)}–{Percent(h)})"
            : Percent(fraction);

    /// <summary>A score with its 95% interval: <c>3.42 (3.31–3.55)</c>; the score alone when there is no interval.</summary>
    public static string ScoreWithin(double? score, double? low, double? high) =>
        score is not null && low is not null && high is not null ? $"{Score(score)} ({Score(low)}–{Score(high)})" : Score(score);

    public static string Number(double? value, string format = "#,0.#") => value is double v ? v.ToString(format, Invariant) : "—";

    public static string Count(long value) => value.ToString("#,0", Invariant);

    /// <summary>A sort key for a table cell: invariant, so the page's script can parse it; empty sorts last.</summary>
    public static string SortKey(double? value) => value is double v && double.IsFinite(v) ? v.ToString("R", Invariant) : string.Empty;

    public static string Date(DateTimeOffset? at) => at is { } a ? a.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", Invariant) : "—";

    /// <summary>A background for a 0–1 value, red through amber to green, readable with dark text in either theme.</summary>
    public static string HeatStyle(double? fraction) =>
        fraction is double f ? $"background:hsl({N(Math.Clamp(f, 0, 1) * 120)} 70% 72%);color:#111" : string.Empty;
}
