using System.Diagnostics;
using System.Text.Json;
using Eval360.FakeProviders;

namespace Eval360.Tests.EndToEnd;

/// <summary>A thousand invocations against a provider that throttles, errs, drops and stalls.</summary>
[Collection(TimingCollection.Name)]
public sealed class FaultInjectionTests
{
    [Fact]
    public async Task Every_invocation_is_accounted_for_and_retries_honour_retry_after()
    {
        await using var harness = await BenchmarkHarness.StartAsync();
        harness.Server.Behaviors["flaky"] = new ModelBehavior
        {
            TokenCount = 10,
            InterTokenDelay = TimeSpan.FromMilliseconds(1),
            PerRequest = ModelBehavior.Faults(seed: 360, throttle429Percent: 10, retryAfterSeconds: 1, server5xxPercent: 5, dropPercent: 2, stallPercent: 1, stallFor: TimeSpan.FromSeconds(30)),
        };
        var scenarios = Enumerable.Range(1, 1000).Select(i => BenchmarkHarness.Scenario($"Question {i}: what is {i} + {i}?")).ToList();
        var options = BenchmarkHarness.Options(parallel: 64) with
        {
            LatencyOnly = true,
            MaxRetries = 4,
            StallTimeout = TimeSpan.FromSeconds(2),
        };

        var run = await harness.RunAsync(scenarios, [harness.Model("flaky")], [], options);

        // Every invocation is accounted for, on disk and in the pipeline, exactly once.
        Assert.Equal(1000, run.Results.Count);
        Assert.Equal(1000, run.Results.Select(r => r.Key).Distinct().Count());
        Assert.Equal(1000, File.ReadAllLines(Path.Combine(run.Outcome.Directory.Path, "journal.jsonl")).Length);
        var succeeded = run.Results.Count(r => r.Status == "Succeeded");
        Assert.True(succeeded >= 990, $"{succeeded} of 1000 succeeded");
        Assert.All(run.Results.Where(r => r.Status != "Succeeded"), r => Assert.False(string.IsNullOrEmpty(r.ErrorCode)));

        // Every request the server saw is an attempt some result counted (plus the one access-check probe).
        var requests = harness.Server.Requests.Where(r => r.Model == "flaky").ToList();
        Assert.Equal(run.Results.Sum(r => r.Retries + 1) + 1, requests.Count);
        Assert.True(run.Results.Count(r => r.Retries > 0) > 100, "faults were injected and retried");
        Assert.Equal(requests.Count(r => r.StatusCode == 429 && r.MaxTokens != 5), run.Results.Sum(r => r.ProviderThrottles));

        // After a 429 with Retry-After: 1, the same invocation's next attempt came at least a second later.
        var byPrompt = requests.Where(r => r.MaxTokens != 5).GroupBy(PromptOf);
        int checkedRetries = 0;
        foreach (var attempts in byPrompt)
        {
            var ordered = attempts.OrderBy(a => a.ArrivalTimestamp).ToList();
            for (int i = 0; i + 1 < ordered.Count; i++)
            {
                if (ordered[i].StatusCode == 429)
                {
                    var gap = (ordered[i + 1].ArrivalTimestamp - ordered[i].ArrivalTimestamp) / (double)Stopwatch.Frequency;
                    Assert.True(gap >= 0.99, $"retried {gap:0.000} s after a 429 asking for 1 s");
                    checkedRetries++;
                }
            }
        }

        Assert.True(checkedRetries >= 50, $"{checkedRetries} retries after 429 were checked");
    }

    private static string PromptOf(ServedRequest request)
    {
        using var body = JsonDocument.Parse(request.BodyJson!);
        return body.RootElement.GetProperty("messages")[0].GetProperty("content").GetString()!;
    }
}
