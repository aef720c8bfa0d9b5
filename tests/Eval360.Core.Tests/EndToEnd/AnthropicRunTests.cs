using System.Text.Json;
using Eval360.Configuration;
using Eval360.Execution;
using Eval360.FakeProviders;
using Eval360.Jury;

namespace Eval360.Tests.EndToEnd;

/// <summary>Whole runs through the engine and the official Anthropic SDK against the fake Messages API.</summary>
[Collection(TimingCollection.Name)]
public sealed class AnthropicRunTests
{
    private const string Key = "sk-ant-api03-test-0123456789abcdef";

    /// <summary>A 1×1 PNG.</summary>
    private const string Png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

    private static async Task<BenchmarkHarness> StartAsync(string? dotEnvKey = Key)
    {
        var harness = await BenchmarkHarness.StartAsync(new FakeServerOptions { RequiredApiKey = Key });
        harness.DotEnv((dotEnvKey is null ? "" : $"ANTHROPIC_API_KEY={dotEnvKey}\n") + $"OTHER_KEY={Key}\n");
        return harness;
    }

    /// <summary>A model of another provider on the same fake, with its own key: it keeps a run going when Claude is left out.</summary>
    private static ModelProfile Other(BenchmarkHarness harness) => harness.Model("ok", apiKeyEnv: "OTHER_KEY");

    private static ModelProfile Claude(BenchmarkHarness harness, string name, ProfileRole role = ProfileRole.Candidate) =>
        harness.Model(name, provider: "anthropic", role: role, endpoint: harness.Server.AnthropicBaseUrl);

    private static BenchmarkOptions LatencyOnly(int maxRetries = 0) => BenchmarkHarness.Options() with { LatencyOnly = true, MaxRetries = maxRetries };

    private static async Task<InvocationResult> RunOneAsync(BenchmarkHarness harness, string model, BenchmarkOptions? options = null, Scenario? scenario = null) =>
        (await harness.RunAsync([scenario ?? BenchmarkHarness.Scenario()], [Claude(harness, model)], [], options ?? LatencyOnly())).Single();

    /// <summary>Lets the access check's probe (5 output tokens) through untouched, and gives every other request <paramref name="pick"/>'s behaviour.</summary>
    private static Func<FakeRequest, ModelBehavior?> AfterTheProbe(Func<int, ModelBehavior?> pick)
    {
        int calls = 0;
        return request => request.MaxTokens == 5 ? null : pick(Interlocked.Increment(ref calls));
    }

    [Fact]
    public async Task The_request_has_anthropics_shape_key_header_and_pinned_version()
    {
        await using var harness = await StartAsync();
        await RunOneAsync(harness, "claude-shape", scenario: BenchmarkHarness.Scenario("Name a prime.", tokens: 77, temperature: 0.9));
        var served = harness.Server.Requests.Last(r => r.Model == "claude-shape");

        Assert.Equal(ChatRoute.AnthropicMessages, served.Route);
        Assert.Equal("/v1/messages", served.PathAndQuery);
        Assert.Equal(Key, served.Headers["x-api-key"]);
        Assert.Equal("2023-06-01", served.ApiVersion);
        Assert.False(served.HasAuthorization, "the key goes in x-api-key only, never as a bearer token");
        Assert.True(served.Stream);
        Assert.Equal(77, served.MaxTokens);
        Assert.Equal(0.9, served.Temperature);
        Assert.Null(served.ForcedTool);

        using var body = JsonDocument.Parse(served.BodyJson!);
        var message = Assert.Single(body.RootElement.GetProperty("messages").EnumerateArray());
        Assert.Equal("user", message.GetProperty("role").GetString());
        var text = Assert.Single(message.GetProperty("content").EnumerateArray());
        Assert.Equal("text", text.GetProperty("type").GetString());
        Assert.Equal("Name a prime.", text.GetProperty("text").GetString());
        Assert.False(body.RootElement.TryGetProperty("tools", out _));
    }

