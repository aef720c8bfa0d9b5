using System.Diagnostics;
using Eval360.Configuration;
using Eval360.Execution;
using Eval360.FakeProviders;
using Eval360.Tests.EndToEnd;

namespace Eval360.Tests.Conformance;

/// <summary>
/// What every provider must do the same way, checked through whole runs against each provider's own wire-level fake:
/// streaming timing and usage, finish reasons, retries (the provider's Retry-After honoured, 429 and 5xx retried, the
/// SDK's own retries off), failures in the middle of a stream, stalls, and secrets kept out of everything written.
/// </summary>
[Collection(TimingCollection.Name)]
public sealed class ProviderConformanceTests
{
    public static TheoryData<string> Providers => [.. ProviderUnderTest.Names];

    public static TheoryData<string, int> ProvidersAndRetries()
    {
        var data = new TheoryData<string, int>();
        foreach (var provider in ProviderUnderTest.Names)
        {
            data.Add(provider, 0);
            data.Add(provider, 2);
        }

        return data;
    }

    private static BenchmarkOptions LatencyOnly(int maxRetries = 0) => BenchmarkHarness.Options() with { LatencyOnly = true, MaxRetries = maxRetries };

    private static async Task<InvocationResult> RunOneAsync(ProviderUnderTest provider, string model, BenchmarkOptions options) =>
        (await provider.Harness.RunAsync([BenchmarkHarness.Scenario()], [provider.Profile(model)], [], options)).Single();

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task An_answer_streams_with_the_servers_timing_usage_and_finish_reason(string name)
    {
        await using var provider = await ProviderUnderTest.StartAsync(name);
        provider.Behave("timed", new ModelBehavior
        {
            FirstTokenDelay = TimeSpan.FromMilliseconds(120),
            InterTokenDelay = TimeSpan.FromMilliseconds(5),
            TokenCount = 20,
            UsagePromptTokens = 37,
            UsageCompletionTokens = 21,
        });
        var result = await RunOneAsync(provider, "timed", LatencyOnly());
        var served = Assert.Single(provider.Measured("timed"));

        Assert.True(result.Status == "Succeeded", $"{result.ErrorCode}: {result.ErrorMessage}");
        Assert.Equal(name, result.Provider);
        Assert.Equal("latency", result.EvalType);
        Assert.Equal(string.Concat(Enumerable.Repeat("tok ", 20)), result.Response);

        // Whatever the protocol sends at once (a role-only chunk, message_start, messageStart), the first token leaves
        // 120 ms after the request arrived: time to first token is that, as the server measured it. Never less than the
        // server's delay; how close it is to the server's own flush is the second check (a loaded machine can make the
        // server itself late, which is not the client's error).
        Assert.InRange(result.TimeToFirstToken!.Value, 0.120, 1.0);
        Assert.InRange(result.TimeToFirstToken.Value - served.TimeToFirstContent!.Value.TotalSeconds, -0.002, 0.015);

        // Never faster than the server streamed; the upper bounds only catch gross errors (CI machines stall).
        Assert.InRange(result.TimeToLastByte!.Value, 0.120 + 19 * 0.005, 2.0);
        Assert.InRange(result.InterTokenLatency!.Value, 0.004, 0.05);
        // A tolerance, not rounding to one place: 97.25 and 97.2504 round to different tenths.
        Assert.Equal(21 / result.TimeToLastByte.Value, result.OutputTokensPerSecond!.Value, 0.01);

        // Tokens as the provider reported them, and their cost at the profile's prices (0.001 and 0.002 USD per 1,000).
        Assert.Equal(37, result.InputTokens);
        Assert.Equal(21, result.OutputTokens);
        Assert.False(result.TokensEstimated);
        Assert.Equal(0.000079, result.Cost, 12);
        Assert.Equal(provider.NormalFinish, result.FinishReason);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task The_token_limit_is_a_finished_answer_and_an_unknown_finish_reason_a_failure_that_keeps_the_text(string name)
    {
        await using var provider = await ProviderUnderTest.StartAsync(name);
        provider.Behave("capped", new ModelBehavior { FinishReason = provider.TokenLimit.Behavior });
        provider.Behave("odd", new ModelBehavior { FinishReason = "banana", TokenCount = 3 });
        var run = await provider.Harness.RunAsync([BenchmarkHarness.Scenario()], [provider.Profile("capped"), provider.Profile("odd")], [], LatencyOnly());
        var capped = Assert.Single(run.Results, r => r.ModelId.EndsWith("/capped", StringComparison.Ordinal));
        var odd = Assert.Single(run.Results, r => r.ModelId.EndsWith("/odd", StringComparison.Ordinal));

        Assert.Equal(("Succeeded", provider.TokenLimit.Reported), (capped.Status, capped.FinishReason));
        Assert.Equal(("Failed", "unexpected_finish"), (odd.Status, odd.ErrorCode));
        Assert.Contains("banana", odd.ErrorMessage);
        Assert.Equal("tok tok tok ", odd.Response);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_throttled_call_waits_for_the_providers_retry_after_which_is_not_latency(string name)
    {
        await using var provider = await ProviderUnderTest.StartAsync(name);
        provider.Behave("limited", new ModelBehavior { Status = 429, RetryAfter = "1" }, ModelBehavior.Default);
        var result = await RunOneAsync(provider, "limited", LatencyOnly(maxRetries: 3));
        var attempts = provider.Measured("limited");

        Assert.True(result.Status == "Succeeded", $"{result.ErrorCode}: {result.ErrorMessage}");
        Assert.Equal((1, 1), (result.Retries, result.ProviderThrottles));
        Assert.Equal([429, 200], attempts.Select(a => a.Status));
        var gap = Stopwatch.GetElapsedTime(attempts[0].ArrivalTimestamp, attempts[1].ArrivalTimestamp);
        Assert.True(gap >= TimeSpan.FromSeconds(0.99), $"retried {gap.TotalSeconds:0.000} s after a 429 asking for 1 s");
        Assert.True(result.TimeToLastByte < 0.5, "the wait before the retry is not latency");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Throttling_and_server_errors_are_retried_and_counted(string name)
    {
        await using var provider = await ProviderUnderTest.StartAsync(name);
        provider.Behave("flaky", new ModelBehavior { Status = 429, RetryAfter = "0" }, new ModelBehavior { Status = 500, RetryAfter = "0" }, ModelBehavior.Default);
        var result = await RunOneAsync(provider, "flaky", LatencyOnly(maxRetries: 3));

        Assert.True(result.Status == "Succeeded", $"{result.ErrorCode}: {result.ErrorMessage}");
        Assert.Equal((2, 1), (result.Retries, result.ProviderThrottles));
        Assert.Equal([429, 500, 200], provider.Measured("flaky").Select(a => a.Status));
    }

    [Theory]
    [MemberData(nameof(ProvidersAndRetries))]
    public async Task Every_attempt_is_eval360s_own_the_sdk_retries_nothing(string name, int maxRetries)
    {
        await using var provider = await ProviderUnderTest.StartAsync(name);
        provider.Behave("down", new ModelBehavior { Status = 500, RetryAfter = "0" });
        var result = await RunOneAsync(provider, "down", LatencyOnly(maxRetries));

        // An SDK retrying on its own (OpenAI's does 3 times by default) would show as more requests than attempts counted.
        Assert.Equal(1 + maxRetries, provider.Measured("down").Count);
        Assert.Equal(("Failed", "server", maxRetries), (result.Status, result.ErrorCode, result.Retries));
        Assert.Contains("HTTP 500", result.ErrorMessage);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task An_error_in_the_middle_of_the_stream_is_a_failure_that_keeps_the_text_received(string name)
    {
        await using var provider = await ProviderUnderTest.StartAsync(name);
        provider.Behave("breaks", new ModelBehavior { MidStreamErrorAfter = 2, TokenCount = 10 });
        var result = await RunOneAsync(provider, "breaks", LatencyOnly());

        Assert.Equal(("Failed", provider.MidStreamCode), (result.Status, result.ErrorCode));
        Assert.Contains("mid-stream", result.ErrorMessage, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("tok tok ", result.Response);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_stalled_stream_is_cut_off_at_the_stall_limit_and_keeps_the_text_received(string name)
    {
        await using var provider = await ProviderUnderTest.StartAsync(name);
        provider.Behave("stall", new ModelBehavior { StallAfter = 2, StallFor = TimeSpan.FromSeconds(30), TokenCount = 10 });
        var started = Stopwatch.GetTimestamp();
        var result = await RunOneAsync(provider, "stall", LatencyOnly() with { StallTimeout = TimeSpan.FromSeconds(1) });

        Assert.Equal(("Failed", "stalled"), (result.Status, result.ErrorCode));
        Assert.Equal("tok tok ", result.Response);
        Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(10), "cut off long before the server's 30 s stall ended");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Secrets_a_provider_echoes_reach_no_result_message_or_file(string name)
    {
        await using var provider = await ProviderUnderTest.StartAsync(name);
        var echoed = string.Join(" and ", provider.Secrets);

        // One model refuses every request quoting the secrets (so the access check leaves it out and says why), one
        // rejects the measured request quoting them, one quotes them in an error event in the middle of its answer.
        provider.BehaveAlways("refuses", new ModelBehavior { Status = 403, ErrorMessage = $"Access denied for {echoed}" });
        provider.Behave("rejects", new ModelBehavior { Status = 400, ErrorMessage = $"Malformed request from {echoed}" });
        provider.Behave("spills", new ModelBehavior { MidStreamErrorAfter = 1, ErrorMessage = $"Stream broke for {echoed}", TokenCount = 3 });
        var run = await provider.Harness.RunAsync([BenchmarkHarness.Scenario()], [provider.Profile("refuses"), provider.Profile("rejects"), provider.Profile("spills")], [],
            LatencyOnly());

        // The failures were there to be masked: each message names what happened, with the secrets masked.
        var warning = Assert.Single(run.Warnings);
        Assert.Contains("refuses", warning.Message);
        Assert.Contains("auth", warning.Message);
        Assert.Equal(2, run.Results.Count);
        Assert.All(run.Results, r => Assert.Contains("***", r.ErrorMessage));
        Assert.Contains("Malformed request from ***", string.Join("\n", run.Results.Select(r => r.ErrorMessage)));

        var shown = string.Join("\n", run.Warnings.Select(w => w.Message).Concat(run.Results.Select(r => $"{r.ErrorMessage}\n{r.Response}")));
        var written = string.Join("\n", Directory.EnumerateFiles(run.Outcome.Directory.Path, "*", SearchOption.AllDirectories).Select(File.ReadAllText));
        Assert.Contains("Access denied for ***", written);
        foreach (var secret in provider.Secrets)
        {
            Assert.DoesNotContain(secret, shown);
            Assert.DoesNotContain(secret, written);
        }
    }
}
