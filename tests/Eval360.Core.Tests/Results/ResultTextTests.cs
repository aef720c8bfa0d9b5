using System.Globalization;
using System.Text.Json;
using Eval360.Results;

namespace Eval360.Tests.Results;

/// <summary>
/// The nested values of a result read as text wherever PowerShell turns them into one (Export-Csv, interpolation):
/// never a .NET type name, and the same in every culture. And they stay what scripts expect.
/// </summary>
public sealed class ResultTextTests
{
    [Fact]
    public void Scores_read_as_metric_equals_score_in_invariant_culture()
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            var result = new InvocationResult { Scores = new Dictionary<string, double> { ["Correctness"] = 4.3333, ["brand voice"] = 4, ["Format"] = 2.5 } };
            Assert.Equal("Correctness=4.33; brand voice=4; Format=2.5", result.Scores.ToString());
            Assert.Equal(4.3333, result.Scores["correctness"]);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void Judges_read_as_one_verdict_each()
    {
        var result = new InvocationResult
        {
            Judges =
            [
                new JudgeVerdict { JudgeModelId = "openai/a", Passed = true },
                new JudgeVerdict { JudgeModelId = "openai/b", Passed = false },
                new JudgeVerdict { JudgeModelId = "openai/c", Error = "throttled: rate limit" },
                new JudgeVerdict { JudgeModelId = "openai/d" },
            ],
        };
        Assert.Equal("openai/a: pass; openai/b: fail; openai/c: throttled: rate limit; openai/d: no verdict", result.Judges.ToString());
    }

    [Fact]
    public void Summary_scores_and_errors_read_the_same_way()
    {
        var summary = new ModelSummary
        {
            MeanScores = new Dictionary<string, double> { ["Correctness"] = 3.25 },
            Errors = new Dictionary<string, int> { ["throttled"] = 3, ["server"] = 1 },
        };
        Assert.Equal("Correctness=3.25", summary.MeanScores.ToString());
        Assert.Equal("throttled=3; server=1", summary.Errors.ToString());
    }

    [Fact]
    public void The_journal_writes_and_reads_them_as_plain_json()
    {
        var result = new InvocationResult
        {
            ModelId = "sim/a",
            Scores = new Dictionary<string, double> { ["Correctness"] = 4.5 },
            Judges = [new JudgeVerdict { JudgeModelId = "j", Scores = new Dictionary<string, double> { ["Correctness"] = 4.5 }, Passed = true }],
        };
        var json = JsonSerializer.Serialize(result, ResultJsonContext.Default.InvocationResult);
        Assert.Contains("\"Scores\":{\"Correctness\":4.5}", json, StringComparison.Ordinal);
        Assert.Contains("\"Judges\":[{\"JudgeModelId\":\"j\"", json, StringComparison.Ordinal);

        var back = JsonSerializer.Deserialize(json, ResultJsonContext.Default.InvocationResult)!;
        Assert.IsType<ScoreSet>(back.Scores);
        Assert.IsType<JudgeVerdicts>(back.Judges);
        Assert.Equal(4.5, back.Scores["CORRECTNESS"]);
        Assert.Equal(4.5, back.Judges[0].Scores["correctness"]);
    }
}
