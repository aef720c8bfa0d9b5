using Eval360.Configuration;
using Eval360.Providers;

namespace Eval360.Tests.Configuration;

/// <summary>Scenario rules are one set: a JSONL line, a CSV row and a Scenario built in code get the same verdict.</summary>
public sealed class ScenarioRulesTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string, string, string, string> BadValues() => new()
    {
        // field, JSON value, CSV cell, the message all three must give
        { "expected_output_tokens", "0", "0", "must be a whole number between 1 and 1000000" },
        { "expected_output_tokens", "2000000", "2000000", "must be a whole number between 1 and 1000000" },
        { "expected_output_tokens", "12.5", "12.5", "must be a whole number between 1 and 1000000" },
        { "temperature", "2.5", "2.5", "must be a number between 0 and 2" },
        { "temperature", "-1", "-1", "must be a number between 0 and 2" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void Jsonl_csv_and_objects_refuse_the_same_values_with_the_same_words(string field, string json, string cell, string message)
    {
        var jsonl = _temp.File("s.jsonl", $$"""{"text_prompt": "Q?", "task": {"task_type": "QA", "task_criteria": "Correct"}, "golden_answer": "A", "expected_output_tokens": 10, "{{field}}": {{json}}}""".Replace("\"expected_output_tokens\": 10, \"expected_output_tokens\"", "\"expected_output_tokens\"", StringComparison.Ordinal));
        var csv = _temp.File("s.csv", $"text_prompt,golden_answer,task_type,task_criteria,{field}\nQ?,A,QA,Correct,{cell}\n");

        var fromJson = Assert.Single(ConfigLoader.Validate(jsonl, ProviderSet.Catalog), f => f.Severity == ConfigSeverity.Error);
        var fromCsv = Assert.Single(ConfigLoader.Validate(csv, ProviderSet.Catalog), f => f.Severity == ConfigSeverity.Error);
        Assert.Equal((field, 1), (fromJson.Field, fromJson.Line));
        Assert.Equal((field, 2), (fromCsv.Field, fromCsv.Line));
        Assert.EndsWith(message, fromJson.Message, StringComparison.Ordinal);
        Assert.EndsWith(message, fromCsv.Message, StringComparison.Ordinal);

        var draft = new ScenarioDraft { Prompt = "Q?", TaskType = "QA", TaskCriteria = "Correct", GoldenAnswer = "A", ExpectedOutputTokens = "10" };
        draft = field == "temperature" ? draft with { Temperature = cell } : draft with { ExpectedOutputTokens = cell };
        Assert.Null(ScenarioRules.Build(draft, out var problems));
        var problem = Assert.Single(problems);
        Assert.Equal(field, problem.Field);
        Assert.EndsWith(message, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_scenario_object_built_in_code_is_held_to_the_same_rules()
    {
        var scenario = new Scenario { Prompt = " ", TaskType = "QA", TaskCriteria = "C", ExpectedOutputTokens = 2_000_000, Temperature = 3 };
        var errors = ScenarioRules.Errors(scenario, _temp.Path);
        Assert.Equal(
            ["text_prompt: must not be empty", "expected_output_tokens: is 2000000, must be a whole number between 1 and 1000000", "temperature: is 3, must be a number between 0 and 2"],
            errors.Select(e => $"{e.Field}: {e.Message}"));
    }

    [Fact]
    public void Missing_fields_get_the_defaults_and_warnings_wherever_they_come_from()
    {
        var scenario = ScenarioRules.Build(new ScenarioDraft { Prompt = "Q?", TaskType = "QA", TaskCriteria = "C", UserDefinedMetrics = ["Tone, Brevity", "Policy"] }, out var problems);
        Assert.NotNull(scenario);
        Assert.Equal(4500, scenario.ExpectedOutputTokens);
        Assert.Null(scenario.Temperature);
        Assert.Equal(["Tone", "Brevity", "Policy"], scenario.UserDefinedMetrics);
        Assert.Equal(["golden_answer", "expected_output_tokens"], problems.Select(p => p.Field));
        Assert.All(problems, p => Assert.Equal(ConfigSeverity.Warning, p.Severity));
    }
}
