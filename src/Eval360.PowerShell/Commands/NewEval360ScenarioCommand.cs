using System.Management.Automation;
using Eval360.Configuration;

namespace Eval360.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Builds benchmark scenarios from parameters or from piped objects such as Import-Csv rows.</para>
/// </summary>
[Cmdlet(VerbsCommon.New, "Eval360Scenario", DefaultParameterSetName = ByName)]
[OutputType(typeof(Scenario))]
public sealed class NewEval360ScenarioCommand : Eval360Cmdlet
{
    private const string ByName = "ByPropertyName";
    private const string ByColumn = "ByColumn";

    private int _row;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByName)]
    [Alias("text_prompt")]
    [AllowEmptyString]
    public string? Prompt { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ByName)]
    [Alias("golden_answer")]
    [AllowEmptyString]
    public string? GoldenAnswer { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ByName)]
    [Alias("url_image")]
    [AllowEmptyString]
    public string? ImageUrl { get; set; }

    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByColumn)]
    public PSObject? InputObject { get; set; }

    /// <summary>The column holding the prompt (the seed dashboard's "Prompt Column").</summary>
    [Parameter(Mandatory = true, ParameterSetName = ByColumn)]
    public string? PromptProperty { get; set; }

    [Parameter(ParameterSetName = ByColumn)]
    public string? GoldenAnswerProperty { get; set; }

    [Parameter(ParameterSetName = ByColumn)]
    public string? ImageProperty { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("task_type")]
    public string? TaskType { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("task_criteria")]
    public string? TaskCriteria { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("expected_output_tokens")]
    [AllowEmptyString]
    public string? ExpectedOutputTokens { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    public string? Temperature { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("user_defined_metrics")]
    [AllowEmptyCollection]
    public string[] UserDefinedMetrics { get; set; } = [];

    protected override void ProcessRecord()
    {
        _row++;
        var source = InputObject is null && MyInvocation.ExpectingInput is false ? "parameters" : $"pipeline object #{_row}";
        var prompt = ParameterSetName == ByColumn ? Column(PromptProperty!, required: true, source) : Prompt;
        var golden = ParameterSetName == ByColumn ? Column(GoldenAnswerProperty, required: false, source) : GoldenAnswer;
        var image = ParameterSetName == ByColumn ? Column(ImageProperty, required: false, source) : ImageUrl;
        if (prompt is null)
        {
            return;
        }

        var scenario = ScenarioRules.Build(new ScenarioDraft
        {
            Prompt = prompt,
            TaskType = TaskType,
            TaskCriteria = TaskCriteria,
            GoldenAnswer = golden,
            ExpectedOutputTokens = ExpectedOutputTokens,
            Temperature = Temperature,
            ImageUrl = string.IsNullOrWhiteSpace(image) || IsUrl(image) ? image : ResolvePath(image),
            UserDefinedMetrics = UserDefinedMetrics,
            BaseDirectory = CurrentDirectory,
            Source = source,
        }, out var problems);

        var errors = problems.Where(p => p.Severity == ConfigSeverity.Error).Select(Describe).ToList();
        if (scenario is null)
        {
            var message = $"Cannot build a scenario from {source}: {string.Join("; ", errors)}.";
            WriteError(new ErrorRecord(new ArgumentException(message), "InvalidScenario", ErrorCategory.InvalidData, InputObject ?? (object?)prompt));
            return;
        }

        foreach (var warning in problems.Where(p => p.Severity == ConfigSeverity.Warning && p.Field != ScenarioRules.ExpectedOutputTokensField))
        {
            // Not the output-limit default: leaving it to the seed's default is the ordinary way to build a scenario here.
            WriteWarning($"{source}: {Describe(warning)}");
        }

        WriteObject(scenario);
    }

    /// <summary>A problem in the terms of this cmdlet: the field, and the parameter or column that gives it.</summary>
    private static string Describe(ScenarioProblem problem)
    {
        var parameter = problem.Field switch
        {
            ScenarioRules.PromptField => "-Prompt",
            ScenarioRules.TaskTypeField => "-TaskType",
            ScenarioRules.TaskCriteriaField => "-TaskCriteria",
            ScenarioRules.GoldenAnswerField => "-GoldenAnswer",
            ScenarioRules.ExpectedOutputTokensField => "-ExpectedOutputTokens",
            ScenarioRules.TemperatureField => "-Temperature",
            ScenarioRules.ImageField => "-ImageUrl",
            _ => null,
        };
        return $"{problem.Field}: {problem.Message}{(problem.Message == "is required" && parameter is not null ? $" (give {parameter}, or a {problem.Field} column)" : string.Empty)}";
    }

    private static bool IsUrl(string value) => Uri.TryCreate(value, UriKind.Absolute, out var uri) && !uri.IsFile;

    private string? Column(string? name, bool required, string source)
    {
        if (name is null)
        {
            return null;
        }

        var property = InputObject?.Properties[name];
        if (property is null)
        {
            if (required)
            {
                var available = string.Join(", ", InputObject?.Properties.Select(p => p.Name) ?? []);
                WriteError(new ErrorRecord(new ArgumentException($"Cannot build a scenario from {source}: it has no '{name}' property (it has: {available})."),
                    "MissingColumn", ErrorCategory.InvalidData, InputObject));
            }

            return null;
        }

        return property.Value?.ToString() ?? string.Empty;
    }
}
