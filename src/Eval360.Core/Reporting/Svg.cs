using System.Text;
using static Eval360.Reporting.Html;

namespace Eval360.Reporting;

/// <summary>
/// Writes one inline SVG chart. Every text goes through <see cref="Html.Escape"/>; colours come from CSS classes
/// (<c>c0</c>…<c>c9</c>) so the page's light and dark themes both apply. The chart is an image with a title and a
/// description for screen readers; each shape can carry a tooltip (an SVG <c>title</c>, which the page's script
/// shows at once on hover) and the number of the series it belongs to (<c>data-series</c>), which a legend entry
/// (<see cref="LegendItem"/>) hides and shows when clicked.
/// </summary>
internal sealed class Svg
{
    private readonly StringBuilder _markup = new();
    private readonly int _roleAt;
    private bool _legend;

    public Svg(string id, double width, double height, string title, string description)
    {
        _markup.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" ");
        _roleAt = _markup.Length;
        _markup.Append("role=\"img\" viewBox=\"0 0 ")
            .Append(N(width)).Append(' ').Append(N(height))
            .Append("\" style=\"max-width:").Append(N(width)).Append("px\" aria-labelledby=\"")
            .Append(Escape(id)).Append("-t ").Append(Escape(id)).Append("-d\">")
            .Append("<title id=\"").Append(Escape(id)).Append("-t\">").Append(Escape(title)).Append("</title>")
            .Append("<desc id=\"").Append(Escape(id)).Append("-d\">").Append(Escape(description)).Append("</desc>");
    }

    public Svg Rect(double x, double y, double width, double height, string cssClass, string? tooltip = null, int? series = null)
    {
        _markup.Append("<rect x=\"").Append(N(x)).Append("\" y=\"").Append(N(y))
            .Append("\" width=\"").Append(N(Math.Max(0, width))).Append("\" height=\"").Append(N(Math.Max(0, height)))
            .Append("\" class=\"").Append(Escape(cssClass)).Append('"');
        return Series(series).Close("rect", tooltip);
    }

    public Svg Line(double x1, double y1, double x2, double y2, string cssClass)
    {
        _markup.Append("<line x1=\"").Append(N(x1)).Append("\" y1=\"").Append(N(y1))
            .Append("\" x2=\"").Append(N(x2)).Append("\" y2=\"").Append(N(y2))
            .Append("\" class=\"").Append(Escape(cssClass)).Append("\"/>");
        return this;
    }

    public Svg Circle(double cx, double cy, double r, string cssClass, string? tooltip = null, int? series = null)
    {
        _markup.Append("<circle cx=\"").Append(N(cx)).Append("\" cy=\"").Append(N(cy)).Append("\" r=\"").Append(N(r))
            .Append("\" class=\"").Append(Escape(cssClass)).Append('"');
        return Series(series).Close("circle", tooltip);
    }

    public Svg Polyline(IEnumerable<(double X, double Y)> points, string cssClass, int? series = null, string? tooltip = null)
    {
        _markup.Append("<polyline points=\"");
        foreach (var (x, y) in points)
        {
            _markup.Append(N(x)).Append(',').Append(N(y)).Append(' ');
        }

        _markup.Append("\" class=\"").Append(Escape(cssClass)).Append('"');
        return Series(series).Close("polyline", tooltip);
    }

    /// <summary>
    /// A legend entry: a swatch and a label that hide and show the marks of <paramref name="series"/> when clicked
    /// (or activated from the keyboard: it is a focusable toggle button).
    /// </summary>
    public Svg LegendItem(double x, double y, string label, string colorClass, int series, int maxLength = 38)
    {
        _legend = true;
        _markup.Append("<g class=\"legend\" data-series=\"").Append(series.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append("\" role=\"button\" tabindex=\"0\" aria-pressed=\"true\">")
            .Append("<title>").Append(Escape($"{label}: click to hide or show")).Append("</title>");
        Rect(x, y, 12, 12, colorClass);
        Text(x + 16, y + 10, label, "small", maxLength: maxLength);
        _markup.Append("</g>");
        return this;
    }

    /// <summary>Text at a point; <paramref name="anchor"/> is start, middle or end. A long text is clipped and shown whole as its tooltip.</summary>
    public Svg Text(double x, double y, string text, string cssClass = "", string anchor = "start", int maxLength = 200, int? series = null)
    {
        var shown = AnswerSamples.Clip(text, maxLength) ?? string.Empty;
        _markup.Append("<text x=\"").Append(N(x)).Append("\" y=\"").Append(N(y)).Append('"');
        Series(series);
        if (anchor != "start")
        {
            _markup.Append(" text-anchor=\"").Append(Escape(anchor)).Append('"');
        }

        if (cssClass.Length > 0)
        {
            _markup.Append(" class=\"").Append(Escape(cssClass)).Append('"');
        }

        _markup.Append('>');
        if (shown.Length < text.Length)
        {
            _markup.Append("<title>").Append(Escape(text)).Append("</title>");
        }

        _markup.Append(Escape(shown)).Append("</text>");
        return this;
    }

    /// <summary>
    /// The chart's markup. A chart with legend toggles is a group rather than an image, since an image's parts are
    /// not interactive for assistive technology.
    /// </summary>
    public RawHtml Done()
    {
        if (_legend)
        {
            _markup.Remove(_roleAt, "role=\"img\"".Length).Insert(_roleAt, "role=\"group\"");
        }

        return new(_markup.Append("</svg>").ToString());
    }

    private Svg Series(int? series)
    {
        if (series is int number)
        {
            _markup.Append(" data-series=\"").Append(number.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('"');
        }

        return this;
    }

    private Svg Close(string element, string? tooltip)
    {
        if (tooltip is null)
        {
            _markup.Append("/>");
        }
        else
        {
            _markup.Append("><title>").Append(Escape(tooltip)).Append("</title></").Append(element).Append('>');
        }

        return this;
    }
}
