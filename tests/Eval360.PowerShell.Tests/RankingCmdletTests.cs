using System.Management.Automation;
using Eval360.FakeProviders;

namespace Eval360.PowerShell.Tests;

/// <summary>Get-Eval360Summary's and New-Eval360Report's ranking parameters, the ModelSummary view, and -SummaryModel over the wire.</summary>
public sealed class RankingCmdletTests : IDisposable
{
    /// <summary>
    /// Defines New-Result and $results: a fast model that passes 12 of 40 answers and a slow one that passes 36 of 40
    /// (composite 65 and 60.65 by hand, see ModelRankingTests), in two runs.
    /// </summary>
    private const string Results = """
        function New-Result([string] $Model, [bool] $Passed, [double] $Ttft, [double] $Cost, [string] $Run, [int] $Index) {
            $r = [Eval360.InvocationResult]::new()
            $r.RunId = $Run; $r.ModelId = $Model; $r.Provider = 'p'; $r.Region = 'us-east-1'; $r.ScenarioId = "s$($Index % 10)"
            $r.Invocation = $Index; $r.EvalType = '360'; $r.TimeToFirstToken = $Ttft; $r.TimeToLastByte = $Ttft + 1; $r.OutputTokens = 100
            $r.Cost = $Cost; $r.Passed = $Passed; $r.Prompt = 'PROMPT-MARKER'; $r.Response = 'ANSWER-MARKER'
            $r.StartedAt = [DateTimeOffset]::new(2025, 3, 1, 12, 0, 0, [TimeSpan]::Zero).AddSeconds($Index)
            $scores = [System.Collections.Generic.Dictionary[string, double]]::new()
            $scores['Correctness'] = $Model -eq 'p/fast-failing' ? 2.2 : 4.6
            $r.Scores = $scores
            $r
        }
        $results = foreach ($i in 0..39) {
            New-Result 'p/fast-failing' ($i -lt 12) 0.05 0.0001 ($i -lt 20 ? 'monday' : 'tuesday') $i
            New-Result 'p/slow-passing' ($i -lt 36) 2.0 0.01 ($i -lt 20 ? 'monday' : 'tuesday') $i
        }
        """;

    private readonly HostedPowerShell _host = new();
    private readonly Scratch _scratch = new();

    public void Dispose()
    {
        _host.Dispose();
        _scratch.Dispose();
    }

    [Fact]
    public void The_summary_ranks_above_the_floor_first_and_says_how()
    {
        var (output, shell) = _host.Run(Results + "\n$results | Get-Eval360Summary");
        Assert.False(shell.HadErrors, string.Join("; ", shell.Streams.Error));
        Assert.Equal(["p/slow-passing", "p/fast-failing"], output.Select(o => (string)o.Properties["ModelId"].Value));
        Assert.Equal([1, 2], output.Select(o => (int)o.Properties["Rank"].Value));
        Assert.Equal([false, true], output.Select(o => (bool)o.Properties["BelowQualityFloor"].Value));
        Assert.Equal(60.65, (double)output[0].Properties["CompositeScore"].Value, 2);
        Assert.Equal([true, true], output.Select(o => (bool)o.Properties["ParetoOptimal"].Value));
        var note = Assert.Single(shell.Streams.Information).MessageData.ToString();
        Assert.StartsWith("Ranked by composite score (quality 50%, latency 20%, cost 15%, reliability 15%); models with a pass rate under 50% rank last.", note, StringComparison.Ordinal);
    }

    [Fact]
    public void Weights_and_the_floor_reorder_and_group_by_run_splits()
    {
        var (unfloored, shell) = _host.Run(Results + "\n$results | Get-Eval360Summary -QualityFloor 0");
        Assert.False(shell.HadErrors, string.Join("; ", shell.Streams.Error));
        Assert.Equal(["p/fast-failing", "p/slow-passing"], unfloored.Select(o => (string)o.Properties["ModelId"].Value));

        var (quality, qualityShell) = _host.Run(Results + "\n$results | Get-Eval360Summary -QualityFloor 0 -Weights @{ Quality = 1; Latency = 0; Cost = '0'; Reliability = 0 }");
        Assert.Equal(["p/slow-passing", "p/fast-failing"], quality.Select(o => (string)o.Properties["ModelId"].Value));
        Assert.Contains("quality 100%, latency 0%, cost 0%, reliability 0%", qualityShell.Streams.Information.Single().MessageData.ToString(), StringComparison.Ordinal);

        var (byRun, _) = _host.Run(Results + "\n$results | Get-Eval360Summary -GroupBy Run | Sort-Object ModelId, RunId");
        Assert.Equal(["monday", "tuesday", "monday", "tuesday"], byRun.Select(o => (string)o.Properties["RunId"].Value));
        // fast-failing passed its first 12: all in monday's 20, none of tuesday's.
        Assert.Equal([12 / 20.0, 0.0, 1.0, 16 / 20.0], byRun.Select(o => (double)o.Properties["PassRate"].Value));
    }

