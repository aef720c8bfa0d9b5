using Eval360.Results;

namespace Eval360.Tests.Results;

public sealed class JournalTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static InvocationResult Result(string key) => new()
    {
        Key = key,
        ModelId = "sim/a",
        Prompt = "p \"quoted\"\nline",
        Scores = new Dictionary<string, double> { ["Correctness"] = 4.5 },
        Judges = [new JudgeVerdict { JudgeModelId = "j", Scores = new Dictionary<string, double> { ["Correctness"] = 4.5 }, Passed = true }],
        Passed = true,
        TimeToFirstToken = 0.25,
    };

    [Fact]
    public void Results_round_trip_through_the_journal()
    {
        var path = Path.Combine(_temp.Path, RunJournal.FileName);
        using (var journal = RunJournal.Open(path))
        {
            journal.Append(Result("a"));
            journal.Append(Result("b"));
            journal.Flush();
        }

        var results = ResultFiles.Read(path, out var torn);
        Assert.Equal(0, torn);
        Assert.Equal(["a", "b"], results.Select(r => r.Key));
        Assert.Equal(4.5, results[0].Scores["Correctness"]);
        Assert.Equal("p \"quoted\"\nline", results[0].Prompt);
        Assert.True(results[1].Judges[0].Passed);
    }

    [Fact]
    public void A_torn_last_line_is_ignored_on_read_and_cut_before_appending()
    {
        var path = Path.Combine(_temp.Path, RunJournal.FileName);
        using (var journal = RunJournal.Open(path))
        {
            journal.Append(Result("a"));
            journal.Flush();
        }

        File.AppendAllText(path, "{\"Key\":\"b\",\"ModelId\":\"si");
        Assert.Single(ResultFiles.Read(path, out var torn));
        Assert.Equal(1, torn);

        using (var journal = RunJournal.Open(path))
        {
            journal.Append(Result("c"));
            journal.Flush();
        }

        var results = ResultFiles.Read(path, out torn);
        Assert.Equal(0, torn);
        Assert.Equal(["a", "c"], results.Select(r => r.Key));
    }

    [Fact]
    public void The_csv_has_the_seed_columns_first_and_quotes_what_needs_it()
    {
        var path = Path.Combine(_temp.Path, InvocationCsv.FileName);
        using (var csv = InvocationCsv.Open(path))
        {
            csv.Append(Result("a"));
        }

        var lines = File.ReadAllText(path);
        string[] seedColumns = ["model_id", "region", "temperature", "task_types", "task_criteria", "prompt", "golden_answer", "model_response", "input_tokens", "output_tokens", "time_to_first_byte", "time_to_last_byte", "throughput_tps", "response_cost", "retry_count", "api_call_status", "error_code", "judge_success", "judge_scores", "judge_details", "judge_explanation", "evaluation_cost", "eval_type", "throttled", "throttle_wait_time", "target_rpm", "actual_rpm", "run_count", "timestamp"];
        Assert.StartsWith(string.Join(',', seedColumns) + ",", lines);
        Assert.Contains("\"p \"\"quoted\"\"\nline\"", lines);
        Assert.Contains(",True,", lines);
        Assert.Contains("Success", lines);

        var back = Assert.Single(ResultFiles.Read(path, out _));
        Assert.Equal("p \"quoted\"\nline", back.Prompt);
        Assert.Equal(0.25, back.TimeToFirstToken);
        Assert.Equal(4.5, back.Scores["Correctness"]);
        Assert.True(back.Passed);
    }
}
