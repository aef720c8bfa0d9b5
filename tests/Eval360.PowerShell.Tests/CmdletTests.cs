using System.Diagnostics;
using System.Management.Automation;
using Eval360.FakeProviders;

namespace Eval360.PowerShell.Tests;

/// <summary>The cmdlets hosted in a runspace through Microsoft.PowerShell.SDK.</summary>
public sealed class CmdletTests : IDisposable
{
    private const string Scenarios = """
        {"text_prompt": "What is 2+2?", "expected_output_tokens": 20, "task": {"task_type": "QA", "task_criteria": "Correct"}, "golden_answer": "4"}
        {"text_prompt": "Capital of France?", "expected_output_tokens": 20, "task": {"task_type": "QA", "task_criteria": "Correct"}, "golden_answer": "Paris"}
        """;

    private readonly HostedPowerShell _host = new();
    private readonly Scratch _scratch = new();

    public void Dispose()
    {
        _host.Dispose();
        _scratch.Dispose();
    }

    private void Models(string endpoint, params string[] names) =>
        _scratch.File("config/models.jsonl", string.Join('\n', names.Select(n => $$"""{"model_id": "openai-compatible/{{n}}", "region": "local", "input_token_cost": 0.001, "output_token_cost": 0.002, "endpoint": "{{endpoint}}"}""")));

    private void Judges(string endpoint, params string[] names) =>
        _scratch.File("config/judges.jsonl", string.Join('\n', names.Select(n => $$"""{"model_id": "openai-compatible/{{n}}", "input_cost_per_1k": 0.01, "output_cost_per_1k": 0.03, "endpoint": "{{endpoint}}"}""")));

    [Fact]
    public void Rows_bind_by_property_name_and_parameters_fill_the_gaps()
    {
        var (output, shell) = _host.Run("""
            [pscustomobject]@{ prompt = 'What is 2+2?'; golden_answer = '4'; expected_output_tokens = '30'; temperature = '0.2' },
            [pscustomobject]@{ text_prompt = 'Capital of France?'; golden_answer = 'Paris'; task_type = 'Geo'; user_defined_metrics = 'tone, brevity' } |
                New-Eval360Scenario -TaskType QA -TaskCriteria 'Be correct'
            """);
        Assert.False(shell.HadErrors, string.Join("; ", shell.Streams.Error));
        Assert.Equal(2, output.Count);
        Assert.All(output, o => Assert.Equal("Eval360.Scenario", o.TypeNames[0]));
        dynamic first = output[0];
        Assert.Equal("What is 2+2?", (string)first.Prompt);
        Assert.Equal("4", (string)first.GoldenAnswer);
        Assert.Equal(30, (int)first.ExpectedOutputTokens);
        Assert.Equal(0.2, (double?)first.Temperature);
        Assert.Equal("QA", (string)first.TaskType);
        dynamic second = output[1];
        Assert.Equal("Capital of France?", (string)second.Prompt);
        Assert.Equal(new[] { "tone", "brevity" }, ((IEnumerable<string>)second.UserDefinedMetrics).ToArray());
    }

    [Fact]
    public void Other_column_names_are_mapped_with_property_parameters()
    {
        var csv = _scratch.File("support.csv", "customer_query,expected_response_type\n\"How do I return a product?\",\"Clear return steps\"\n\"What are your hours?\",\"Hours and timezone\"\n");
        var (output, shell) = _host.Run("""
            Import-Csv $csv | New-Eval360Scenario -PromptProperty customer_query -GoldenAnswerProperty expected_response_type -TaskType Support -TaskCriteria Helpful
            """, new Dictionary<string, object?> { ["csv"] = csv });
        Assert.False(shell.HadErrors);
        Assert.Equal(["How do I return a product?", "What are your hours?"], output.Select(o => (string)o.Properties["Prompt"].Value));
        Assert.Equal("Clear return steps", output[0].Properties["GoldenAnswer"].Value);
    }

