using System.Text.Json;
using Eval360.Execution;
using Eval360.FakeProviders;
using Eval360.Providers.Bedrock;

namespace Eval360.Tests.EndToEnd;

/// <summary>
/// Bedrock service tiers against the fake: a tier Bedrock refuses for a model and region falls back to the default tier
/// (or is dropped when the run has the default tier already), the capability check calls it unavailable, and results
/// carry the tier Bedrock says served them.
/// </summary>
public sealed class ServiceTierTests
{
    private const string Nova = "us.amazon.nova-pro-v1:0";

    private static ModelProfile Bedrock(FakeBedrockServer fake, string? tier = null, ProfileRole role = ProfileRole.Candidate) => new()
    {
        ModelId = $"bedrock/{Nova}",
        Provider = BedrockProvider.Instance.Traits,
        Model = Nova,
        Role = role,
        Region = "us-west-2",
        InputCostPer1K = 0.001,
        OutputCostPer1K = 0.002,
        ServiceTier = tier,
        Endpoint = fake.Origin,
    };

    private static async Task<FakeBedrockServer> StartAsync()
    {
        var bedrock = await AwsTestCredentials.StartFakeAsync();
        bedrock.Behaviors[Nova] = new ModelBehavior { RefusedServiceTiers = ["priority"] };
        return bedrock;
    }

    private static List<BedrockServedRequest> Measured(FakeBedrockServer fake) =>
        [.. fake.Requests.Where(r => r.Operation == "converse-stream" && r.MaxTokens != 5)];