    [Fact]
    public void A_weight_for_no_component_ends_the_command_with_an_error_that_names_the_components()
    {
        var (output, shell) = _host.Run(Results + "\ntry { $results | Get-Eval360Summary -Weights @{ Speed = 1 } } catch { $_ }");
        var error = Assert.IsType<ErrorRecord>(Assert.Single(output).BaseObject);
        Assert.StartsWith("InvalidWeights", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains("use Quality, Latency, Cost, Reliability", error.Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_table_marks_rank_ties_and_the_frontier_within_120_columns()
    {
        var (output, shell) = _host.Run(Results + "\n$results | Get-Eval360Summary 6>$null | Format-Table | Out-String -Width 120");
        Assert.False(shell.HadErrors, string.Join("; ", shell.Streams.Error));
        var lines = ((string)output.Single().BaseObject).Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length > 0).ToList();
        Assert.StartsWith("Rank ModelId", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("1 *  p/slow-passing", lines[2], StringComparison.Ordinal);
        Assert.StartsWith("2 *  p/fast-failing", lines[3], StringComparison.Ordinal);
        Assert.Equal("[below floor]", lines[4].Trim());
        Assert.All(lines, l => Assert.True(l.Length <= 120, $"{l.Length} columns: {l}"));
        Assert.Contains("Calls", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task New_report_asks_the_summary_model_with_the_figures_only_and_labels_its_text()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Behaviors["analyst"] = new ModelBehavior { Reply = "Pick p/slow-passing.", UsagePromptTokens = 1000, UsageCompletionTokens = 100 };
        _scratch.File("config/models.jsonl", $$"""{"model_id": "openai-compatible/analyst", "input_token_cost": 0.001, "output_token_cost": 0.002, "endpoint": "{{server.BaseUrl}}"}""");

        var (whatIf, whatIfShell) = _host.Run(Results + "\nSet-Location $dir\n$results | New-Eval360Report -OutputPath ./r.html -SummaryModel openai-compatible/analyst -ModelProfile ./config/models.jsonl -WhatIf",
            new Dictionary<string, object?> { ["dir"] = _scratch.Path });
        Assert.Empty(whatIf);
        Assert.False(whatIfShell.HadErrors);
        Assert.Equal(0, server.RequestCount);

        var (output, shell) = _host.Run(Results + "\nSet-Location $dir\n$results | New-Eval360Report -OutputPath ./r.html -SummaryModel openai-compatible/analyst -ModelProfile ./config/models.jsonl",
            new Dictionary<string, object?> { ["dir"] = _scratch.Path });
        Assert.False(shell.HadErrors, string.Join("; ", shell.Streams.Error));
        var html = File.ReadAllText(Path.Combine(_scratch.Path, "r.html"));
        Assert.Contains("<strong>Model-written.</strong> Written by a model, openai-compatible/analyst", html, StringComparison.Ordinal);
        Assert.Contains("<div class=\"prose\">Pick p/slow-passing.</div>", html, StringComparison.Ordinal);
        // 1000 × $0.001 / 1000 + 100 × $0.002 / 1000 = $0.0012
        Assert.Contains("openai-compatible/analyst: $0.0012 (1,000 input and 100 output tokens)", html, StringComparison.Ordinal);
        var served = Assert.Single(server.Requests);
        Assert.Contains("p/slow-passing", served.BodyJson, StringComparison.Ordinal);
        Assert.DoesNotContain("MARKER", served.BodyJson, StringComparison.Ordinal);
    }

    [Fact]
    public void A_summary_model_not_in_the_profile_file_is_an_error_and_writes_nothing()
    {
        _scratch.File("config/models.jsonl", """{"model_id": "openai/gpt-4o-mini", "input_token_cost": 0.00015, "output_token_cost": 0.0006}""");
        var (output, _) = _host.Run(Results + "\nSet-Location $dir\ntry { $results | New-Eval360Report -OutputPath ./r.html -SummaryModel openai/gpt-5 -ModelProfile ./config/models.jsonl } catch { $_ }",
            new Dictionary<string, object?> { ["dir"] = _scratch.Path });
        var error = Assert.IsType<ErrorRecord>(Assert.Single(output).BaseObject);
        Assert.StartsWith("SummaryModelNotFound", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("it has openai/gpt-4o-mini", error.Exception.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_scratch.Path, "r.html")));
    }
}