    [Fact]
    public async Task A_temperature_above_anthropics_maximum_is_sent_as_the_maximum()
    {
        await using var harness = await StartAsync();
        var result = await RunOneAsync(harness, "claude-hot", scenario: BenchmarkHarness.Scenario(temperature: 1.6));
        Assert.Equal("Succeeded", result.Status);
        Assert.Equal(1.0, harness.Server.Requests.Last(r => r.Model == "claude-hot").Temperature);
    }

    [Fact]
    public async Task Thinking_is_kept_as_reasoning_and_counts_as_the_first_token()
    {
        await using var harness = await StartAsync();
        harness.Server.Behaviors["claude-thinker"] = new ModelBehavior { ReasoningTokens = 3, TokenCount = 2, FirstTokenDelay = TimeSpan.FromMilliseconds(50) };
        var result = await RunOneAsync(harness, "claude-thinker");
        Assert.Equal("think think think ", result.ReasoningResponse);
        Assert.Equal("tok tok ", result.Response);
        Assert.InRange(result.TimeToFirstToken!.Value, 0.050, 0.070);
        Assert.Equal(5, result.OutputTokens);
    }

    [Fact]
    public async Task An_anthropic_judge_answers_through_a_forced_tool_and_the_jury_works()
    {
        await using var harness = await StartAsync();
        harness.Server.Behaviors["claude-judge-5"] = new ModelBehavior { JudgeDefaultScore = 5, UsagePromptTokens = 900, UsageCompletionTokens = 60 };
        harness.Server.Behaviors["claude-judge-3"] = new ModelBehavior { JudgeDefaultScore = 3, JudgeScores = new Dictionary<string, int> { ["tone"] = 2 } };
        ModelProfile Judge(string name) => Claude(harness, name, ProfileRole.Judge) with { InputCostPer1K = 0.01, OutputCostPer1K = 0.03 };
        var run = await harness.RunAsync([BenchmarkHarness.Scenario()], [Claude(harness, "claude-candidate")], [Judge("claude-judge-5"), Judge("claude-judge-3")],
            BenchmarkHarness.Options() with { UserDefinedMetrics = ["tone"] });
        var result = run.Single();

        Assert.Equal("Succeeded", result.Status);
        Assert.All(result.Judges, j => Assert.Null(j.Error));
        Assert.Equal(Dimensions.Core.Count + 1, result.Scores.Count);
        Assert.Equal(4.0, result.Scores["Correctness"]);
        Assert.Equal(3.5, result.Scores["tone"]);
        Assert.True(result.Passed);
        var strict = Assert.Single(result.Judges, j => j.JudgeModelId == "anthropic/claude-judge-5");
        Assert.Equal(900, strict.InputTokens);
        Assert.Equal(60, strict.OutputTokens);
        Assert.Equal((900 * 0.01 + 60 * 0.03) / 1000, strict.Cost, 12);

        var judged = harness.Server.Requests.Where(r => r.Model is "claude-judge-5" or "claude-judge-3" && r.MaxTokens != 5).ToList();
        Assert.Equal(2, judged.Count);
        Assert.All(judged, r =>
        {
            Assert.Equal("jury_verdict", r.ForcedTool);
            Assert.Equal(0.0, r.Temperature);
            Assert.True(r.ContentChunksSent > 3, "the verdict streams as several input_json_delta fragments");
            using var body = JsonDocument.Parse(r.BodyJson!);
            var tool = Assert.Single(body.RootElement.GetProperty("tools").EnumerateArray());
            Assert.True(tool.GetProperty("input_schema").GetProperty("properties").GetProperty("scores").GetProperty("properties").TryGetProperty("tone", out _));
            Assert.Equal("tool", body.RootElement.GetProperty("tool_choice").GetProperty("type").GetString());
            Assert.False(string.IsNullOrEmpty(body.RootElement.GetProperty("system").GetString()));
        });
    }

