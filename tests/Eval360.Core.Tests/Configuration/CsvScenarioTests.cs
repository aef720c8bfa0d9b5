using Eval360.Configuration;
using Eval360.Providers;

namespace Eval360.Tests.Configuration;

public sealed class CsvScenarioTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Csv_rows_become_scenarios_with_quoted_commas_and_line_breaks()
    {
        var path = _temp.File("qa.csv", "prompt,golden_answer,task_type,task_criteria,temperature\n\"Capital of France, please\",Paris,QA,Correct,0.2\n\"Two\nlines\",\"a \"\"quote\"\"\",QA,Correct,\n");
        var findings = new List<ConfigFinding>();
        var scenarios = ScenarioFile.Read(path, findings);
        // The same rules as JSONL files: a scenario without expected_output_tokens gets the seed's default, said once
        // for the whole file (on the header) since the column is absent.
        var warning = Assert.Single(findings);
        Assert.Equal((ConfigSeverity.Warning, 1, "expected_output_tokens"), (warning.Severity, warning.Line, warning.Field));
        Assert.All(scenarios, s => Assert.Equal(Scenario.DefaultExpectedOutputTokens, s.ExpectedOutputTokens));
        Assert.Equal(2, scenarios.Count);
        Assert.Equal("Capital of France, please", scenarios[0].Prompt);
        Assert.Equal(0.2, scenarios[0].Temperature);
        Assert.Equal("Two\nlines", scenarios[1].Prompt);
        Assert.Equal("a \"quote\"", scenarios[1].GoldenAnswer);
        Assert.Null(scenarios[1].Temperature);
        Assert.Equal(ConfigKind.Scenario, ConfigLoader.DetectKind(path));
    }

    [Fact]
    public void Ragged_rows_are_errors_on_their_line()
    {
        var path = _temp.File("qa.csv", "prompt,golden_answer,task_type,task_criteria\na,b,QA,C\nshort,row\nc,d,QA,C,extra\ne,f,QA,C\n");
        var findings = new List<ConfigFinding>();
        var scenarios = ScenarioFile.Read(path, findings);
        Assert.Equal(2, scenarios.Count);
        var errors = findings.Where(f => f.Severity == ConfigSeverity.Error).ToList();
        Assert.Equal([3, 4], errors.Select(f => f.Line));
        Assert.Contains("2 cells but the header has 4", errors[0].Message);
    }

    [Fact]
    public void Missing_columns_are_named()
    {
        var path = _temp.File("qa.csv", "question,answer\na,b\n");
        var findings = ConfigLoader.Validate(path, ProviderSet.Catalog);
        Assert.Contains(findings, f => f.Field == "text_prompt" && f.Message.Contains("not a column"));
        Assert.Contains(findings, f => f.Field == "task_type");
    }
}
