using System.Globalization;
using System.Text.Json;

namespace Eval360.Configuration;

/// <summary>
/// Reads typed fields from one JSON object and reports every problem as a finding naming file, line and field.
/// Absent and <c>null</c> are the same thing (the seed writes <c>"target_rpm": null</c> for "not set").
/// </summary>
internal sealed class FieldReader
{
    private readonly JsonElement _object;
    private readonly string _path;
    private readonly int _line;
    private readonly string _prefix;
    private readonly List<ConfigFinding> _findings;

    public FieldReader(JsonElement obj, string path, int line, List<ConfigFinding> findings, string prefix = "")
    {
        _object = obj;
        _path = path;
        _line = line;
        _findings = findings;
        _prefix = prefix;
    }

    public int ErrorCount => _findings.Count(f => f.Severity == ConfigSeverity.Error);

    public string? String(string name, bool required = false, bool allowEmpty = false)
    {
        if (!TryGet(name, required, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Error(name, $"must be a string, found {Describe(value)}");
            return null;
        }

        var text = value.GetString()!;
        if (!allowEmpty && string.IsNullOrWhiteSpace(text))
        {
            if (required)
            {
                Error(name, "must not be empty");
            }

            return null;
        }

        return text;
    }

    public double? Number(string name, bool required = false, double min = double.MinValue, double max = double.MaxValue, string? rangeHint = null)
    {
        if (!TryGet(name, required, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number)
        {
            Error(name, $"must be a number, found {Describe(value)}");
            return null;
        }

        if (!value.TryGetDouble(out var number) || !double.IsFinite(number))
        {
            Error(name, $"is {Shorten(value.GetRawText())}, too large to be a number");
            return null;
        }

        if (number < min || number > max)
        {
            Error(name, $"is {Format(number)}, {rangeHint ?? DescribeRange(min, max)}");
            return null;
        }

        return number;
    }

    public int? Integer(string name, bool required = false, int min = int.MinValue, int max = int.MaxValue)
    {
        var number = Number(name, required);
        if (number is not double value)
        {
            return null;
        }

        if (value != Math.Floor(value))
        {
            Error(name, $"must be a whole number, found {Format(value)}");
            return null;
        }

        if (value < min || value > max)
        {
            Error(name, $"is {Format(value)}, {DescribeRange(min, max)}");
            return null;
        }

        return (int)value;
    }

    /// <summary>A list given either as a comma-separated string (the seed's form) or as an array of strings.</summary>
    public IReadOnlyList<string>? CommaList(string name)
    {
        if (!TryGet(name, required: false, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return SplitList(value.GetString()!);
        }

        if (value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String))
        {
            return value.EnumerateArray().Select(v => v.GetString()!.Trim()).Where(s => s.Length > 0).ToList();
        }

        Error(name, $"must be a comma-separated string or an array of strings, found {Describe(value)}");
        return null;
    }

    public FieldReader? Object(string name, bool required = false)
    {
        if (!TryGet(name, required, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            Error(name, $"must be an object, found {Describe(value)}");
            return null;
        }

        return new FieldReader(value, _path, _line, _findings, FieldPath(name) + ".");
    }

    public bool Has(string name) =>
        _object.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    /// <summary>Warns about fields no reader asked for: almost always a typo (<c>golden_anwser</c>).</summary>
    public void WarnUnknown(IReadOnlyCollection<string> known)
    {
        foreach (var property in _object.EnumerateObject())
        {
            if (!known.Contains(property.Name))
            {
                var close = known.FirstOrDefault(k => Distance(k, property.Name) <= 2);
                var hint = close is null ? "it is ignored" : $"did you mean '{close}'? It is ignored";
                Warning(property.Name, $"is not a known field; {hint}");
            }
        }
    }

    public void Error(string name, string message) =>
        _findings.Add(new ConfigFinding(ConfigSeverity.Error, _path, _line, FieldPath(name), message));

    public void Warning(string name, string message) =>
        _findings.Add(new ConfigFinding(ConfigSeverity.Warning, _path, _line, FieldPath(name), message));

    internal static IReadOnlyList<string> SplitList(string text) =>
        text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private bool TryGet(string name, bool required, out JsonElement value)
    {
        if (_object.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        if (required)
        {
            Error(name, "is required");
        }

        return false;
    }

    private string FieldPath(string name) => _prefix + name;

    private static string Describe(JsonElement value) => value.ValueKind == JsonValueKind.String
        ? $"a string (\"{Shorten(value.GetString()!)}\")"
        : JsonlReader.Describe(value.ValueKind);

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private static string Format(double value) => value.ToString("G", CultureInfo.InvariantCulture);

    private static string DescribeRange(double min, double max) => (min, max) switch
    {
        (double.MinValue or int.MinValue, _) => $"must be at most {Format(max)}",
        (_, double.MaxValue or int.MaxValue) => $"must be at least {Format(min)}",
        _ => $"must be between {Format(min)} and {Format(max)}",
    };

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
