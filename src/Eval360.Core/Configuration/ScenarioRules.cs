using System.Globalization;

namespace Eval360.Configuration;

/// <summary>
/// A scenario's fields as a source gave them, before the rules: text from a CSV cell or a cmdlet parameter, numbers
/// from JSON (already type-checked by its reader) or as text. Null means the field was not given.
/// </summary>
public sealed record ScenarioDraft
{
    public string? Prompt { get; init; }

    public string? TaskType { get; init; }

    public string? TaskCriteria { get; init; }

    public string? GoldenAnswer { get; init; }

    /// <summary>A number (<see cref="double"/>) or its text.</summary>
    public object? ExpectedOutputTokens { get; init; }

    /// <summary>A number (<see cref="double"/>) or its text.</summary>
    public object? Temperature { get; init; }

    /// <summary>A web URL, a <c>data:</c> URI or a local path (relative to <see cref="BaseDirectory"/>).</summary>
    public string? ImageUrl { get; init; }

    /// <summary>Metric names; each item may itself be a comma-separated list.</summary>
    public IReadOnlyList<string>? UserDefinedMetrics { get; init; }

    /// <summary>The folder relative image paths resolve against (a scenario file's folder, or the PowerShell location).</summary>
    public string BaseDirectory { get; init; } = ".";

    /// <summary>Where the scenario came from (<c>file:line</c>, <c>pipeline object #n</c>).</summary>
    public string Source { get; init; } = string.Empty;
}

/// <summary>One thing the rules found in a scenario; <see cref="Field"/> is the seed's field name (<c>task_type</c>).</summary>
public sealed record ScenarioProblem(ConfigSeverity Severity, string Field, string Message);

/// <summary>
/// The rules every scenario obeys, wherever it comes from: a JSONL line, a CSV row, New-Eval360Scenario's parameters or
/// piped objects, or a <see cref="Scenario"/> built in code. Readers only parse their format and name the place
/// (file, line, column); what is required, the ranges, the defaults and the warnings are decided here, once.
/// </summary>
public static class ScenarioRules
{
    public const string PromptField = "text_prompt";
    public const string TaskTypeField = "task_type";
    public const string TaskCriteriaField = "task_criteria";
    public const string GoldenAnswerField = "golden_answer";
    public const string ExpectedOutputTokensField = "expected_output_tokens";
    public const string TemperatureField = "temperature";
    public const string ImageField = "url_image";
    public const string UserDefinedMetricsField = "user_defined_metrics";

    public const int MinOutputTokens = 1;
    public const int MaxOutputTokens = 1_000_000;
    public const double MinTemperature = 0;
    public const double MaxTemperature = 2;

    /// <summary>
    /// Applies the rules: returns the scenario (image paths made absolute, defaults filled in) and every problem, or
    /// null as the scenario when any problem is an error.
    /// </summary>
    public static Scenario? Build(ScenarioDraft draft, out IReadOnlyList<ScenarioProblem> problems)
    {
        var found = new List<ScenarioProblem>();
        problems = found;
        void Error(string field, string message) => found.Add(new ScenarioProblem(ConfigSeverity.Error, field, message));
        void Warn(string field, string message) => found.Add(new ScenarioProblem(ConfigSeverity.Warning, field, message));

        var prompt = RequiredText(draft.Prompt, PromptField, Error);
        var taskType = RequiredText(draft.TaskType, TaskTypeField, Error);
        var taskCriteria = RequiredText(draft.TaskCriteria, TaskCriteriaField, Error);
        if (string.IsNullOrWhiteSpace(draft.GoldenAnswer))
        {
            Warn(GoldenAnswerField, "is missing or empty; judges have no reference answer to compare against");
        }

        int tokens = Scenario.DefaultExpectedOutputTokens;
        if (IsMissing(draft.ExpectedOutputTokens))
        {
            Warn(ExpectedOutputTokensField, $"is not set; {Scenario.DefaultExpectedOutputTokens} (the seed's default) is used as the output limit and for cost estimates");
        }
        else if (Number(draft.ExpectedOutputTokens) is not double value || value != Math.Floor(value) || value is < MinOutputTokens or > MaxOutputTokens)
        {
            Error(ExpectedOutputTokensField, $"is {Show(draft.ExpectedOutputTokens)}, must be a whole number between {MinOutputTokens} and {MaxOutputTokens}");
        }
        else
        {
            tokens = (int)value;
        }

        double? temperature = null;
        if (!IsMissing(draft.Temperature))
        {
            if (Number(draft.Temperature) is double t && t is >= MinTemperature and <= MaxTemperature)
            {
                temperature = t;
            }
            else
            {
                Error(TemperatureField, $"is {Show(draft.Temperature)}, must be a number between {MinTemperature} and {MaxTemperature}");
            }
        }

        var image = string.IsNullOrWhiteSpace(draft.ImageUrl) ? null : draft.ImageUrl;
        if (image is not null)
        {
            // Local paths are kept absolute from here on, so a scenario means the same image wherever it is copied.
            var resolved = ImageReference.Resolve(image, draft.BaseDirectory, out var problem);
            if (resolved is null)
            {
                Error(ImageField, problem!);
            }
            else
            {
                image = resolved.LocalPath ?? image;
            }
        }

        if (found.Any(p => p.Severity == ConfigSeverity.Error))
        {
            return null;
        }

        return new Scenario
        {
            Prompt = prompt!,
            TaskType = taskType!,
            TaskCriteria = taskCriteria!,
            GoldenAnswer = draft.GoldenAnswer ?? string.Empty,
            ExpectedOutputTokens = tokens,
            Temperature = temperature,
            ImageUrl = image,
            UserDefinedMetrics = [.. (draft.UserDefinedMetrics ?? []).SelectMany(FieldReader.SplitList)],
            Source = draft.Source,
        };
    }

    /// <summary>The errors in a scenario built in code (its fields are already typed, so only the rules apply).</summary>
    public static IReadOnlyList<ScenarioProblem> Errors(Scenario scenario, string baseDirectory)
    {
        Build(new ScenarioDraft
        {
            Prompt = scenario.Prompt,
            TaskType = scenario.TaskType,
            TaskCriteria = scenario.TaskCriteria,
            GoldenAnswer = scenario.GoldenAnswer,
            ExpectedOutputTokens = (double)scenario.ExpectedOutputTokens,
            Temperature = scenario.Temperature,
            ImageUrl = scenario.ImageUrl,
            UserDefinedMetrics = scenario.UserDefinedMetrics,
            BaseDirectory = baseDirectory,
            Source = scenario.Source,
        }, out var problems);
        return [.. problems.Where(p => p.Severity == ConfigSeverity.Error)];
    }

    private static string? RequiredText(string? value, string field, Action<string, string> error)
    {
        if (value is null)
        {
            error(field, "is required");
        }
        else if (string.IsNullOrWhiteSpace(value))
        {
            error(field, "must not be empty");
        }

        return value;
    }

    private static bool IsMissing(object? value) => value is null || (value is string text && string.IsNullOrWhiteSpace(text));

    private static double? Number(object? value) => value switch
    {
        double d when double.IsFinite(d) => d,
        string text when double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) => d,
        _ => null,
    };

    private static string Show(object? value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        string text => $"'{text}'",
        _ => $"{value}",
    };
}