    [Fact]
    public void A_row_without_a_prompt_is_a_non_terminating_error_naming_the_row()
    {
        var (output, shell) = _host.Run("""
            [pscustomobject]@{ prompt = 'ok' }, [pscustomobject]@{ prompt = '' }, [pscustomobject]@{ prompt = 'also ok' } |
                New-Eval360Scenario -TaskType QA -TaskCriteria C
            """);
        Assert.Equal(2, output.Count);
        var error = Assert.Single(shell.Streams.Error);
        Assert.Equal("InvalidScenario,Eval360.PowerShell.Commands.NewEval360ScenarioCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.Contains("#2", error.Exception.Message);
        Assert.Contains("prompt", error.Exception.Message);
    }

    [Fact]
    public void New_scenario_applies_the_same_rules_as_scenario_files()
    {
        var (output, shell) = _host.Run("""
            New-Eval360Scenario -Prompt 'Q?' -TaskType QA -TaskCriteria C -GoldenAnswer A -ExpectedOutputTokens 2000000
            New-Eval360Scenario -Prompt 'Q?' -TaskCriteria C -GoldenAnswer A -Temperature hot
            New-Eval360Scenario -Prompt 'Q?' -TaskType QA -TaskCriteria C -ExpectedOutputTokens 1000000 -WarningVariable warned
            $warned
            """);
        var scenario = Assert.Single(output, o => o.TypeNames[0] == "Eval360.Scenario");
        Assert.Equal(1_000_000, scenario.Properties["ExpectedOutputTokens"].Value);
        Assert.Equal(2, shell.Streams.Error.Count);
        // The scenario files' upper bound, which this cmdlet once did not apply.
        Assert.Contains("expected_output_tokens: is '2000000', must be a whole number between 1 and 1000000", shell.Streams.Error[0].Exception.Message);
        Assert.Contains("task_type: is required (give -TaskType, or a task_type column)", shell.Streams.Error[1].Exception.Message);
        Assert.Contains("temperature: is 'hot', must be a number between 0 and 2", shell.Streams.Error[1].Exception.Message);
        Assert.Contains(shell.Streams.Warning, w => w.Message.Contains("golden_answer: is missing or empty", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Import_csv_through_new_scenario_into_a_benchmark_streams_typed_results()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        Models(server.BaseUrl.ToString(), "alpha", "beta");
        Judges(server.BaseUrl.ToString(), "judge");
        var csv = _scratch.File("qa.csv", "prompt,golden_answer\n\"What is 2+2?\",4\n\"Capital of France?\",Paris\n");
        var (output, shell) = _host.Run("""
            Set-Location $dir
            Import-Csv ./qa.csv | New-Eval360Scenario -TaskType QA -TaskCriteria Correct |
                Invoke-Eval360Benchmark -ModelProfile ./config/models.jsonl -JudgeProfile ./config/judges.jsonl -SleepBetweenInvocations 0 -ExperimentCount 1 -InvocationsPerScenario 2 |
                Where-Object Passed
            """, new Dictionary<string, object?> { ["dir"] = _scratch.Path });
        Assert.False(shell.HadErrors, string.Join("; ", shell.Streams.Error));
        Assert.Equal(2 * 2 * 2, output.Count);
        Assert.All(output, o =>
        {
            Assert.Equal("Eval360.InvocationResult", o.TypeNames[0]);
            Assert.Equal("Eval360.InvocationResult", o.BaseObject.GetType().FullName);
            Assert.Equal(true, o.Properties["Passed"].Value);
        });
        Assert.Contains(shell.Streams.Progress, p => p.StatusDescription.Contains("done", StringComparison.Ordinal));
        Assert.Contains(shell.Streams.Information, i => i.MessageData.ToString()!.Contains("Results: " + Path.Combine(_scratch.Path, "outputs"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task What_if_lists_the_plan_and_makes_no_call_at_all()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        Models(server.BaseUrl.ToString(), "alpha");
        Judges(server.BaseUrl.ToString(), "judge");
        _scratch.File("runs/qa.jsonl", Scenarios);
        var (output, shell) = _host.Run("""
            Set-Location $dir
            Invoke-Eval360Benchmark ./runs/qa.jsonl -ModelProfile ./config/models.jsonl -JudgeProfile ./config/judges.jsonl -WhatIf
            """, new Dictionary<string, object?> { ["dir"] = _scratch.Path });
        Assert.False(shell.HadErrors);
        Assert.Empty(output);
        Assert.Equal(0, server.RequestCount);
        Assert.False(Directory.Exists(Path.Combine(_scratch.Path, "outputs")));
        var plan = string.Join('\n', shell.Streams.Information.Select(i => i.MessageData.ToString()));
        Assert.Contains("would make 8 model calls and 8 judge calls", plan);
        Assert.Contains("openai-compatible/alpha", plan);
    }

    [Fact]
    public void Relative_paths_follow_set_location_not_the_process_directory()
    {
        _scratch.File("work/runs/qa.jsonl", Scenarios);
        File.Copy(Path.Combine(HostedPowerShell.RepositoryRoot, "config/quickstart.models.jsonl"), Path.Combine(_scratch.Path, "work/m.jsonl"));
        var processDirectory = Environment.CurrentDirectory;
        var (output, shell) = _host.Run("""
            Set-Location (Join-Path $dir work)
            Invoke-Eval360Benchmark runs/qa.jsonl -ModelProfile m.jsonl -LatencyOnly -SleepBetweenInvocations 0 -ExperimentCount 1 -InvocationsPerScenario 1 -OutputDirectory results -ExperimentName rel
            """, new Dictionary<string, object?> { ["dir"] = _scratch.Path });
        Assert.False(shell.HadErrors, string.Join("; ", shell.Streams.Error));
        Assert.Equal(6, output.Count);
        var run = Assert.Single(Directory.GetDirectories(Path.Combine(_scratch.Path, "work", "results")));
        Assert.StartsWith("rel-", Path.GetFileName(run));
        Assert.True(File.Exists(Path.Combine(run, "journal.jsonl")));
        Assert.Equal(processDirectory, Environment.CurrentDirectory);
        Assert.False(Directory.Exists(Path.Combine(processDirectory, "results")));
    }

    [Fact]
    public void Bad_configuration_is_a_terminating_error_record_with_category_and_target()
    {
        var bad = _scratch.File("bad.jsonl", "{\"text_prompt\": \"x\", \"task\": 5}");
        var (_, shell) = _host.Run("Invoke-Eval360Benchmark $bad -ModelProfile $models -LatencyOnly -OutputDirectory $out",
            new Dictionary<string, object?> { ["bad"] = bad, ["models"] = Path.Combine(HostedPowerShell.RepositoryRoot, "config/quickstart.models.jsonl"), ["out"] = Path.Combine(_scratch.Path, "out") });
        var error = Assert.Single(shell.Streams.Error);
        Assert.StartsWith("InvalidConfiguration,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.Equal("Eval360.ConfigFinding", error.TargetObject.GetType().FullName);
        Assert.Contains($"{bad}:1: task: must be an object", error.ToString());
        Assert.False(Directory.Exists(Path.Combine(_scratch.Path, "out")));
    }

    [Fact]
    public void Test_config_reports_findings_or_a_boolean()
    {
        var bad = _scratch.File("models.jsonl", "{\"model_id\": \"nope/x\", \"input_token_cost\": -1, \"output_token_cost\": 0}");
        var (findings, _) = _host.Run("Test-Eval360Config $bad", new Dictionary<string, object?> { ["bad"] = bad });
        Assert.Equal(2, findings.Count);
        Assert.All(findings, f => Assert.Equal("Eval360.ConfigFinding", f.TypeNames[0]));
        Assert.Equal(["model_id", "input_token_cost"], findings.Select(f => (string)f.Properties["Field"].Value));
        var (quiet, _) = _host.Run($"Test-Eval360Config $bad -Quiet; Test-Eval360Config '{HostedPowerShell.RepositoryRoot}/config/models_profiles.jsonl' -Quiet", new Dictionary<string, object?> { ["bad"] = bad });
        Assert.Equal([false, true], quiet.Select(q => (bool)q.BaseObject));
    }

    [Fact]
    public async Task Stopping_the_pipeline_ends_the_run_within_two_seconds_and_keeps_what_finished()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.DefaultBehavior = new ModelBehavior { FirstTokenDelay = TimeSpan.FromMilliseconds(200), InterTokenDelay = TimeSpan.FromMilliseconds(50), TokenCount = 20 };
        Models(server.BaseUrl.ToString(), "slow");
        _scratch.File("runs/qa.jsonl", Scenarios);
        using var shell = _host.Create();
        shell.AddScript("""
            Set-Location $dir
            Invoke-Eval360Benchmark ./runs/qa.jsonl -ModelProfile ./config/models.jsonl -LatencyOnly -SleepBetweenInvocations 0 -InvocationsPerScenario 50 -ParallelCalls 4
            """);
        _host.Run("$null", new Dictionary<string, object?> { ["dir"] = _scratch.Path });
        var output = new PSDataCollection<PSObject>();
        var firstResults = new SemaphoreSlim(0);
        output.DataAdded += (_, _) => firstResults.Release();
        var running = shell.BeginInvoke<PSObject, PSObject>(null, output);
        for (int i = 0; i < 3; i++)
        {
            Assert.True(await firstResults.WaitAsync(TimeSpan.FromSeconds(30)), "results started arriving");
        }

        var clock = Stopwatch.StartNew();
        shell.Stop();
        clock.Stop();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"stopped after {clock.Elapsed.TotalSeconds:0.00} s");
        Assert.True(running.IsCompleted);
        Assert.Equal(PSInvocationState.Stopped, shell.InvocationStateInfo.State);

        var run = Assert.Single(Directory.GetDirectories(Path.Combine(_scratch.Path, "outputs")));
        var journal = File.ReadAllLines(Path.Combine(run, "journal.jsonl"));
        Assert.True(journal.Length >= output.Count, "everything emitted is on disk");
        Assert.True(journal.Length < 200, "the run did not go on");
        Assert.Contains("\"status\": \"cancelled\"", File.ReadAllText(Path.Combine(run, "run.json")));

        // The user is told which run stopped, how much of it is saved, and the exact command that picks it up.
        var runId = Path.GetFileName(run)["Benchmark-yyyyMMdd-HHmmss-".Length..];
        var warning = Assert.Single(shell.Streams.Warning).Message;
        Assert.Contains($"Eval360 run {runId} was stopped: {journal.Length} of 200 invocations are finished and saved.", warning);
        Assert.Contains($"Invoke-Eval360Benchmark -Resume '{run}'", warning);
        Assert.Contains(shell.Streams.Progress, p => p.Activity.Contains(runId, StringComparison.Ordinal));
    }
}
