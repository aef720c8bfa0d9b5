using System.Globalization;
using System.Management.Automation;

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

        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(prompt))
        {
            problems.Add("prompt: is empty");
        }

        if (string.IsNullOrWhiteSpace(TaskType))
        {
            problems.Add("task_type: is missing (give -TaskType, or a task_type column)");
        }

        if (string.IsNullOrWhiteSpace(TaskCriteria))
        {
            problems.Add("task_criteria: is missing (give -TaskCriteria, or a task_criteria column)");
        }

        int tokens = Eval360.Scenario.DefaultExpectedOutputTokens;
        if (!string.IsNullOrWhiteSpace(ExpectedOutputTokens) && (!int.TryParse(ExpectedOutputTokens, NumberStyles.Integer, CultureInfo.InvariantCulture, out tokens) || tokens < 1))
        {
            problems.Add($"expected_output_tokens: '{ExpectedOutputTokens}' is not a whole number of at least 1");
        }

        double? temperature = null;
        if (!string.IsNullOrWhiteSpace(Temperature))
        {
            if (double.TryParse(Temperature, NumberStyles.Float, CultureInfo.InvariantCulture, out var t) && t is >= 0 and <= 2)
            {
                temperature = t;
            }
            else
            {
                problems.Add($"temperature: '{Temperature}' is not a number between 0 and 2");
            }
        }

        if (!string.IsNullOrWhiteSpace(image))
        {
            image = ResolveImage(image, problems);
        }

        if (problems.Count > 0)
        {
            var message = $"Cannot build a scenario from {source}: {string.Join("; ", problems)}.";
            WriteError(new ErrorRecord(new ArgumentException(message), "InvalidScenario", ErrorCategory.InvalidData, InputObject ?? (object?)prompt));
            return;
        }

        WriteObject(new Scenario
        {
            Prompt = prompt,
            GoldenAnswer = golden ?? string.Empty,
            TaskType = TaskType!,
            TaskCriteria = TaskCriteria!,
            ExpectedOutputTokens = tokens,
            Temperature = temperature,
            ImageUrl = string.IsNullOrWhiteSpace(image) ? null : image,
            UserDefinedMetrics = UserDefinedMetrics.SelectMany(m => m.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToList(),
            Source = source,
        });
    }

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

    private string? ResolveImage(string image, List<string> problems)
    {
        if (Uri.TryCreate(image, UriKind.Absolute, out var uri) && !uri.IsFile)
        {
            return image;
        }

        if (Configuration.ScenarioChecks.CheckImage(ResolvePath(image), CurrentDirectory, out var normalized) is { } problem)
        {
            problems.Add($"url_image: {problem}");
            return null;
        }

        return normalized;
    }
}
