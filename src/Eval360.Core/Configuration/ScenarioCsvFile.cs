using System.Globalization;
using CsvHelper;

namespace Eval360.Configuration;

/// <summary>
/// Reads scenarios from a CSV file (the seed dashboard's upload): one row per scenario, a header naming the columns.
/// Columns: <c>text_prompt</c> or <c>prompt</c>, <c>golden_answer</c>, <c>task_type</c>, <c>task_criteria</c>, and
/// optionally <c>expected_output_tokens</c>, <c>url_image</c>, <c>user_defined_metrics</c>, <c>temperature</c>. A row
/// with more or fewer cells than the header is an error on its line, not a silent shift of values.
/// </summary>
internal static class ScenarioCsvFile
{
    private static readonly string[] Known =
        ["text_prompt", "prompt", "golden_answer", "task_type", "task_criteria", "expected_output_tokens", "url_image", "user_defined_metrics", "temperature"];

    public static List<Scenario> Read(string path, List<ConfigFinding> findings)
    {
        var scenarios = new List<Scenario>();
        var directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        void Error(long line, string field, string message) => findings.Add(new ConfigFinding(ConfigSeverity.Error, path, (int)line, field, message));

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
                Error(Math.Max(e.LineNumber, 1), string.Empty, problem);
                return false;
            }
        }

        if (!Guarded(() => { csv.ReadHeader(); return true; }))
        {
            return scenarios;
        }

        var header = csv.Headers.Select(h => h.Trim()).ToList();
        if (header.Count == 0 || header.All(string.IsNullOrEmpty))
        {
            Error(0, string.Empty, "is empty: expected a header row and one row per scenario");
            return scenarios;
        }

        string? promptColumn = header.Contains("text_prompt") ? "text_prompt" : header.Contains("prompt") ? "prompt" : null;
        foreach (var required in new[] { promptColumn ?? "text_prompt", "task_type", "task_criteria" })
        {
            if (!header.Contains(required))
            {
                Error(1, required, $"is not a column (the header has: {string.Join(", ", header)})");
            }
        }

        foreach (var unknown in header.Where(h => !Known.Contains(h)))
        {
            findings.Add(new ConfigFinding(ConfigSeverity.Warning, path, 1, unknown, "is not a known column; it is ignored"));
        }

        if (findings.Any(f => f.Severity == ConfigSeverity.Error))
        {
            return scenarios;
        }

        int rows = 0;
        while (Guarded(csv.Read))
        {
            rows++;
            long line = csv.LineNumber;
            var cells = csv.Current.ToArray();
            if (cells.Length != header.Count)
            {
                Error(line, string.Empty, $"has {cells.Length} cells but the header has {header.Count} columns");
                continue;
            }

            string Cell(string column) => cells[header.IndexOf(column)].Trim();
            string? Optional(string column) => header.Contains(column) && Cell(column) is { Length: > 0 } value ? value : null;
            int errors = findings.Count;
            var prompt = Cell(promptColumn!);
            if (prompt.Length == 0)
            {
                Error(line, promptColumn!, "is empty");
            }

            foreach (var column in new[] { "task_type", "task_criteria" })
            {
                if (Cell(column).Length == 0)
                {
                    Error(line, column, "is empty");
                }
            }

            int tokens = Scenario.DefaultExpectedOutputTokens;
            if (Optional("expected_output_tokens") is { } tokenText && (!int.TryParse(tokenText, NumberStyles.Integer, CultureInfo.InvariantCulture, out tokens) || tokens < 1 || tokens > ScenarioFile.MaxOutputTokens))
            {
                Error(line, "expected_output_tokens", $"'{tokenText}' is not a whole number between 1 and {ScenarioFile.MaxOutputTokens}");
            }

            double? temperature = null;
            if (Optional("temperature") is { } temperatureText)
            {
                if (double.TryParse(temperatureText, NumberStyles.Float, CultureInfo.InvariantCulture, out var t) && t is >= 0 and <= 2)
                {
                    temperature = t;
                }
                else
                {
                    Error(line, "temperature", $"'{temperatureText}' is not a number between 0 and 2");
                }
            }

            var image = Optional("url_image");
            if (image is not null)
            {
                if (ScenarioChecks.CheckImage(image, directory, out var normalized) is { } problem)
                {
                    Error(line, "url_image", problem);
                }

                image = normalized;
            }

            if (findings.Count > errors)
            {
                continue;
            }

            scenarios.Add(new Scenario
            {
                Prompt = prompt,
                GoldenAnswer = Optional("golden_answer") ?? string.Empty,
                TaskType = Cell("task_type"),
                TaskCriteria = Cell("task_criteria"),
                ExpectedOutputTokens = tokens,
                Temperature = temperature,
                ImageUrl = image,
                UserDefinedMetrics = Optional("user_defined_metrics") is { } metrics ? FieldReader.SplitList(metrics) : [],
                Source = $"{path}:{line}",
            });
        }

        if (rows == 0)
        {
            Error(0, string.Empty, "has a header but no rows: expected one row per scenario");
        }

        return scenarios;
    }
}
