using System.Globalization;

namespace Eval360.Dashboard.Live;

/// <summary>How times, durations and numbers read on every page (the dashboard runs on the user's machine: its local time is theirs).</summary>
public static class Display
{
    public static string Time(DateTimeOffset? time) =>
        time is { } t ? t.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "—";

    public static string Duration(double? seconds)
    {
        if (seconds is not { } s || double.IsNaN(s) || double.IsInfinity(s))
        {
            return "—";
        }

        var span = TimeSpan.FromSeconds(Math.Max(0, s));
        return span.TotalHours >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours} h {span.Minutes:00} min")
            : span.TotalMinutes >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{span.Minutes} min {span.Seconds:00} s")
            : string.Create(CultureInfo.InvariantCulture, $"{span.Seconds} s");
    }

    public static string Number(double? value, string format = "0.##") =>
        value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "—";

    public static string Percent(double? value) =>
        value is { } v ? v.ToString("0.#%", CultureInfo.InvariantCulture) : "—";

    public static string Usd(double value) => value.ToString("0.######", CultureInfo.InvariantCulture) + " USD";

    /// <summary>Long text cut for a table cell (the full text is in the run's files).</summary>
    public static string Cut(string? text, int length = 240) =>
        text is null ? string.Empty : text.Length <= length ? text : string.Concat(text.AsSpan(0, length), "…");

    /// <summary>The CSS class of a state badge.</summary>
    public static string Badge(Store.EvaluationState state) => "badge badge-" + state.ToString().ToLowerInvariant();
}
