using System.Text.Json;
using Eval360.FakeProviders;
using Eval360.Providers;

namespace Eval360.Tests.EndToEnd;

/// <summary>The access check before a run: what leaves a model out, what keeps it in, and what the run records.</summary>
public sealed class AccessCheckTests
{
    [Theory]
    [InlineData(FailureKind.Throttled, ProbeFinding.Throttled)]
    [InlineData(FailureKind.Server, ProbeFinding.TryAgain)]
    [InlineData(FailureKind.Overloaded, ProbeFinding.TryAgain)]
    [InlineData(FailureKind.Network, ProbeFinding.Unavailable)]
    [InlineData(FailureKind.Timeout, ProbeFinding.Unavailable)]
    [InlineData(FailureKind.Auth, ProbeFinding.Unavailable)]
    [InlineData(FailureKind.NotFound, ProbeFinding.Unavailable)]
    [InlineData(FailureKind.InvalidResponse, ProbeFinding.Unavailable)]
    [InlineData(FailureKind.Validation, ProbeFinding.Reachable)]
    [InlineData(FailureKind.ContentFilter, ProbeFinding.Reachable)]
    [InlineData(FailureKind.UnexpectedFinish, ProbeFinding.Reachable)]
    [InlineData(FailureKind.EmptyResponse, ProbeFinding.Reachable)]
    [InlineData(FailureKind.StreamInterrupted, ProbeFinding.Reachable)]
    [InlineData(FailureKind.Stalled, ProbeFinding.Reachable)]
    public void What_a_failed_probe_says_about_a_model(FailureKind failure, ProbeFinding finding) =>
        Assert.Equal(finding, ProbeFindings.Of(new ProviderException(failure, "probe")));

    [Fact]
    public async Task An_endpoint_nothing_listens_on_is_left_out_before_the_run_with_the_reason_and_never_retried()
    {
        await using var harness = await BenchmarkHarness.StartAsync();
        var nowhere = harness.Model("nowhere", endpoint: new Uri("http://127.0.0.1:9/v1"));
        var run = await harness.RunAsync([BenchmarkHarness.Scenario(), BenchmarkHarness.Scenario("Another question")], [harness.Model("ok"), nowhere], [],
            BenchmarkHarness.Options(invocations: 2) with { LatencyOnly = true, MaxRetries = 4 });

        Assert.Equal(4, run.Results.Count);
        Assert.All(run.Results, r => Assert.Equal(("openai-compatible/ok", "Succeeded"), (r.ModelId, r.Status)));
        var warning = Assert.Single(run.Warnings);
        Assert.Equal("ModelInaccessible", warning.Id);
        Assert.Matches("openai-compatible/nowhere .*left out: network: connection failed .*refused", warning.Message);
        var excluded = Assert.Single(Excluded(run));
        Assert.Equal(("openai-compatible/nowhere", "network"), (excluded.GetProperty("model_id").GetString(), excluded.GetProperty("error_code").GetString()));
    }

    [Fact]
    public async Task A_model_that_answers_every_probe_attempt_with_a_server_error_is_left_out_one_that_recovers_stays()
    {
        await using var harness = await BenchmarkHarness.StartAsync();
        harness.Server.Behaviors["down"] = new ModelBehavior { Status = 500, ErrorMessage = "The server had an error" };
        int calls = 0;
        harness.Server.Behaviors["hiccup"] = new ModelBehavior
        {
            PerRequest = _ => Interlocked.Increment(ref calls) <= 2 ? new ModelBehavior { Status = 503, RetryAfter = "0" } : null,
        };
        var run = await harness.RunAsync([BenchmarkHarness.Scenario()], [harness.Model("down"), harness.Model("hiccup")], [],
            BenchmarkHarness.Options() with { LatencyOnly = true });

        Assert.Equal("openai-compatible/hiccup", run.Single().ModelId);
        Assert.Equal("Succeeded", run.Single().Status);
        Assert.Equal([503, 503, 200, 200], harness.Server.Requests.Where(r => r.Model == "hiccup").Select(r => r.StatusCode));
        Assert.Equal([500, 500, 500], harness.Server.Requests.Where(r => r.Model == "down").Select(r => r.StatusCode));
        var warning = Assert.Single(run.Warnings);
        Assert.Contains("openai-compatible/down @ local (candidate) is left out: server: HTTP 500: The server had an error (on each of 3 attempts)", warning.Message);
        Assert.Equal("server", Assert.Single(Excluded(run)).GetProperty("error_code").GetString());
    }

    [Fact]
    public async Task A_model_throttled_at_the_probe_stays_in_the_run_with_a_warning()
    {
        await using var harness = await BenchmarkHarness.StartAsync();
        int calls = 0;
        harness.Server.Behaviors["busy"] = new ModelBehavior
        {
            PerRequest = _ => Interlocked.Increment(ref calls) == 1 ? new ModelBehavior { Status = 429, RetryAfter = "0", ErrorMessage = "Rate limit reached" } : null,
        };
        var run = await harness.RunAsync([BenchmarkHarness.Scenario()], [harness.Model("busy")], [], BenchmarkHarness.Options() with { LatencyOnly = true });

        Assert.Equal("Succeeded", run.Single().Status);
        var warning = Assert.Single(run.Warnings);
        Assert.Equal("ModelThrottled", warning.Id);
        Assert.Contains("openai-compatible/busy @ local (candidate) is throttled already (HTTP 429: Rate limit reached); it stays in the run", warning.Message);
        Assert.Empty(Excluded(run));
    }

    [Fact]
    public async Task When_nothing_answers_the_run_fails_saying_why_for_each_model()
    {
        await using var harness = await BenchmarkHarness.StartAsync();
        var e = await Assert.ThrowsAsync<Eval360.Execution.BenchmarkException>(() => harness.RunAsync([BenchmarkHarness.Scenario()],
            [harness.Model("a", endpoint: new Uri("http://127.0.0.1:9/v1")), harness.Model("b", provider: "ollama", endpoint: new Uri("http://127.0.0.1:9/v1/"))], [],
            BenchmarkHarness.Options() with { LatencyOnly = true }));

        Assert.Equal("NoAccessibleModel", e.ErrorId);
        Assert.Matches("openai-compatible/a: network: .*; ollama/b: network: ", e.Message);
    }

    private static List<JsonElement> Excluded(RunResult run)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.Outcome.Directory.Path, "run.json")));
        return [.. manifest.RootElement.GetProperty("excluded_models").EnumerateArray().Select(e => e.Clone())];
    }
}