    private static JsonElement Manifest(RunResult run) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(run.Outcome.Directory.Path, "run.json"))).RootElement;

    [Fact]
    public async Task A_refused_tier_runs_at_the_default_tier_with_a_warning_and_says_so_in_results_and_run_json()
    {
        await using var harness = await BenchmarkHarness.StartAsync();
        await using var bedrock = await StartAsync();
        var run = await harness.RunAsync([BenchmarkHarness.Scenario(), BenchmarkHarness.Scenario("Another")], [Bedrock(bedrock, "priority")], [],
            BenchmarkHarness.Options() with { LatencyOnly = true });

        Assert.Equal(2, run.Results.Count);
        Assert.All(run.Results, r =>
        {
            Assert.True(r.Status == "Succeeded", $"{r.ErrorCode}: {r.ErrorMessage}");
            Assert.Equal(($"bedrock/{Nova}", null, "priority"), (r.ModelId, r.ServiceTier, r.ServiceTierFallback));
        });

        // The probe at priority was refused, the default tier checked, and every measured call sent without a tier.
        Assert.Contains(bedrock.Requests, r => r.MaxTokens == 5 && r.ServiceTier == "priority" && r.ErrorType == "ValidationException");
        Assert.Contains(bedrock.Requests, r => r.MaxTokens == 5 && r.ServiceTier is null && r.StatusCode == 200);
        Assert.Equal(2, Measured(bedrock).Count);
        Assert.All(Measured(bedrock), r => Assert.Null(r.ServiceTier));

        var warning = Assert.Single(run.Warnings);
        Assert.Equal("ServiceTierFallback", warning.Id);
        Assert.Matches($"bedrock/{Nova}_priority @ us-west-2 \\(candidate\\): the priority service tier is refused .*ValidationException.*; it runs at the default tier instead", warning.Message);
        var fallback = Assert.Single(Manifest(run).GetProperty("service_tier_fallbacks").EnumerateArray());
        Assert.Equal(("priority", "default_tier", "candidate"),
            (fallback.GetProperty("service_tier").GetString(), fallback.GetProperty("outcome").GetString(), fallback.GetProperty("role").GetString()));
        Assert.Equal([$"bedrock/{Nova}"], Manifest(run).GetProperty("models").EnumerateArray().Select(m => m.GetString()));
        Assert.Empty(Manifest(run).GetProperty("excluded_models").EnumerateArray());

        var csv = File.ReadAllLines(Path.Combine(run.Outcome.Directory.Path, "invocations.csv"));
        var header = csv[0].Split(',');
        Assert.Equal("priority", csv[1].Split(',')[Array.IndexOf(header, "service_tier_fallback")]);
        Assert.Matches($@"(?m) WARN  ServiceTierFellBack: access check: bedrock/{Nova}_priority @ us-west-2 \(candidate\): the priority service tier is refused \(.*ValidationException.*\); it runs at the default tier instead\r?$",
            File.ReadAllText(Path.Combine(run.Outcome.Directory.Path, "run.log")));
    }

    [Fact]
    public async Task A_refused_tier_is_dropped_when_the_run_has_the_model_at_the_default_tier_already()
    {
        await using var harness = await BenchmarkHarness.StartAsync();
        await using var bedrock = await StartAsync();
        var run = await harness.RunAsync([BenchmarkHarness.Scenario(), BenchmarkHarness.Scenario("Another")], [Bedrock(bedrock), Bedrock(bedrock, "priority")], [],
            BenchmarkHarness.Options() with { LatencyOnly = true });

        // Two scenarios once each, at the default tier: no second, duplicate set of calls.
        Assert.Equal(2, run.Results.Count);
        Assert.All(run.Results, r => Assert.Equal(($"bedrock/{Nova}", null, null), (r.ModelId, r.ServiceTier, r.ServiceTierFallback)));
        Assert.Equal(2, Measured(bedrock).Count);
        var warning = Assert.Single(run.Warnings);
        Assert.Equal("ServiceTierDropped", warning.Id);
        Assert.Contains($"dropped, since the run has bedrock/{Nova} at the default tier already", warning.Message);
        var fallback = Assert.Single(Manifest(run).GetProperty("service_tier_fallbacks").EnumerateArray());
        Assert.Equal("dropped", fallback.GetProperty("outcome").GetString());
        Assert.Contains($"WARN  ServiceTierDropped: access check: bedrock/{Nova}_priority @ us-west-2 (candidate): the priority service tier is refused (",
            File.ReadAllText(Path.Combine(run.Outcome.Directory.Path, "run.log")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_whose_default_tier_is_refused_too_is_left_out()
    {
        await using var harness = await BenchmarkHarness.StartAsync();
        await using var bedrock = await StartAsync();
        bedrock.Behaviors["needs-a-profile"] = new ModelBehavior { Status = 400, ErrorMessage = "Invocation of model ID needs-a-profile with on-demand throughput isn't supported." };
        var needsProfile = Bedrock(bedrock, "flex") with { ModelId = "bedrock/needs-a-profile", Model = "needs-a-profile" };
        var run = await harness.RunAsync([BenchmarkHarness.Scenario()], [Bedrock(bedrock), needsProfile], [], BenchmarkHarness.Options() with { LatencyOnly = true });

        Assert.Equal($"bedrock/{Nova}", run.Single().ModelId);
        var excluded = Assert.Single(Manifest(run).GetProperty("excluded_models").EnumerateArray());
        Assert.Equal(("bedrock/needs-a-profile_flex", "validation"), (excluded.GetProperty("model_id").GetString(), excluded.GetProperty("error_code").GetString()));
        Assert.Empty(Manifest(run).GetProperty("service_tier_fallbacks").EnumerateArray());
    }

    [Fact]
    public async Task A_resumed_run_keeps_the_fallback_an_earlier_session_found()
    {
        await using var harness = await BenchmarkHarness.StartAsync();
        await using var bedrock = await StartAsync();
        var run = await harness.RunAsync([BenchmarkHarness.Scenario(), BenchmarkHarness.Scenario("Another")], [Bedrock(bedrock, "priority")], [],
            BenchmarkHarness.Options() with { LatencyOnly = true });
        var directory = run.Outcome.Directory.Path;
        var journal = File.ReadAllLines(Path.Combine(directory, "journal.jsonl"));
        File.WriteAllLines(Path.Combine(directory, "journal.jsonl"), journal[..1]);

        // Even if the tier were offered now, the run goes on as it began: at the default tier, under the same keys.
        bedrock.Behaviors[Nova] = ModelBehavior.Default;
        bedrock.ClearRequests();
        var resumed = Benchmark.Resume(directory, Path.Combine(harness.WorkingDirectory, "outputs"), harness.WorkingDirectory);
        var channel = System.Threading.Channels.Channel.CreateUnbounded<RunEvent>();
        var outcome = await resumed.RunAsync(channel.Writer, CancellationToken.None);

        Assert.Equal((RunStatus.Completed, 2), (outcome.Status, outcome.Finished));
        Assert.All(bedrock.Requests, r => Assert.Null(r.ServiceTier));
        var results = Eval360.Results.RunJournal.Scan(Path.Combine(directory, "journal.jsonl"), new Eval360.Results.ResultScan()).ToList();
        Assert.Equal(2, results.Select(r => r.Key).Distinct().Count());
        Assert.All(results, r => Assert.Equal("priority", r.ServiceTierFallback));
    }

    [Fact]
    public async Task Results_carry_the_tier_bedrock_says_served_them()
    {
        await using var harness = await BenchmarkHarness.StartAsync();
        await using var bedrock = await StartAsync();
        var run = await harness.RunAsync([BenchmarkHarness.Scenario()], [Bedrock(bedrock, "flex"), Bedrock(bedrock)], [], BenchmarkHarness.Options() with { LatencyOnly = true });

        var flex = Assert.Single(run.Results, r => r.ServiceTier == "flex");
        Assert.Equal(($"bedrock/{Nova}_flex", "flex"), (flex.ModelId, flex.ServedServiceTier));
        Assert.Null(Assert.Single(run.Results, r => r.ServiceTier is null).ServedServiceTier);
    }

    [Fact]
    public async Task The_capability_check_calls_a_refused_tier_unavailable_with_its_code_and_the_others_available()
    {
        await using var bedrock = await StartAsync();
        using var work = new TempDirectory();
        var capabilities = await CapabilityCheck.CheckAsync($"bedrock/{Nova}", "us-west-2", null, bedrock.Origin, ProfileRole.Candidate, work.Path, CancellationToken.None);

        Assert.Equal(["default", "priority", "flex"], capabilities.Select(c => c.ServiceTier));
        var priority = capabilities[1];
        Assert.Equal((false, false, "validation"), (priority.Available, priority.Throttled, priority.ErrorCode));
        Assert.Contains("the priority service tier is not offered for this model in us-west-2: HTTP 400 ValidationException", priority.Error);
        Assert.True(capabilities[0].Available);
        Assert.True(capabilities[2].Available);

        var one = Assert.Single(await CapabilityCheck.CheckAsync($"bedrock/{Nova}", "us-west-2", "priority", bedrock.Origin, ProfileRole.Candidate, work.Path, CancellationToken.None));
        Assert.False(one.Available);
        Assert.False(File.Exists(Path.Combine(work.Path, ".cache", "model_capabilities.json")));
    }

    [Fact]
    public async Task The_capability_check_of_one_model_holds_it_to_the_profile_rules()
    {
        using var work = new TempDirectory();
        var e = await Assert.ThrowsAsync<ConfigurationException>(() =>
            CapabilityCheck.CheckAsync($"bedrock/{Nova}", null, "priority", null, ProfileRole.Candidate, work.Path, CancellationToken.None));
        var finding = Assert.Single(e.Findings);
        Assert.Equal(("region", "the parameters (-ModelId, -Region, -ServiceTier, -Endpoint)"), (finding.Field, finding.Path));
    }

    [Fact]
    public async Task One_model_of_a_profile_file_is_checked_with_the_file_s_endpoint_narrowed_by_region_and_tier()
    {
        await using var bedrock = await StartAsync();
        using var work = new TempDirectory();
        var file = work.File("models.jsonl", string.Join('\n',
            $$"""{"model_id": "bedrock/{{Nova}}", "region": "us-west-2", "input_token_cost": 0.001, "output_token_cost": 0.002, "endpoint": "{{bedrock.Origin}}"}""",
            $$"""{"model_id": "bedrock/{{Nova}}", "region": "eu-west-1", "input_token_cost": 0.001, "output_token_cost": 0.002, "endpoint": "{{bedrock.Origin}}"}""",
            """{"model_id": "openai/gpt-4o-mini", "input_token_cost": 0.00015, "output_token_cost": 0.0006}"""));

        // By the name after the provider; the region narrows two profiles to one, which without a tier is tried in each.
        var capabilities = await CapabilityCheck.CheckFromFileAsync(file, Nova, "us-west-2", null, ProfileRole.Candidate, work.Path, CancellationToken.None);
        Assert.Equal(["default", "priority", "flex"], capabilities.Select(c => c.ServiceTier));
        Assert.All(capabilities, c => Assert.Equal("us-west-2", c.Region));
        Assert.Equal([true, false, true], capabilities.Select(c => c.Available));

        var one = Assert.Single(await CapabilityCheck.CheckFromFileAsync(file, $"bedrock/{Nova}", "eu-west-1", "priority", ProfileRole.Candidate, work.Path, CancellationToken.None));
        Assert.Equal(("eu-west-1", "priority"), (one.Region, one.ServiceTier));
        var atDefault = Assert.Single(await CapabilityCheck.CheckFromFileAsync(file, Nova, "us-west-2", "default", ProfileRole.Candidate, work.Path, CancellationToken.None));
        Assert.Equal(("default", true), (atDefault.ServiceTier, atDefault.Available));
        Assert.False(File.Exists(Path.Combine(work.Path, ".cache", "model_capabilities.json")));

        var e = await Assert.ThrowsAsync<ConfigurationException>(() =>
            CapabilityCheck.CheckFromFileAsync(file, "claude-3-haiku", null, null, ProfileRole.Candidate, work.Path, CancellationToken.None));
        var finding = Assert.Single(e.Findings);
        Assert.Equal((file, "model_id"), (finding.Path, finding.Field));
        Assert.Equal($"holds no profile for claude-3-haiku: it has bedrock/{Nova}, openai/gpt-4o-mini", finding.Message);
    }
}
