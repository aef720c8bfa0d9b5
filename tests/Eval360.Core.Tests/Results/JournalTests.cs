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

    [Fact]
    public void A_csv_holding_only_an_earlier_versions_header_is_started_again_and_one_with_rows_is_appended_to()
    {
        // A run begun by a version whose CSV ended at jury_id, resumed before its first result.
        var path = Path.Combine(_temp.Path, InvocationCsv.FileName);
        var earlierHeader = string.Join(',', InvocationCsv.ColumnNames.Take(InvocationCsv.ColumnNames.Count - 1));
        File.WriteAllText(path, earlierHeader + "\n");
        using (var csv = InvocationCsv.Open(path))
        {
            csv.Append(Result("a"));
        }

        var lines = File.ReadAllLines(path);
        Assert.EndsWith(",key,jury_id,plan_id", lines[0]);
        Assert.Equal(InvocationCsv.ColumnNames.Count, lines[0].Split(',').Length);
        Assert.Equal("a", Assert.Single(ResultFiles.Read(path, out _)).Key);

        // Appending again keeps what is there: the current header once, then both rows.
        using (var csv = InvocationCsv.Open(path))
        {
            csv.Append(Result("b"));
        }

        Assert.Equal(["a", "b"], ResultFiles.Read(path, out _).Select(r => r.Key));
        Assert.Single(File.ReadAllLines(path), line => line.StartsWith("model_id,", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("models.jsonl", """{"model_id": "openai/gpt-4o", "input_token_cost": 0.001, "output_token_cost": 0.002}""", "line 1 is not an Eval360 result (it has no ModelId). It looks like a model or judge profile.")]
    [InlineData("runs.jsonl", """{"text_prompt": "2+2?", "task": {"task_type": "QA", "task_criteria": "c"}}""", "line 1 is not an Eval360 result (it has no ModelId). It looks like a scenario file.")]
    [InlineData("summary.json", "{\n  \"model_id\": \"x\"\n}\n", "line 1 is not JSON.")]
    [InlineData("notes.txt", "\nhello\nworld\n", "line 2 is not JSON.")]
    public void A_file_that_is_not_a_journal_is_refused_naming_it_and_what_was_expected(string name, string content, string problem)
    {
        var path = _temp.File(name, content);
        var error = Assert.Throws<InvalidDataException>(() => ResultFiles.Read(path, out _));
        Assert.Equal($"{path} is not an Eval360 journal: {problem} Expected a run directory, its journal.jsonl or its invocations.csv.", error.Message);
    }

    [Fact]
    public void A_csv_without_the_result_columns_is_refused_naming_the_missing_ones()
    {
        var path = _temp.File("people.csv", "name,model_id,time_to_last_byte\nAda,x,1\n");
        var error = Assert.Throws<InvalidDataException>(() => ResultFiles.Read(path, out _));
        Assert.Equal($"{path} is not an Eval360 invocations.csv: it has no api_call_status, time_to_first_byte columns. Expected a run directory, its journal.jsonl or its invocations.csv.", error.Message);
    }

    [Fact]
    public void A_folder_without_a_journal_is_not_a_run_directory()
    {
        var error = Assert.Throws<InvalidDataException>(() => ResultFiles.Read(_temp.Path, out _));
        Assert.StartsWith($"{_temp.Path} is not an Eval360 run directory: it has no journal.jsonl.", error.Message);
        Assert.Throws<FileNotFoundException>(() => ResultFiles.Read(Path.Combine(_temp.Path, "nowhere.jsonl"), out _));
    }

    [Fact]
    public void The_seeds_csv_columns_are_enough_and_an_empty_file_holds_no_results()
    {
        var seed = _temp.File("seed.csv", "model_id,region,api_call_status,time_to_first_byte,time_to_last_byte,judge_success\nbedrock/nova,us-east-1,Success,0.5,1.5,True\n");
        var result = Assert.Single(ResultFiles.Read(seed, out _));
        Assert.Equal("bedrock/nova", result.ModelId);
        Assert.Equal("bedrock", result.Provider);
        Assert.Equal(0.5, result.TimeToFirstToken);
        Assert.Empty(ResultFiles.Read(_temp.File("empty.csv", string.Empty), out _));
        Assert.Empty(ResultFiles.Read(_temp.File(RunJournal.FileName, string.Empty), out _));
    }

    [Fact]
    public void A_later_line_that_is_not_a_result_is_skipped_and_counted()
    {
        var path = Path.Combine(_temp.Path, RunJournal.FileName);
        using (var journal = RunJournal.Open(path))
        {
            journal.Append(Result("a"));
            journal.Flush();
        }

        File.AppendAllText(path, "{\"model_id\": \"openai/x\"}\nnot json\n");
        using (var journal = RunJournal.Open(path))
        {
            journal.Append(Result("b"));
            journal.Flush();
        }

        Assert.Equal(["a", "b"], ResultFiles.Read(path, out var unreadable).Select(r => r.Key));
        Assert.Equal(2, unreadable);
    }
}
