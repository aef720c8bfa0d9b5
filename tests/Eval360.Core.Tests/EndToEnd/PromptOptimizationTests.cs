using System.Text.Json;
using System.Threading.Channels;
using Eval360.Configuration;
using Eval360.Execution;
using Eval360.FakeProviders;
using Eval360.Providers.Bedrock;

namespace Eval360.Tests.EndToEnd;

/// <summary>
/// -PromptOptimization against the fake Bedrock (OptimizePrompt on its agent-runtime route, SigV4 checked): one
/// optimization per scenario and Bedrock model before the first call, the optimized variant beside or instead of the
/// original, the log, and resumes that never ask twice.
/// </summary>
public sealed class PromptOptimizationTests
{
    private const string Nova = "amazon.nova-pro-v1:0";
    private const string Llama = "meta.llama3-8b-instruct-v1:0";

    private static readonly Scenario[] Scenarios =
    [
        BenchmarkHarness.Scenario("What is the capital of France?"),
        BenchmarkHarness.Scenario("Name the largest planet."),
    ];

    private static ModelProfile Bedrock(FakeBedrockServer fake, string model, string? tier = null) => new()
    {
        ModelId = $"bedrock/{model}",
        Provider = BedrockProvider.Instance.Traits,
        Model = model,
        Region = "us-west-2",
        InputCostPer1K = 0.001,
        OutputCostPer1K = 0.002,
        ServiceTier = tier,
        Endpoint = fake.Origin,
    };

    private static async Task<FakeBedrockServer> StartBedrockAsync()
    {
        var bedrock = await AwsTestCredentials.StartFakeAsync();
        bedrock.Behaviors[Llama] = new ModelBehavior { RefuseOptimization = true };
        return bedrock;
    }

    private static BenchmarkOptions Options(PromptOptimizationMode mode) =>
        BenchmarkHarness.Options() with { LatencyOnly = true, PromptOptimization = mode };

    private static List<BedrockServedRequest> Optimizations(FakeBedrockServer fake) => [.. fake.Requests.Where(r => r.Operation == "optimize-prompt")];

