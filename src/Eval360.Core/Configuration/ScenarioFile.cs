using System.Text.Json;

namespace Eval360.Configuration;

/// <summary>Reads a scenario file (<c>runs/*.jsonl</c>) in the seed's format.</summary>
internal static class ScenarioFile
{
    private static readonly string[] KnownFields =
        ["text_prompt", "expected_output_tokens", "task", "golden_answer", "url_image", "user_defined_metrics", "temperature"];

    private static readonly string[] KnownTaskFields = ["task_type", "task_criteria"];

    public const int MaxOutputTokens = 1_000_000;

    public static List<Scenario> Read(string path, List<ConfigFinding> findings)
    {
        if (Path.GetExtension(path).Equals(".csv", StringComparison.OrdinalIgnoreCase))
        {
            return ScenarioCsvFile.Read(path, findings);
        }

        var scenarios = new List<Scenario>();
        var directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        JsonlReader.Read(path, findings, (line, obj) =>
        {
            var scenario = ReadOne(new FieldReader(obj, path, line, findings), path, line, directory);
            if (scenario is not null)
            {
                scenarios.Add(scenario);
            }
        });
        return scenarios;
    }

    private static Scenario? ReadOne(FieldReader fields, string path, int line, string directory)
    {
        int errorsBefore = fields.ErrorCount;
        if (!fields.Has("text_prompt") && fields.Has("prompt"))
        {
            fields.Error("text_prompt", "is required (this line has 'prompt'; scenario files call it 'text_prompt')");
        }

        var prompt = fields.String("text_prompt", required: !fields.Has("prompt"));
        var expected = fields.Integer("expected_output_tokens", min: 1, max: MaxOutputTokens);
        if (expected is null && !fields.Has("expected_output_tokens"))
        {
            fields.Warning("expected_output_tokens", $"is not set; {Scenario.DefaultExpectedOutputTokens} (the seed's default) is used as the output limit and for cost estimates");
        }

        var task = fields.Object("task", required: true);
        var taskType = task?.String("task_type", required: true);
        var taskCriteria = task?.String("task_criteria", required: true);
        var golden = fields.String("golden_answer", allowEmpty: true);
        if (!fields.Has("golden_answer") || (golden is not null && string.IsNullOrWhiteSpace(golden)))
        {
            fields.Warning("golden_answer", "is missing or empty; judges have no reference answer to compare against");
        }

        var image = fields.String("url_image");
        if (image is not null)
        {
            // Local paths are kept absolute from here on, so a scenario means the same image wherever it is copied.
            var resolved = ImageReference.Resolve(image, directory, out var problem);
            if (resolved is null)
            {
                fields.Error("url_image", problem!);
            }
            else
            {
                image = resolved.LocalPath ?? image;
            }
        }

        var metrics = fields.CommaList("user_defined_metrics");
        var temperature = fields.Number("temperature", min: 0, max: 2, rangeHint: "must be between 0 and 2");
        task?.WarnUnknown(KnownTaskFields);
        fields.WarnUnknown(KnownFields);

        if (fields.ErrorCount > errorsBefore || prompt is null || taskType is null || taskCriteria is null)
        {
            return null;
        }

        return new Scenario
        {
            Prompt = prompt,
            ExpectedOutputTokens = expected ?? Scenario.DefaultExpectedOutputTokens,
            TaskType = taskType,
            TaskCriteria = taskCriteria,
            GoldenAnswer = golden ?? string.Empty,
            ImageUrl = image,
            UserDefinedMetrics = metrics ?? [],
            Temperature = temperature,
            Source = $"{path}:{line}",
        };
    }
}
