using Eval360.FakeProviders;
using Eval360.Providers.Bedrock;

namespace Eval360.Tests.EndToEnd;

/// <summary>
/// Whole runs through the engine against the fake Bedrock Runtime: the real AWS SDK credential chain finds the test
/// process's keys, the SDK signs every request, and the fake checks each signature on its own before it answers.
/// </summary>
[Collection(TimingCollection.Name)]
public sealed class BedrockRunTests
{
    private const string Haiku = "us.anthropic.claude-haiku-4-5-20251001-v1:0";

    private static ModelProfile Bedrock(FakeBedrockServer fake, string model, ProfileRole role = ProfileRole.Candidate, string? tier = null) => new()
    {
        ModelId = $"bedrock/{model}",
        Provider = BedrockProvider.Instance.Traits,
        Model = model,
        Role = role,
        Region = "us-west-2",
        InputCostPer1K = role == ProfileRole.Judge ? 0.01 : 0.001,
        OutputCostPer1K = role == ProfileRole.Judge ? 0.03 : 0.002,
        ServiceTier = tier,
        Endpoint = fake.Origin,
    };

    private static IEnumerable<BedrockServedRequest> Measured(FakeBedrockServer fake, string model) =>
        fake.Requests.Where(r => r.ModelId == model && r.MaxTokens != 5);

    [Fact]
    public async Task A_streamed_answer_has_the_servers_text_timing_tokens_and_stop_reason()
    {
        await using var harness = await BenchmarkHarness.StartAsync();
        await using var bedrock = await AwsTestCredentials.StartFakeAsync();
        bedrock.Behaviors[Haiku] = new ModelBehavior
        {
            FirstTokenDelay = TimeSpan.FromMilliseconds(120),
            InterTokenDelay = TimeSpan.FromMilliseconds(5),
            TokenCount = 20,
            UsagePromptTokens = 37,
            UsageCompletionTokens = 21,
        };
        var run = await harness.RunAsync([BenchmarkHarness.Scenario(tokens: 77, temperature: 0.3)], [Bedrock(bedrock, Haiku)], [],
            BenchmarkHarness.Options() with { LatencyOnly = true });
        var result = run.Single();
        var served = Measured(bedrock, Haiku).Single();

        Assert.True(result.Status == "Succeeded", $"{result.ErrorCode}: {result.ErrorMessage}");
        Assert.Equal(string.Concat(Enumerable.Repeat("tok ", 20)), result.Response);
        // messageStart leaves at once, the first token 120 ms later: TTFT is the latter.
        Assert.InRange(result.TimeToFirstToken!.Value, 0.120, 0.140);
        Assert.InRange(result.TimeToFirstToken.Value - served.TimeToFirstContent!.Value.TotalSeconds, -0.002, 0.015);
        Assert.InRange(result.TimeToLastByte!.Value, 0.120 + 19 * 0.005, 2.0);
        Assert.Equal(37, result.InputTokens);
        Assert.Equal(21, result.OutputTokens);
        Assert.False(result.TokensEstimated);
        Assert.Equal((37 * 0.001 + 21 * 0.002) / 1000, result.Cost, 12);
        Assert.Equal("end_turn", result.FinishReason);
        Assert.Equal("us-west-2", result.Region);

        // What went over the wire: the model id escaped in the path, a signature the fake verified for the region's
        // bedrock scope with the session token, and the body's output limit and temperature.
        Assert.True(served.SignatureVerified, served.SignatureProblem);
        Assert.Equal("/model/us.anthropic.claude-haiku-4-5-20251001-v1%3A0/converse-stream", served.RawTarget);
        Assert.Equal(("us-west-2", "bedrock", AwsTestCredentials.AccessKeyId), (served.Region, served.SigningService, served.AccessKeyId));
        Assert.Equal(AwsTestCredentials.SessionToken, served.Headers["X-Amz-Security-Token"]);
        Assert.Equal(77, served.MaxTokens);
        Assert.Equal(0.3, served.Temperature);
        Assert.Equal("What is the capital of France?", served.Prompt);
        Assert.Null(served.SystemPrompt);
        Assert.Null(served.ServiceTier);
        Assert.Null(served.ToolName);
        Assert.Null(served.ImageFormat);
    }

