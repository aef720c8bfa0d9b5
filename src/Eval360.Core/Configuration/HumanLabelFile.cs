using System.Globalization;
using CsvHelper;

namespace Eval360.Configuration;

/// <summary>
/// Reads human labels from JSON Lines or CSV (by extension: <c>.csv</c> is CSV, anything else JSON Lines).
/// JSONL: one object a line, <c>{"key": "…", "scores": {"Correctness": 4, "Format": 5}}</c>, or <c>scenario_id</c>
/// (with an optional <c>model_id</c>) instead of <c>key</c>. CSV: a header with <c>key</c> or <c>scenario_id</c>
/// (and optionally <c>model_id</c>); every other column is a metric, an empty cell no label. Scores are numbers
/// from 1 to 5. Every problem is reported with its file, line and field, and any error stops the read.
/// </summary>
public static class HumanLabelFile
{
    public const double Lowest = 1;

    public const double Highest = 5;

    private static readonly string[] Identifiers = ["key", "scenario_id", "model_id"];

    /// <exception cref="ConfigurationException">The file has errors (all of them are in its findings).</exception>
    public static HumanLabels Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var findings = new List<ConfigFinding>();
        var labels = new HumanLabels();
        if (!File.Exists(path))
        {
            throw new ConfigurationException(path, string.Empty, "does not exist");
        }

        if (string.Equals(Path.GetExtension(path), ".csv", StringComparison.OrdinalIgnoreCase))
        {
            ReadCsv(path, labels, findings);
        }
        else
        {
            ReadJsonl(path, labels, findings);
        }

        if (findings.Any(f => f.Severity == ConfigSeverity.Error))
        {
            throw new ConfigurationException(findings);
        }

        if (labels.Count == 0)
        {
            throw new ConfigurationException(path, string.Empty, "holds no labels");
        }

        return labels;
    }

    private static void ReadJsonl(string path, HumanLabels labels, List<ConfigFinding> findings)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        JsonlReader.Read(path, findings, (line, obj) =>
        {
            var fields = new FieldReader(obj, path, line, findings);
            int errors = fields.ErrorCount;
            var key = fields.String("key");
            var scenario = fields.String("scenario_id");
            var model = fields.String("model_id");
            var scoresField = fields.Object("scores", required: true);
            fields.WarnUnknown([.. Identifiers, "scores"]);
            var scores = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
            if (scoresField is not null)
            {
                foreach (var property in obj.GetProperty("scores").EnumerateObject())
                {
                    if (scoresField.Number(property.Name, min: Lowest, max: Highest) is double score)
                    {
                        scores[property.Name] = score;
                    }
                }

                if (scores.Count == 0 && fields.ErrorCount == errors)
                {
                    fields.Error("scores", "is empty: give at least one metric's score, e.g. {\"Correctness\": 4}");
                }
            }

            Identify(fields, key, scenario, model, line, seen);
            if (fields.ErrorCount == errors)
            {
                labels.TryAdd(key, scenario, model, scores);
            }
        });
    }

    private static void Identify(FieldReader fields, string? key, string? scenario, string? model, int line, Dictionary<string, int> seen)
    {
        if (key is null && scenario is null)
        {
            fields.Error("key", "is required (the result's Key), or scenario_id");
            return;
        }

        if (key is not null && scenario is not null)
        {
            fields.Error("scenario_id", "cannot be given with key: a key names one answer already");
            return;
        }

        var identity = key is not null ? "key " + key : $"scenario {scenario} model {model}";
        if (seen.TryGetValue(identity, out int first))
        {
            fields.Error(key is not null ? "key" : "scenario_id", $"labels the same answer as line {first}");
            return;
        }

        seen[identity] = line;
    }

    private static void ReadCsv(string path, HumanLabels labels, List<ConfigFinding> findings)
    {
        void Error(long line, string field, string message) => findings.Add(new ConfigFinding(ConfigSeverity.Error, path, (int)line, field, message));
        using var csv = CsvReader.FromFile(path, new CsvReaderOptions
        {
            FormatProvider = CultureInfo.InvariantCulture,
            TrackLineNumbers = true,
            SkipEmptyLines = true,
            MaxRecordSize = JsonlReader.MaxLineBytes,
        });
        try
        {
            csv.ReadHeader();
            var header = csv.Headers.Select(h => h.Trim()).ToList();
            if (!header.Contains("key") && !header.Contains("scenario_id"))
            {
                Error(1, "key", $"is not a column: the header needs key or scenario_id (it has: {string.Join(", ", header)})");
                return;
            }

            var metrics = header.Where(h => h.Length > 0 && !Identifiers.Contains(h)).ToList();
            if (metrics.Count == 0)
            {
                Error(1, string.Empty, "has no metric columns: add one column per metric, e.g. Correctness");
                return;
            }

            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            while (csv.Read())
            {
                long line = csv.LineNumber;
                var cells = csv.Current.ToArray();
                if (cells.Length != header.Count)
                {
                    Error(line, string.Empty, $"has {cells.Length} cells but the header has {header.Count} columns");
                    continue;
                }

                string? Cell(string column) => header.IndexOf(column) is int i and >= 0 && cells[i].Trim() is { Length: > 0 } value ? value : null;
                int errors = findings.Count;
                var scores = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
                foreach (var metric in metrics)
                {
                    if (Cell(metric) is not { } text)
                    {
                        continue;
                    }

                    if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var score) && score is >= Lowest and <= Highest)
                    {
                        scores[metric] = score;
                    }
                    else
                    {
                        Error(line, metric, $"'{text}' is not a score from {Lowest} to {Highest}");
                    }
                }

                string? key = Cell("key"), scenario = Cell("scenario_id"), model = Cell("model_id");
                var identity = key is not null ? "key " + key : $"scenario {scenario} model {model}";
                if (key is null && scenario is null)
                {
                    Error(line, header.Contains("key") ? "key" : "scenario_id", "is empty");
                }
                else if (seen.TryGetValue(identity, out int first))
                {
                    Error(line, key is not null ? "key" : "scenario_id", $"labels the same answer as line {first}");
                }
                else
                {
                    seen[identity] = (int)line;
                }

                if (findings.Count == errors && scores.Count > 0)
                {
                    labels.TryAdd(key, key is null ? scenario : null, key is null ? model : null, scores);
                }
            }
        }
        catch (CsvFormatException e)
        {
            Error(Math.Max(e.LineNumber, 1), string.Empty, $"is not valid CSV: {e.Message}");
        }
    }
}
