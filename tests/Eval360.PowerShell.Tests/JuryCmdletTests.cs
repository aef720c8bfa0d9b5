using System.Diagnostics;
using System.Management.Automation;
using Eval360.FakeProviders;

namespace Eval360.PowerShell.Tests;

/// <summary>Invoke-Eval360Jury hosted in a runspace, against the in-process fake server.</summary>
public sealed class JuryCmdletTests : IDisposable
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

    private Dictionary<string, object?> Variables => new() { ["dir"] = _scratch.Path };

    /// <summary>A benchmark of "alpha" (2 scenarios × 2 invocations) judged by "old", against the server; returns its directory.</summary>
    private string Benchmark(FakeOpenAIServer server)
    {
        var endpoint = server.BaseUrl.ToString();
        _scratch.File("runs/qa.jsonl", Scenarios);
        _scratch.File("config/models.jsonl", $$"""{"model_id": "openai-compatible/alpha", "region": "local", "input_token_cost": 0.001, "output_token_cost": 0.002, "endpoint": "{{endpoint}}"}""");
        _scratch.File("config/judges.jsonl", $$"""{"model_id": "openai-compatible/old", "input_cost_per_1k": 0.01, "output_cost_per_1k": 0.03, "endpoint": "{{endpoint}}"}""");
        _scratch.File("config/new-judges.jsonl", $$"""
            {"model_id": "openai-compatible/new5", "input_cost_per_1k": 0.01, "output_cost_per_1k": 0.03, "endpoint": "{{endpoint}}"}
            {"model_id": "openai-compatible/new2", "input_cost_per_1k": 0.01, "output_cost_per_1k": 0.03, "endpoint": "{{endpoint}}"}
            """);
        server.Behaviors["old"] = new ModelBehavior { JudgeDefaultScore = 3 };
        server.Behaviors["new5"] = new ModelBehavior { JudgeDefaultScore = 5 };
        server.Behaviors["new2"] = new ModelBehavior { JudgeDefaultScore = 2 };
        var (output, shell) = _host.Run("""
            Set-Location $dir
            Invoke-Eval360Benchmark ./runs/qa.jsonl -ModelProfile ./config/models.jsonl -JudgeProfile ./config/judges.jsonl -SleepBetweenInvocations 0 -ExperimentCount 1 -ExperimentName source -NoReport
            """, Variables);
        Assert.False(shell.HadErrors, string.Join("; ", shell.Streams.Error));
        Assert.Equal(4, output.Count);
        return Assert.Single(Directory.GetDirectories(Path.Combine(_scratch.Path, "outputs")));
    }

    [Fact]
    public async Task A_run_directory_is_judged_again_by_the_new_jury_and_no_candidate_is_called()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var source = Benchmark(server);
        int candidateCalls = server.Requests.Count(r => r.Model == "alpha");

        var (output, shell) = _host.Run("""
            Set-Location $dir
            Get-ChildItem ./outputs -Directory | Invoke-Eval360Jury -JudgeProfile ./config/new-judges.jsonl -JuryAggregation Majority -PassThreshold 4
            """, Variables);

        Assert.False(shell.HadErrors, string.Join("; ", shell.Streams.Error));
        Assert.Equal(candidateCalls, server.Requests.Count(r => r.Model == "alpha"));
        Assert.Equal(4, output.Count);
        var runId = Path.GetFileName(source)["source-".Length..];
        Assert.All(output, o =>
        {
            dynamic result = o.BaseObject;
            Assert.Equal("Eval360.InvocationResult", o.TypeNames[0]);
            Assert.Equal(runId, (string)result.RunId);
            Assert.NotEqual(runId, (string)result.JuryId);
            Assert.Equal(["openai-compatible/new5", "openai-compatible/new2"], ((IEnumerable<dynamic>)result.Judges).Select(j => (string)j.JudgeModelId));
            Assert.Equal(3.5, (double)result.Scores["Correctness"]);
            Assert.Equal(false, (bool?)result.Passed);
        });
        var juryId = (string)output[0].Properties["JuryId"].Value;
        var directory = Path.Combine(_scratch.Path, "outputs", $"source-jury-{juryId}");
        Assert.True(File.Exists(Path.Combine(directory, "report.html")));
        var end = string.Join('\n', shell.Streams.Information.Select(i => i.MessageData.ToString()));
        Assert.Contains($"Eval360 jury {juryId} completed: 4/4 results, 4 judged again, 0 passed through unjudged", end, StringComparison.Ordinal);
        Assert.Contains(shell.Streams.Progress, p => p.Activity.Contains(juryId, StringComparison.Ordinal));

        // Piped results work the same, and the Jury view renders them.
        var (piped, pipedShell) = _host.Run("""
            Set-Location $dir
            Import-Eval360Result ./outputs/source-* | Where-Object ScenarioId -eq (Import-Eval360Result ./outputs/source-*)[0].ScenarioId |
                Invoke-Eval360Jury -JudgeProfile ./config/new-judges.jsonl -NoReport | Format-Table -View Jury | Out-String -Width 120
            """, Variables);
        Assert.False(pipedShell.HadErrors, string.Join("; ", pipedShell.Streams.Error));
        var table = Assert.Single(piped).ToString();
        Assert.Contains("JuryId", table, StringComparison.Ordinal);
        Assert.Contains("2/2", table, StringComparison.Ordinal);
    }

    [Fact]
    public async Task What_if_projects_the_judge_calls_and_calls_nothing()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var source = Benchmark(server);
        long requests = server.RequestCount;
        var (output, shell) = _host.Run("""
            Set-Location $dir
            Invoke-Eval360Jury $source -JudgeProfile ./config/new-judges.jsonl -WhatIf
            """, new Dictionary<string, object?> { ["dir"] = _scratch.Path, ["source"] = source });
        Assert.False(shell.HadErrors, string.Join("; ", shell.Streams.Error));
        Assert.Empty(output);
        Assert.Equal(requests, server.RequestCount);
        Assert.Single(Directory.GetDirectories(Path.Combine(_scratch.Path, "outputs")));
        var plan = string.Join('\n', shell.Streams.Information.Select(i => i.MessageData.ToString()));
        Assert.Contains("would judge 4 saved response(s) again with 2 judge(s): 8 judge calls", plan, StringComparison.Ordinal);
        Assert.Contains("openai-compatible/new5", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stopping_it_keeps_what_finished_and_resume_judges_only_the_rest()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var source = Benchmark(server);
        var many = string.Join('\n', Enumerable.Range(1, 40).Select(i => $$"""{"text_prompt": "Question {{i}}?", "expected_output_tokens": 20, "task": {"task_type": "QA", "task_criteria": "Correct"}, "golden_answer": "{{i}}"}"""));
        _scratch.File("runs/many.jsonl", many);
        _host.Run("""
            Set-Location $dir
            Invoke-Eval360Benchmark ./runs/many.jsonl -ModelProfile ./config/models.jsonl -JudgeProfile ./config/judges.jsonl -SleepBetweenInvocations 0 -ExperimentCount 1 -InvocationsPerScenario 1 -ExperimentName many -NoReport | Out-Null
            """, Variables);
        server.Behaviors["new5"] = new ModelBehavior { JudgeDefaultScore = 5, FirstTokenDelay = TimeSpan.FromMilliseconds(150) };
        _scratch.File("config/slow.jsonl", $$"""{"model_id": "openai-compatible/new5", "input_cost_per_1k": 0.01, "output_cost_per_1k": 0.03, "endpoint": "{{server.BaseUrl}}"}""");

        using var shell = _host.Create();
        shell.AddScript("""
            Set-Location $dir
            Invoke-Eval360Jury ./outputs/many-* -JudgeProfile ./config/slow.jsonl -ParallelCalls 2
            """);
        _host.Run("$null", Variables);
        var output = new PSDataCollection<PSObject>();
        var arrived = new SemaphoreSlim(0);
        output.DataAdded += (_, _) => arrived.Release();
        var running = shell.BeginInvoke<PSObject, PSObject>(null, output);
        for (int i = 0; i < 3; i++)
        {
            Assert.True(await arrived.WaitAsync(TimeSpan.FromSeconds(30)), "results started arriving");
        }

        var clock = Stopwatch.StartNew();
        shell.Stop();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"stopped after {clock.Elapsed.TotalSeconds:0.00} s");
        Assert.True(running.IsCompleted);
        var directory = Assert.Single(Directory.GetDirectories(Path.Combine(_scratch.Path, "outputs"), "many-jury-*"));
        var done = File.ReadAllLines(Path.Combine(directory, "journal.jsonl")).Length;
        Assert.InRange(done, output.Count, 39);
        var warning = Assert.Single(shell.Streams.Warning).Message;
        Assert.Contains($"Invoke-Eval360Jury -Resume '{directory}'", warning, StringComparison.Ordinal);

        int before = server.Requests.Count(r => r.Model == "new5" && r.MaxTokens != 5);
        var (rest, resumed) = _host.Run("Invoke-Eval360Jury -Resume $jury", new Dictionary<string, object?> { ["jury"] = directory });
        Assert.False(resumed.HadErrors, string.Join("; ", resumed.Streams.Error));
        Assert.Equal(40 - done, rest.Count);
        Assert.Equal(40 - done, server.Requests.Count(r => r.Model == "new5" && r.MaxTokens != 5) - before);
        Assert.Equal(40, File.ReadAllLines(Path.Combine(directory, "journal.jsonl")).Length);
        _ = source;
    }

    [Fact]
    public async Task Wrong_inputs_are_terminating_errors_that_say_what_to_do()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var source = Benchmark(server);
        var (_, resumeBenchmark) = _host.Run("Invoke-Eval360Jury -Resume $source", new Dictionary<string, object?> { ["source"] = source });
        var error = Assert.Single(resumeBenchmark.Streams.Error);
        Assert.Equal("InvalidConfiguration,Eval360.PowerShell.Commands.InvokeEval360JuryCommand", error.FullyQualifiedErrorId);
        Assert.Contains("Invoke-Eval360Benchmark -Resume", error.ToString(), StringComparison.Ordinal);

        var (_, notResults) = _host.Run("""
            Set-Location $dir
            Invoke-Eval360Jury ./outputs/no-such-run -JudgeProfile ./config/new-judges.jsonl
            """, Variables);
        var unreadable = Assert.Single(notResults.Streams.Error);
        Assert.Equal(("ResultsUnreadable,Eval360.PowerShell.Commands.InvokeEval360JuryCommand", ErrorCategory.ReadError), (unreadable.FullyQualifiedErrorId, unreadable.CategoryInfo.Category));
        Assert.Contains("no-such-run", unreadable.ToString(), StringComparison.Ordinal);

        var (_, noJudges) = _host.Run("""
            Set-Location $dir
            Invoke-Eval360Jury $source -JudgeProfile ./config/missing.jsonl
            """, new Dictionary<string, object?> { ["dir"] = _scratch.Path, ["source"] = source });
        Assert.Contains("missing.jsonl", Assert.Single(noJudges.Streams.Error).ToString(), StringComparison.Ordinal);
    }
}