    [Fact]
    public async Task The_service_tier_is_sent_unless_it_is_the_default()
    {
        await using var harness = await BenchmarkHarness.StartAsync();
        await using var bedrock = await AwsTestCredentials.StartFakeAsync();
        var profiles = new[] { Bedrock(bedrock, "tiered-v1:0", tier: "priority"), Bedrock(bedrock, "tiered-v1:0", tier: "flex"), Bedrock(bedrock, "tiered-v1:0", tier: "default") };
        var run = await harness.RunAsync([BenchmarkHarness.Scenario()], profiles, [], BenchmarkHarness.Options() with { LatencyOnly = true });

        Assert.All(run.Results, r => Assert.Equal("Succeeded", r.Status));
        Assert.Equal(["bedrock/tiered-v1:0", "bedrock/tiered-v1:0_flex", "bedrock/tiered-v1:0_priority"], run.Results.Select(r => r.ModelId).Order());
        Assert.Equal([null, "flex", "priority"], Measured(bedrock, "tiered-v1:0").Select(r => r.ServiceTier).Order());
        Assert.All(bedrock.Requests.Where(r => r.Operation is not null), r => Assert.True(r.SignatureVerified));
    }

    [Fact]
    public async Task Stop_reasons_are_kept_and_a_guardrail_or_filter_is_a_content_filter_failure()
    {
        await using var harness = await BenchmarkHarness.StartAsync();
        await using var bedrock = await AwsTestCredentials.StartFakeAsync();
        bedrock.Behaviors["capped"] = new ModelBehavior { FinishReason = "max_tokens" };
        bedrock.Behaviors["guarded"] = new ModelBehavior { FinishReason = "guardrail_intervened" };
        bedrock.Behaviors["filtered"] = new ModelBehavior { FinishReason = "content_filtered" };
        bedrock.Behaviors["sequenced"] = new ModelBehavior { FinishReason = "stop_sequence" };
        var run = await harness.RunAsync([BenchmarkHarness.Scenario()],
            [Bedrock(bedrock, "capped"), Bedrock(bedrock, "guarded"), Bedrock(bedrock, "filtered"), Bedrock(bedrock, "sequenced")], [],
            BenchmarkHarness.Options() with { LatencyOnly = true });
        var byModel = run.Results.ToDictionary(r => r.ModelId);

        Assert.Equal(("Succeeded", "max_tokens"), (byModel["bedrock/capped"].Status, byModel["bedrock/capped"].FinishReason));
        Assert.Equal(("Succeeded", "stop_sequence"), (byModel["bedrock/sequenced"].Status, byModel["bedrock/sequenced"].FinishReason));
        Assert.Equal("content_filter", byModel["bedrock/guarded"].ErrorCode);
        Assert.Equal("content_filter", byModel["bedrock/filtered"].ErrorCode);
        Assert.Contains("guardrail_intervened", byModel["bedrock/guarded"].ErrorMessage);
    }

    [Fact]
    public async Task Reasoning_is_kept_apart_and_counts_as_the_first_token()
    {
        await using var harness = await BenchmarkHarness.StartAsync();
        await using var bedrock = await AwsTestCredentials.StartFakeAsync();
        bedrock.Behaviors["thinker"] = new ModelBehavior { ReasoningTokens = 3, TokenCount = 2, FirstTokenDelay = TimeSpan.FromMilliseconds(50) };
        var result = (await harness.RunAsync([BenchmarkHarness.Scenario()], [Bedrock(bedrock, "thinker")], [],
            BenchmarkHarness.Options() with { LatencyOnly = true })).Single();
        Assert.Equal("think think think ", result.ReasoningResponse);
        Assert.Equal("tok tok ", result.Response);
        Assert.InRange(result.TimeToFirstToken!.Value, 0.050, 0.070);
    }