    [Fact]
    public async Task Evaluate_both_runs_the_optimized_prompt_beside_the_original_for_the_bedrock_model_that_supports_it_and_only_the_original_elsewhere()
    {
        await using var harness = await BenchmarkHarness.StartAsync();
        await using var bedrock = await StartBedrockAsync();
        var local = harness.Model("local");
        var run = await harness.RunAsync(Scenarios, [Bedrock(bedrock, Nova), Bedrock(bedrock, Llama), local], [], Options(PromptOptimizationMode.EvaluateBoth));

        Assert.All(run.Results, r => Assert.True(r.Status == "Succeeded", $"{r.ModelId}: {r.ErrorCode}: {r.ErrorMessage}"));
        Assert.Equal(8, run.Results.Count);
        Assert.Equal(8, run.Outcome.Planned);
        var variants = run.Results.GroupBy(r => r.ModelId).ToDictionary(g => g.Key, g => g.Select(r => r.PromptVariant).Order().ToList());
        Assert.Equal(["optimized", "optimized", "original", "original"], variants[$"bedrock/{Nova}"]);
        Assert.Equal(["original", "original"], variants[$"bedrock/{Llama}"]);
        Assert.Equal(["original", "original"], variants["openai-compatible/local"]);

        // One optimization per scenario and Bedrock model, signed for the bedrock service like Converse, before any model call.
        var optimizations = Optimizations(bedrock);
        Assert.Equal(4, optimizations.Count);
        Assert.All(optimizations, o => Assert.True(o.SignatureVerified, o.SignatureProblem));
        Assert.All(optimizations, o => Assert.Equal(("/optimize-prompt", "bedrock", "SigV4"), (o.RawTarget, o.SigningService, o.AuthScheme)));
        Assert.Equal(
            [(Nova, "Name the largest planet."), (Nova, "What is the capital of France?"), (Llama, "Name the largest planet."), (Llama, "What is the capital of France?")],
            optimizations.Select(o => (o.ModelId!, o.Prompt!)).Order());
        var firstModelCall = bedrock.Requests.Where(r => r.Operation == "converse-stream" && r.MaxTokens != 5).Min(r => r.ArrivalTimestamp);
        Assert.All(optimizations, o => Assert.True(o.ArrivalTimestamp < firstModelCall));

        // The optimized variant's requests carry the optimized text; the originals the scenario's own.
        var sent = bedrock.Requests.Where(r => r.Operation == "converse-stream" && r.ModelId == Nova && r.MaxTokens != 5).Select(r => r.Prompt!).Order().ToList();
        Assert.Equal(
            ["Name the largest planet.", $"Optimized for {Nova}: Name the largest planet.", $"Optimized for {Nova}: What is the capital of France?", "What is the capital of France?"],
            sent);
        var optimized = run.Results.Where(r => r.PromptVariant == "optimized").OrderBy(r => r.Prompt, StringComparer.Ordinal).ToList();
        Assert.Equal([$"Optimized for {Nova}: Name the largest planet.", $"Optimized for {Nova}: What is the capital of France?"], optimized.Select(r => r.Prompt));

        // The log says what happened to every scenario and model.
        var log = Log(run);
        Assert.Equal("evaluate_both", log.GetProperty("mode").GetString());
        Assert.Equal((2, 2, 2), (log.GetProperty("optimized").GetInt32(), log.GetProperty("skipped").GetInt32(), log.GetProperty("failed").GetInt32()));
        var entries = log.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(6, entries.Count);
        Assert.All(entries.Where(e => e.GetProperty("model_id").GetString() == $"bedrock/{Nova}"), e =>
        {
            Assert.Equal("optimized", e.GetProperty("status").GetString());
            Assert.StartsWith($"Optimized for {Nova}: ", e.GetProperty("optimized_prompt").GetString());
            Assert.Equal(ModelBehavior.Default.OptimizationAnalysis, e.GetProperty("analysis").GetString());
        });
        Assert.All(entries.Where(e => e.GetProperty("model_id").GetString() == $"bedrock/{Llama}"), e =>
        {
            Assert.Equal("failed", e.GetProperty("status").GetString());
            Assert.Matches("^validation: HTTP 400 ValidationException: Prompt optimization is not supported", e.GetProperty("reason").GetString());
        });
        Assert.All(entries.Where(e => e.GetProperty("model_id").GetString() == "openai-compatible/local"), e =>
        {
            Assert.Equal("skipped", e.GetProperty("status").GetString());
            Assert.Contains("no prompt optimization", e.GetProperty("reason").GetString());
        });
        var warning = Assert.Single(run.Warnings, w => w.Id == "PromptOptimizationFailed");
        Assert.StartsWith("2 of 4 prompt optimization(s) failed", warning.Message);

        // Summaries (summary.json too) and the report name the optimized variant <model>_Prompt_Optimized, and the
        // report puts it beside the original.
        Assert.Equal(
            [$"bedrock/{Nova}", $"bedrock/{Nova}_Prompt_Optimized", $"bedrock/{Llama}", "openai-compatible/local"],
            run.Outcome.Summaries.Select(m => m.ModelId).Order(StringComparer.Ordinal));
        Assert.Equal(2, run.Outcome.Summaries.Single(m => m.ModelId == $"bedrock/{Nova}_Prompt_Optimized").Invocations);
        Assert.Contains($"bedrock/{Nova}_Prompt_Optimized", File.ReadAllText(Path.Combine(run.Outcome.Directory.Path, "summary.json")));
        var report = File.ReadAllText(Path.Combine(run.Outcome.Directory.Path, "report.html"));
        var table = report[report.IndexOf("t-prompt-variants", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("</table>", StringComparison.Ordinal)];
        Assert.Contains("Original and optimized prompts", table);
        // Two regions in the run, so the rows name the region too: the original's row first, the optimized one next.
        int original = table.IndexOf($">bedrock/{Nova} · us-west-2<", StringComparison.Ordinal);
        Assert.InRange(original, 0, table.IndexOf($">bedrock/{Nova}_Prompt_Optimized · us-west-2<", StringComparison.Ordinal) - 1);
        Assert.DoesNotContain(Llama, table);

        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.Outcome.Directory.Path, "run.json")));
        Assert.Equal("prompt_optimization_log.json", manifest.RootElement.GetProperty("prompt_optimization_log").GetString());
        Assert.Equal(8, manifest.RootElement.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task The_originals_keep_the_keys_they_have_without_optimization_and_each_optimized_variant_has_its_own()
    {
        await using var bedrock = await StartBedrockAsync();
        var models = new[] { Bedrock(bedrock, Nova) };
        var plain = BenchmarkPlan.Build(Scenarios, models, [], Options(PromptOptimizationMode.None));
        var both = BenchmarkPlan.Build(Scenarios, models, [], Options(PromptOptimizationMode.EvaluateBoth));

        Assert.Equal(2, plain.Items.Count);
        Assert.Equal(4, both.Items.Count);
        Assert.Equal(plain.Items.Select(i => i.Key).Order(), both.Items.Where(i => i.PromptVariant == "original").Select(i => i.Key).Order());
        Assert.Equal(4, both.Items.Select(i => i.Key).Distinct().Count());
    }

    [Fact]
    public async Task Optimize_only_sends_the_bedrock_model_the_optimized_prompt_instead_and_the_others_their_own()
    {
        await using var harness = await BenchmarkHarness.StartAsync();
        await using var bedrock = await StartBedrockAsync();
        var run = await harness.RunAsync(Scenarios, [Bedrock(bedrock, Nova), Bedrock(bedrock, Llama), harness.Model("local")], [], Options(PromptOptimizationMode.OptimizeOnly));

        Assert.Equal(6, run.Results.Count);
        var nova = run.Results.Where(r => r.ModelId == $"bedrock/{Nova}").ToList();
        Assert.All(nova, r => Assert.Equal("optimized", r.PromptVariant));
        Assert.All(nova, r => Assert.StartsWith($"Optimized for {Nova}: ", r.Prompt));
        Assert.All(run.Results.Where(r => r.ModelId != $"bedrock/{Nova}"), r => Assert.Equal("original", r.PromptVariant));
        Assert.Equal(2, bedrock.Requests.Count(r => r.Operation == "converse-stream" && r.ModelId == Nova && r.MaxTokens != 5));
        Assert.All(bedrock.Requests.Where(r => r.Operation == "converse-stream" && r.ModelId == Nova && r.MaxTokens != 5),
            r => Assert.StartsWith($"Optimized for {Nova}: ", r.Prompt));
        Assert.Equal("optimize_only", Log(run).GetProperty("mode").GetString());
    }

    [Fact]
    public async Task A_resumed_run_reuses_the_logged_prompts_and_asks_only_for_what_the_log_lacks()
    {
        await using var bedrock = await StartBedrockAsync();
        bedrock.Behaviors[Nova] = new ModelBehavior { FirstTokenDelay = TimeSpan.FromMilliseconds(300) };
        using var work = new TempDirectory();
        var options = Options(PromptOptimizationMode.EvaluateBoth) with { OutputDirectory = Path.Combine(work.Path, "outputs"), ParallelCalls = 1 };
        var configuration = new LoadedConfiguration(Scenarios, [Bedrock(bedrock, Nova)], [], []);
        var first = Benchmark.Create(configuration, options, work.Path);

        // Stop the run as soon as its first result is on disk, as Ctrl+C would: the prompts are optimized, the invocations not all made.
        using var stop = new CancellationTokenSource();
        var events = Channel.CreateUnbounded<RunEvent>();
        var running = first.RunAsync(events.Writer, stop.Token);
        await foreach (var item in events.Reader.ReadAllAsync())
        {
            if (item is ResultRecorded)
            {
                await stop.CancelAsync();
                break;
            }
        }

        var outcome = await running;
        Assert.Equal(RunStatus.Cancelled, outcome.Status);
        Assert.Equal(2, Optimizations(bedrock).Count);
        Assert.True(outcome.Finished < 4);

        var resumed = await Drain(Benchmark.Resume(first.Directory, options.OutputDirectory, work.Path));
        Assert.Equal(RunStatus.Completed, resumed.Outcome.Status);
        Assert.Equal(2, Optimizations(bedrock).Count);
        Assert.Equal(4, resumed.Outcome.Finished);

        var all = Eval360.Results.RunJournal.Scan(Path.Combine(first.Directory, "journal.jsonl"), new Eval360.Results.ResultScan()).ToList();
        Assert.Equal(4, all.Select(r => r.Key).Distinct().Count());
        Assert.Equal(2, all.Count(r => r.PromptVariant == "optimized" && r.Prompt.StartsWith($"Optimized for {Nova}: ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_log_that_lacks_an_optimization_gets_only_that_one_on_resume()
    {
        await using var harness = await BenchmarkHarness.StartAsync();
        await using var bedrock = await StartBedrockAsync();
        var run = await harness.RunAsync(Scenarios, [Bedrock(bedrock, Nova)], [], Options(PromptOptimizationMode.EvaluateBoth));
        Assert.Equal(2, Optimizations(bedrock).Count);

        // As if the process had been killed after the first optimization: the log holds one, the journal nothing.
        var directory = run.Outcome.Directory.Path;
        var logPath = Path.Combine(directory, "prompt_optimization_log.json");
        var file = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(logPath))!;
        var entries = file["entries"]!.AsArray();
        var forgotten = entries[1]!["original_prompt"]!.GetValue<string>();
        entries.RemoveAt(1);
        File.WriteAllText(logPath, file.ToJsonString());
        File.WriteAllText(Path.Combine(directory, "journal.jsonl"), string.Empty);

        var resumed = await Drain(Benchmark.Resume(directory, Path.Combine(harness.WorkingDirectory, "outputs"), harness.WorkingDirectory));
        var optimizations = Optimizations(bedrock);
        Assert.Equal(3, optimizations.Count);
        Assert.Equal(forgotten, optimizations[^1].Prompt);
        Assert.Equal(4, resumed.Results.Count);
        Assert.Equal(2, resumed.Results.Count(r => r.PromptVariant == "optimized"));
    }

    [Fact]
    public async Task WhatIf_counts_one_optimization_call_per_scenario_and_bedrock_model_and_the_optimized_variants_among_the_calls()
    {
        await using var harness = await BenchmarkHarness.StartAsync();
        await using var bedrock = await StartBedrockAsync();
        var configuration = new LoadedConfiguration(Scenarios, [Bedrock(bedrock, Nova), Bedrock(bedrock, Nova, "priority"), Bedrock(bedrock, Llama), harness.Model("local")], [], []);
        var benchmark = Benchmark.Create(configuration, Options(PromptOptimizationMode.EvaluateBoth), harness.WorkingDirectory);
        var text = benchmark.DescribePlan();

        // Two scenarios × two Bedrock models (the tiers of one model share its optimization); 2 × (2 + 2 + 2) + 2 model calls.
        Assert.Contains("would make 4 prompt optimization calls, 14 model calls", text);
        Assert.Contains("Prompt optimization (EvaluateBoth): 4 optimization call(s) before the first model call", text);
        Assert.Empty(bedrock.Requests);
    }

    private static JsonElement Log(RunResult run) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(run.Outcome.Directory.Path, "prompt_optimization_log.json"))).RootElement;

    private static async Task<RunResult> Drain(Benchmark benchmark)
    {
        var events = Channel.CreateUnbounded<RunEvent>();
        var outcome = await benchmark.RunAsync(events.Writer, CancellationToken.None);
        events.Writer.Complete();
        var all = new List<RunEvent>();
        await foreach (var item in events.Reader.ReadAllAsync())
        {
            all.Add(item);
        }

        return new RunResult(outcome, all.OfType<ResultRecorded>().Select(r => r.Result).ToList(), all.OfType<RunWarning>().ToList());
    }
}