    [Fact]
    public async Task Overloaded_529s_are_retried_and_counted()
    {
        await using var harness = await StartAsync();
        harness.Server.Behaviors["claude-busy"] = new ModelBehavior
        {
            PerRequest = AfterTheProbe(call => call <= 2 ? new ModelBehavior { Status = 529, RetryAfter = "0" } : null),
        };
        var result = await RunOneAsync(harness, "claude-busy", LatencyOnly(maxRetries: 3));
        Assert.Equal("Succeeded", result.Status);
        Assert.Equal(2, result.Retries);
        Assert.Equal(0, result.ProviderThrottles);
        Assert.Equal(2, harness.Server.Requests.Count(r => r.Model == "claude-busy" && r.StatusCode == 529));
    }

    [Fact]
    public async Task Without_retry_after_a_throttled_call_waits_for_the_exhausted_limit_to_reset()
    {
        await using var harness = await StartAsync();
        harness.Server.Behaviors["claude-reset"] = new ModelBehavior
        {
            // The token limit resets now, the exhausted request limit in 1.2 s: waiting for the earliest would be too soon.
            PerRequest = AfterTheProbe(call => call == 1 ? new ModelBehavior { Status = 429, RateLimitReset = TimeSpan.FromSeconds(1.2) } : null),
        };
        var started = DateTime.UtcNow;
        var result = await RunOneAsync(harness, "claude-reset", LatencyOnly(maxRetries: 3));
        Assert.Equal("Succeeded", result.Status);
        Assert.Equal(1, result.ProviderThrottles);
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromSeconds(1.1), $"waited {(DateTime.UtcNow - started).TotalSeconds:0.000} s");
        var throttled = harness.Server.Requests.Single(r => r.Model == "claude-reset" && r.StatusCode == 429);
        var retried = harness.Server.Requests.Last(r => r.Model == "claude-reset");
        Assert.True(retried.ArrivalTimestamp > throttled.LastByteFlushTimestamp);
    }

    [Theory]
    [InlineData("overloaded_error", "overloaded", 0)]
    [InlineData("rate_limit_error", "throttled", 1)]
    [InlineData("api_error", "server", 0)]
    [InlineData("invalid_request_error", "stream_interrupted", 0)]
    public async Task A_mid_stream_error_event_is_classified_and_keeps_the_partial_text(string errorType, string code, int throttles)
    {
        await using var harness = await StartAsync();
        harness.Server.Behaviors["claude-breaks"] = new ModelBehavior
        {
            PerRequest = AfterTheProbe(_ => new ModelBehavior { MidStreamErrorAfter = 2, TokenCount = 10, ErrorType = errorType }),
        };
        var result = await RunOneAsync(harness, "claude-breaks");
        Assert.Equal("Failed", result.Status);
        Assert.Equal(code, result.ErrorCode);
        Assert.Contains(errorType, result.ErrorMessage);
        Assert.Equal("tok tok ", result.Response);
        Assert.Equal(throttles, result.ProviderThrottles);
    }

    [Theory]
    [InlineData("refusal", "content_filter")]
    [InlineData("pause_turn", "unexpected_finish")]
    public async Task Stop_reasons_that_are_not_a_finished_answer_are_classified(string stopReason, string code)
    {
        await using var harness = await StartAsync();
        harness.Server.Behaviors["claude-stops"] = new ModelBehavior
        {
            PerRequest = AfterTheProbe(_ => new ModelBehavior { FinishReason = stopReason, TokenCount = 3 }),
        };
        var result = await RunOneAsync(harness, "claude-stops");
        Assert.Equal("Failed", result.Status);
        Assert.Equal(code, result.ErrorCode);
        Assert.Contains(stopReason, result.ErrorMessage);
        Assert.Equal("tok tok tok ", result.Response);
    }

    [Fact]
    public async Task A_dropped_connection_and_a_missing_message_stop_are_interruptions()
    {
        await using var harness = await StartAsync();
        harness.Server.Behaviors["claude-drop"] = new ModelBehavior { DropAfter = 3, TokenCount = 10, FirstTokenDelay = TimeSpan.FromMilliseconds(20), InterTokenDelay = TimeSpan.FromMilliseconds(20) };
        harness.Server.Behaviors["claude-cut"] = new ModelBehavior { FinishReason = null, OmitDone = true, TokenCount = 4 };
        var run = await harness.RunAsync([BenchmarkHarness.Scenario()], [Claude(harness, "claude-drop"), Claude(harness, "claude-cut")], [], LatencyOnly());
        Assert.Equal(2, run.Results.Count);
        Assert.All(run.Results, r => Assert.True(r.ErrorCode == "stream_interrupted", $"{r.ModelId}: {r.ErrorCode}: {r.ErrorMessage}"));
    }

    [Fact]
    public async Task Without_a_key_the_model_is_left_out_with_the_variable_to_set()
    {
        await using var harness = await StartAsync(dotEnvKey: null);
        var run = await harness.RunAsync([BenchmarkHarness.Scenario()], [Other(harness), Claude(harness, "claude-nokey")], [], LatencyOnly());
        Assert.All(run.Results, r => Assert.Equal("openai-compatible/ok", r.ModelId));
        var warning = Assert.Single(run.Warnings);
        Assert.Contains("anthropic/claude-nokey", warning.Message);
        Assert.Contains("ANTHROPIC_API_KEY", warning.Message);
        Assert.DoesNotContain(harness.Server.Requests, r => r.Model == "claude-nokey");
    }

    [Fact]
    public async Task A_wrong_key_is_refused_left_out_and_never_shown()
    {
        const string wrong = "sk-ant-api03-wrong-key-9876543210";
        await using var harness = await StartAsync(dotEnvKey: wrong);
        var run = await harness.RunAsync([BenchmarkHarness.Scenario()], [Other(harness), Claude(harness, "claude-denied")], [], LatencyOnly());
        var warning = Assert.Single(run.Warnings);
        Assert.Contains("auth", warning.Message);
        Assert.Contains("invalid x-api-key", warning.Message);
        Assert.DoesNotContain(wrong, warning.Message);
        // Refused before its body was read, as Anthropic refuses a wrong key.
        var refused = Assert.Single(harness.Server.Requests, r => r.Route == ChatRoute.AnthropicMessages);
        Assert.Equal(401, refused.StatusCode);
        Assert.Equal(wrong, refused.Headers["x-api-key"]);
    }

    [Fact]
    public async Task Images_go_inline_as_base64_or_by_url()
    {
        await using var harness = await StartAsync();
        Scenario WithImage(string prompt, string image) => new()
        {
            Prompt = prompt,
            TaskType = "QA",
            TaskCriteria = "Describes the image",
            ImageUrl = image,
            ExpectedOutputTokens = 32,
        };
        var run = await harness.RunAsync(
            [WithImage("inline", $"data:image/png;base64,{Png}"), WithImage("remote", "https://example.com/cat.jpg")],
            [Claude(harness, "claude-eyes")], [], LatencyOnly() with { Vision = true });
        Assert.All(run.Results, r => Assert.Equal("Succeeded", r.Status));

        JsonElement Source(string prompt)
        {
            var served = harness.Server.Requests.Last(r => r.Model == "claude-eyes" && r.BodyJson!.Contains(prompt, StringComparison.Ordinal));
            using var body = JsonDocument.Parse(served.BodyJson!);
            var content = body.RootElement.GetProperty("messages")[0].GetProperty("content");
            Assert.Equal("text", content[0].GetProperty("type").GetString());
            Assert.Equal("image", content[1].GetProperty("type").GetString());
            return content[1].GetProperty("source").Clone();
        }

        var base64 = Source("inline");
        Assert.Equal("base64", base64.GetProperty("type").GetString());
        Assert.Equal("image/png", base64.GetProperty("media_type").GetString());
        Assert.Equal(Png, base64.GetProperty("data").GetString());
        var url = Source("remote");
        Assert.Equal("url", url.GetProperty("type").GetString());
        Assert.Equal("https://example.com/cat.jpg", url.GetProperty("url").GetString());
    }
}