    [Fact]
    public async Task A_bedrock_jury_answers_through_the_forced_tool_and_its_verdicts_count()
    {
        await using var harness = await BenchmarkHarness.StartAsync();
        await using var bedrock = await AwsTestCredentials.StartFakeAsync();
        bedrock.Behaviors["judge-high"] = new ModelBehavior { JudgeDefaultScore = 5 };
        bedrock.Behaviors["judge-low"] = new ModelBehavior { JudgeDefaultScore = 3, JudgeScores = new Dictionary<string, int> { ["tone"] = 2 } };
        var run = await harness.RunAsync([BenchmarkHarness.Scenario()], [Bedrock(bedrock, Haiku)],
            [Bedrock(bedrock, "judge-high", ProfileRole.Judge), Bedrock(bedrock, "judge-low", ProfileRole.Judge)],
            BenchmarkHarness.Options() with { UserDefinedMetrics = ["tone"] });
        var result = run.Single();

        Assert.Equal("360", result.EvalType);
        Assert.All(result.Judges, j => Assert.Null(j.Error));
        Assert.Equal(4.0, result.Scores["Correctness"]);
        Assert.Equal(3.5, result.Scores["tone"]);
        Assert.True(result.Passed);
        Assert.True(result.JuryCost > 0);
        var judgeCalls = bedrock.Requests.Where(r => r.ModelId is "judge-high" or "judge-low" && r.MaxTokens != 5).ToList();
        Assert.Equal(2, judgeCalls.Count);
        Assert.All(judgeCalls, r =>
        {
            Assert.Equal(("jury_verdict", "jury_verdict"), (r.ToolName, r.ToolChoice));
            Assert.True(r.RepliedWithTool);
            Assert.Equal("tool_use", r.StopReason);
            Assert.NotNull(r.SystemPrompt);
            Assert.Equal(0.0, r.Temperature);
        });
        Assert.All(result.Judges, j => Assert.Contains("Fake verdict", j.Explanation));
    }

    [Fact]
    public async Task A_judge_that_rejects_tools_is_asked_again_without_them_and_remembered()
    {
        await using var harness = await BenchmarkHarness.StartAsync();
        await using var bedrock = await AwsTestCredentials.StartFakeAsync();
        bedrock.Behaviors["no-tools"] = new ModelBehavior { JudgeDefaultScore = 4, RejectResponseFormat = true };
        var run = await harness.RunAsync([BenchmarkHarness.Scenario()], [Bedrock(bedrock, "candidate")], [Bedrock(bedrock, "no-tools", ProfileRole.Judge)],
            BenchmarkHarness.Options(invocations: 2, parallel: 1));

        Assert.All(run.Results, r => Assert.True(r.Passed, string.Join("; ", r.Judges.Select(j => j.Error))));
        var calls = Measured(bedrock, "no-tools").ToList();
        Assert.Equal(3, calls.Count);
        Assert.Equal(("jury_verdict", 400, "ValidationException"), (calls[0].ToolName, calls[0].StatusCode, calls[0].ErrorType));
        Assert.All(calls.Skip(1), c => Assert.Equal((null, 200, false), (c.ToolName, c.StatusCode, c.RepliedWithTool)));
        Assert.All(run.Results, r => Assert.Equal(0, r.Judges.Single().Retries));
    }

