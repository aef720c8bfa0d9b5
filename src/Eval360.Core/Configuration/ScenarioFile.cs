using System.Text.Json;

namespace Eval360.Configuration;

/// <summary>Reads a scenario file (<c>runs/*.jsonl</c>) in the seed's format.</summary>
internal static class ScenarioFile
{
    private static readonly string[] KnownFields =
        ["text_prompt", "expected_output_tokens", "task", "golden_answer", "url_image", "user_defined_metrics", "temperature"];

    private static readonly string[] KnownTaskFields = ["task_type", "task_criteria"];

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
            var scenario = ReadOne(new FieldReader(obj, path, line, findings), path, line, directory, findings);
            if (scenario is not null)
            {
                scenarios.Add(scenario);
            }
        });
        return scenarios;
    }

    private static Scenario? ReadOne(FieldReader fields, string path, int line, string directory, List<ConfigFinding> findings)
    {
        int before = findings.Count;
        if (!fields.Has(ScenarioRules.PromptField) && fields.Has("prompt"))
        {
            fields.Error(ScenarioRules.PromptField, "is required (this line has 'prompt'; scenario files call it 'text_prompt')");
        }

        // The reader checks JSON types only; what is required, the ranges and the defaults are ScenarioRules'.
        var task = fields.Object("task", required: true);
        var draft = new ScenarioDraft
        {
            Prompt = fields.String(ScenarioRules.PromptField, allowEmpty: true),
            TaskType = task?.String(ScenarioRules.TaskTypeField, allowEmpty: true),
            TaskCriteria = task?.String(ScenarioRules.TaskCriteriaField, allowEmpty: true),
            GoldenAnswer = fields.String(ScenarioRules.GoldenAnswerField, allowEmpty: true),
            ExpectedOutputTokens = fields.Number(ScenarioRules.ExpectedOutputTokensField),
            Temperature = fields.Number(ScenarioRules.TemperatureField),
            ImageUrl = fields.String(ScenarioRules.ImageField, allowEmpty: true),
            UserDefinedMetrics = fields.CommaList(ScenarioRules.UserDefinedMetricsField),
            BaseDirectory = directory,
            Source = $"{path}:{line}",
        };
        task?.WarnUnknown(KnownTaskFields);
        fields.WarnUnknown(KnownFields);

        // A field whose JSON type was wrong is reported once, by the reader; the rules would only call it missing.
        var reported = findings.Skip(before).Select(f => f.Field).ToHashSet(StringComparer.Ordinal);
        bool readerErrors = findings.Skip(before).Any(f => f.Severity == ConfigSeverity.Error);
        var scenario = ScenarioRules.Build(draft, out var problems);
        foreach (var problem in problems)
        {
            bool inTask = problem.Field is ScenarioRules.TaskTypeField or ScenarioRules.TaskCriteriaField;
            var field = inTask ? "task." + problem.Field : problem.Field;
            if (!reported.Contains(field) && !(inTask && task is null))
            {
                findings.Add(new ConfigFinding(problem.Severity, path, line, field, problem.Message));
            }
        }

        return readerErrors ? null : scenario;
    }
}
