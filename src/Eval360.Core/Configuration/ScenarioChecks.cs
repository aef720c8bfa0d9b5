namespace Eval360.Configuration;

/// <summary>Checks scenarios built in code or from the pipeline, with the same rules as scenario files.</summary>
public static class ScenarioChecks
{
    /// <summary>
    /// Checks an image reference (URL, <c>data:</c> URI or local path; relative paths against <paramref name="baseDirectory"/>).
    /// </summary>
    /// <returns>Why it cannot be used, or null; <paramref name="normalized"/> is the absolute path for local files.</returns>
    public static string? CheckImage(string value, string baseDirectory, out string normalized)
    {
        var image = ImageReference.Resolve(value, baseDirectory, out var problem);
        normalized = image?.LocalPath ?? value;
        return image is null ? problem : null;
    }

    /// <summary>Problems that make a scenario unusable, each as <c>field: message</c>.</summary>
    public static IReadOnlyList<string> Problems(Scenario scenario)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(scenario.Prompt))
        {
            problems.Add("text_prompt: is empty");
        }

        if (string.IsNullOrWhiteSpace(scenario.TaskType))
        {
            problems.Add("task.task_type: is empty");
        }

        if (string.IsNullOrWhiteSpace(scenario.TaskCriteria))
        {
            problems.Add("task.task_criteria: is empty");
        }

        if (scenario.ExpectedOutputTokens is < 1 or > ScenarioFile.MaxOutputTokens)
        {
            problems.Add($"expected_output_tokens: is {scenario.ExpectedOutputTokens}, must be between 1 and {ScenarioFile.MaxOutputTokens}");
        }

        if (scenario.Temperature is double t && !(t >= 0 && t <= 2))
        {
            problems.Add($"temperature: is {t}, must be between 0 and 2");
        }

        if (scenario.ImageUrl is not null && CheckImage(scenario.ImageUrl, Environment.CurrentDirectory, out _) is { } problem)
        {
            problems.Add($"url_image: {problem}");
        }

        return problems;
    }
}