    [Fact]
    public async Task With_vision_the_images_bytes_are_sent_and_a_format_bedrock_cannot_read_is_unsupported_input()
    {
        await using var harness = await BenchmarkHarness.StartAsync();
        await using var bedrock = await AwsTestCredentials.StartFakeAsync();
        byte[] png = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4];
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 5, 6, 7, 8];
        byte[] gif = [(byte)'G', (byte)'I', (byte)'F', (byte)'8', (byte)'9', (byte)'a', 9, 9];
        byte[] bmp = [(byte)'B', (byte)'M', 0, 0, 0, 0];
        var local = Path.Combine(harness.WorkingDirectory, "cat.png");
        File.WriteAllBytes(local, png);
        var bitmap = Path.Combine(harness.WorkingDirectory, "old.bmp");
        File.WriteAllBytes(bitmap, bmp);
        bedrock.Files["bird.gif"] = gif;
        Scenario Vision(string prompt, string image) => new() { Prompt = prompt, TaskType = "Vision", TaskCriteria = "Accurate", ImageUrl = image };
        var scenarios = new[]
        {
            Vision("the local file", local),
            Vision("the data uri", $"data:image/jpeg;base64,{Convert.ToBase64String(jpeg)}"),
            Vision("the web image", bedrock.FileUrl("bird.gif").AbsoluteUri),
            Vision("the bitmap", bitmap),
        };
        var run = await harness.RunAsync(scenarios, [Bedrock(bedrock, "eyes")], [], BenchmarkHarness.Options() with { LatencyOnly = true, Vision = true });

        var byPrompt = run.Results.ToDictionary(r => r.Prompt);
        Assert.All(scenarios.Take(3), s => Assert.Equal("Succeeded", byPrompt[s.Prompt].Status));
        Assert.Equal("unsupported_input", byPrompt["the bitmap"].ErrorCode);
        Assert.Contains("image/bmp", byPrompt["the bitmap"].ErrorMessage);
        var sent = Measured(bedrock, "eyes").ToDictionary(r => r.Prompt!);
        Assert.Equal(3, sent.Count);
        foreach (var (prompt, format, bytes) in new[] { ("the local file", "png", png), ("the data uri", "jpeg", jpeg), ("the web image", "gif", gif) })
        {
            Assert.Equal(format, sent[prompt].ImageFormat);
            Assert.Equal(bytes, sent[prompt].ImageBytes);
        }
    }

    [Fact]
    public async Task A_wrong_secret_or_a_refusal_is_an_auth_failure_and_the_model_is_left_out_with_no_secret_shown()
    {
        await using var harness = await BenchmarkHarness.StartAsync();
        await using var bedrock = await AwsTestCredentials.StartFakeAsync();
        await using var otherAccount = await AwsTestCredentials.StartFakeAsync(secret: "SomeoneElsesSecret/0123456789abcdefghijKL");
        bedrock.Behaviors["refused"] = new ModelBehavior { Status = 403, ErrorMessage = "You don't have access to the model with the specified model ID." };
        bedrock.Behaviors["missing"] = new ModelBehavior { Status = 404 };
        var run = await harness.RunAsync([BenchmarkHarness.Scenario()],
            [Bedrock(bedrock, "fine"), Bedrock(otherAccount, "wrong-secret"), Bedrock(bedrock, "refused"), Bedrock(bedrock, "missing")], [],
            BenchmarkHarness.Options() with { LatencyOnly = true });

        Assert.Equal("bedrock/fine", run.Single().ModelId);
        var warnings = string.Join("\n", run.Warnings.Select(w => w.Message));
        Assert.Matches("bedrock/wrong-secret.*auth.*InvalidSignatureException", warnings);
        Assert.Matches("bedrock/refused.*auth.*AccessDeniedException", warnings);
        Assert.Matches("bedrock/missing.*not_found.*ResourceNotFoundException", warnings);

        var refused = Assert.Single(otherAccount.Requests);
        Assert.False(refused.SignatureVerified);
        Assert.Contains("signature we calculated does not match", refused.SignatureProblem);
        // The refusal quotes the canonical request, session token and all, as AWS's does; none of it may surface.
        Assert.Contains(AwsTestCredentials.SessionToken, refused.SignatureProblem);
        Assert.DoesNotContain(AwsTestCredentials.SessionToken, warnings);
        Assert.DoesNotContain(AwsTestCredentials.SecretAccessKey, warnings);
        var written = string.Join("\n", Directory.EnumerateFiles(run.Outcome.Directory.Path, "*", SearchOption.AllDirectories).Select(File.ReadAllText));
        Assert.DoesNotContain(AwsTestCredentials.SessionToken, written);
        Assert.DoesNotContain(AwsTestCredentials.SecretAccessKey, written);
    }

    [Fact]
    public async Task Throttling_is_retried_after_the_servers_retry_after_and_counted()
    {
        await using var harness = await BenchmarkHarness.StartAsync();
        await using var bedrock = await AwsTestCredentials.StartFakeAsync();
        int calls = 0;
        bedrock.Behaviors["busy"] = new ModelBehavior
        {
            PerRequest = request => request.MaxTokens == 5 || Interlocked.Increment(ref calls) > 2 ? null : new ModelBehavior { Status = 429, RetryAfter = "1" },
        };
        var started = DateTime.UtcNow;
        var result = (await harness.RunAsync([BenchmarkHarness.Scenario()], [Bedrock(bedrock, "busy")], [],
            BenchmarkHarness.Options() with { LatencyOnly = true, MaxRetries = 3 })).Single();

        Assert.Equal("Succeeded", result.Status);
        Assert.Equal(2, result.Retries);
        Assert.Equal(2, result.ProviderThrottles);
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromSeconds(2), "each retry waited the server's Retry-After of 1 s");
        Assert.True(result.TimeToLastByte < 0.5, "waits before retries are not latency");
        var attempts = Measured(bedrock, "busy").ToList();
        Assert.Equal([429, 429, 200], attempts.Select(a => a.StatusCode));
        Assert.All(attempts.Take(2), a => Assert.Equal("ThrottlingException", a.ErrorType));
        Assert.All(attempts, a => Assert.True(a.SignatureVerified, "every attempt is signed afresh"));
    }

    [Fact]
    public async Task A_throttling_exception_in_the_stream_is_retried_and_counted_as_a_throttle()
    {
        await using var harness = await BenchmarkHarness.StartAsync();
        await using var bedrock = await AwsTestCredentials.StartFakeAsync();
        int calls = 0;
        bedrock.Behaviors["bursty"] = new ModelBehavior
        {
            PerRequest = request => request.MaxTokens == 5 || Interlocked.Increment(ref calls) > 1 ? null
                : new ModelBehavior { MidStreamErrorAfter = 0, MidStreamExceptionType = "throttlingException" },
        };
        var result = (await harness.RunAsync([BenchmarkHarness.Scenario()], [Bedrock(bedrock, "bursty")], [],
            BenchmarkHarness.Options() with { LatencyOnly = true, MaxRetries = 2 })).Single();

        Assert.Equal("Succeeded", result.Status);
        Assert.Equal(1, result.Retries);
        Assert.Equal(1, result.ProviderThrottles);
        Assert.Equal([ServedOutcome.MidStreamError, ServedOutcome.Completed], Measured(bedrock, "bursty").Select(r => r.Outcome));
    }

    [Fact]
    public async Task A_model_stream_error_mid_answer_is_an_interruption_that_keeps_the_text()
    {
        await using var harness = await BenchmarkHarness.StartAsync();
        await using var bedrock = await AwsTestCredentials.StartFakeAsync();
        bedrock.Behaviors["breaks"] = new ModelBehavior { MidStreamErrorAfter = 2, TokenCount = 10 };
        var result = (await harness.RunAsync([BenchmarkHarness.Scenario()], [Bedrock(bedrock, "breaks")], [],
            BenchmarkHarness.Options() with { LatencyOnly = true })).Single();

        Assert.Equal("Failed", result.Status);
        Assert.Equal("stream_interrupted", result.ErrorCode);
        Assert.Contains("modelStreamErrorException", result.ErrorMessage);
        Assert.Contains("The model stopped sending tokens", result.ErrorMessage);
        Assert.Equal("tok tok ", result.Response);
    }

    [Fact]
    public async Task A_dropped_connection_and_a_stream_without_message_stop_are_interruptions()
    {
        await using var harness = await BenchmarkHarness.StartAsync();
        await using var bedrock = await AwsTestCredentials.StartFakeAsync();
        bedrock.Behaviors["drop"] = new ModelBehavior { DropAfter = 3, TokenCount = 10, FirstTokenDelay = TimeSpan.FromMilliseconds(20), InterTokenDelay = TimeSpan.FromMilliseconds(20) };
        bedrock.Behaviors["cut"] = new ModelBehavior { FinishReason = null, TokenCount = 4 };
        var run = await harness.RunAsync([BenchmarkHarness.Scenario()], [Bedrock(bedrock, "drop"), Bedrock(bedrock, "cut")], [],
            BenchmarkHarness.Options() with { LatencyOnly = true });
        Assert.Equal(2, run.Results.Count);
        Assert.All(run.Results, r => Assert.True(r.ErrorCode == "stream_interrupted", $"{r.ModelId}: {r.ErrorCode}: {r.ErrorMessage}"));
    }

    [Fact]
    public async Task An_unavailable_service_is_overloaded_and_retried_as_often_as_allowed()
    {
        await using var harness = await BenchmarkHarness.StartAsync();
        await using var bedrock = await AwsTestCredentials.StartFakeAsync();
        bedrock.Behaviors["down"] = new ModelBehavior
        {
            PerRequest = r => r.MaxTokens == 5 ? null : new ModelBehavior { Status = 503, RetryAfter = "0" },
        };
        var result = (await harness.RunAsync([BenchmarkHarness.Scenario()], [Bedrock(bedrock, "down")], [],
            BenchmarkHarness.Options() with { LatencyOnly = true, MaxRetries = 2 })).Single();

        Assert.Equal("overloaded", result.ErrorCode);
        Assert.Equal(2, result.Retries);
        Assert.Contains("HTTP 503 ServiceUnavailableException", result.ErrorMessage);
        // The access check's probe (answered), then one attempt and two retries.
        Assert.Equal(4, bedrock.Requests.Count(r => r.ModelId == "down"));
    }
}
