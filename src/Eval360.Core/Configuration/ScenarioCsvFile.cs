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

        var table = CsvTable.Read(path, findings);
        var header = table.Header;
        if (header.Count == 0)
        {
            return scenarios;
        }

        string? promptColumn = header.Contains("text_prompt") ? "text_prompt" : header.Contains("prompt") ? "prompt" : null;
        var missing = new[] { promptColumn ?? "text_prompt", "task_type", "task_criteria" }.Where(c => !header.Contains(c)).ToList();
        foreach (var required in missing)
        {
            Error(1, required, $"is not a column (the header has: {string.Join(", ", header)})");
        }

        foreach (var unknown in header.Where(h => !Known.Contains(h)))
        {
            findings.Add(new ConfigFinding(ConfigSeverity.Warning, path, 1, unknown, "is not a known column; it is ignored"));
        }

        if (missing.Count > 0)
        {
            return scenarios;
        }

        var absentColumnWarnings = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in table.Rows)
        {
            long line = row.Line;
            string? Cell(string column) => table.Cell(row, column);
            var draft = new ScenarioDraft
            {
                Prompt = Cell(promptColumn!),
                TaskType = Cell(ScenarioRules.TaskTypeField),
                TaskCriteria = Cell(ScenarioRules.TaskCriteriaField),
                GoldenAnswer = Cell(ScenarioRules.GoldenAnswerField),
                ExpectedOutputTokens = Cell(ScenarioRules.ExpectedOutputTokensField),
                Temperature = Cell(ScenarioRules.TemperatureField),
                ImageUrl = Cell(ScenarioRules.ImageField),
                UserDefinedMetrics = Cell(ScenarioRules.UserDefinedMetricsField) is { Length: > 0 } metrics ? [metrics] : null,
                BaseDirectory = directory,
                Source = $"{path}:{line}",
            };
            var scenario = ScenarioRules.Build(draft, out var problems);
            foreach (var problem in problems)
            {
                var column = problem.Field == ScenarioRules.PromptField ? promptColumn! : problem.Field;
                if (problem.Severity == ConfigSeverity.Warning && !header.Contains(column))
                {
                    // A column the header lacks would warn on every row; it is said once, on the header's line.
                    if (absentColumnWarnings.Add(column))
                    {
                        findings.Add(new ConfigFinding(ConfigSeverity.Warning, path, 1, column, problem.Message + " (no such column)"));
                    }

                    continue;
                }

                findings.Add(new ConfigFinding(problem.Severity, path, (int)line, column, problem.Message));
            }

            if (scenario is not null)
            {
                scenarios.Add(scenario);
            }
        }

        if (table.Records == 0)
        {
            Error(0, string.Empty, "has a header but no rows: expected one row per scenario");
        }

        return scenarios;
    }
}
