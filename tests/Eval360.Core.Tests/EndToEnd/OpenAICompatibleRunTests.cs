using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Text.Json;
using System.Threading.Channels;
using Eval360.Configuration;
using Eval360.Execution;
using Eval360.FakeProviders;

namespace Eval360.Tests.EndToEnd;

/// <summary>Whole runs through the engine and the real OpenAI SDK against the fake OpenAI-compatible server.</summary>
[Collection(TimingCollection.Name)]
public sealed class OpenAICompatibleRunTests
{
    [Fact]
    public async Task The_request_carries_usage_option_output_limit_and_temperature_and_no_made_up_key()
    {
        await using var harness = await BenchmarkHarness.StartAsync();
        await harness.RunAsync([BenchmarkHarness.Scenario(tokens: 77, temperature: 0.9)], [harness.Model("m")], [], BenchmarkHarness.Options() with { LatencyOnly = true });
        var served = harness.Server.Requests.Last(r => r.Model == "m");
        Assert.True(served.Stream);
        Assert.True(served.IncludeUsage);
        Assert.Equal(77, served.MaxTokens);
        Assert.Null(served.MaxCompletionTokens);
        Assert.Equal(0.9, served.Temperature);
        Assert.False(served.HasAuthorization);
    }

    [Fact]
    public async Task Openai_profiles_send_the_key_from_dot_env_and_the_new_token_limit()
    {
        await using var harness = await BenchmarkHarness.StartAsync(new FakeServerOptions { RequiredApiKey = "sk-test-key-0123456789" });
        harness.DotEnv("OPENAI_API_KEY=sk-test-key-0123456789\n");
        var run = await harness.RunAsync([BenchmarkHarness.Scenario(tokens: 50)], [harness.Model("gpt-test", provider: "openai")], [], BenchmarkHarness.Options() with { LatencyOnly = true });
        Assert.Equal("Succeeded", run.Single().Status);
        var served = harness.Server.Requests.Last(r => r.Model == "gpt-test");
        Assert.Equal(50, served.MaxCompletionTokens);
        Assert.Equal("Bearer sk-test-key-0123456789", served.Headers["Authorization"]);
    }

    [Fact]
    public async Task Gemini_goes_through_its_openai_compatible_path_with_its_key()
    {
        await using var harness = await BenchmarkHarness.StartAsync(new FakeServerOptions { RequiredApiKey = "gemini-key-0123456789" });
        harness.DotEnv("GOOGLE_API=gemini-key-0123456789\n");
        var run = await harness.RunAsync([BenchmarkHarness.Scenario()], [harness.Model("gemini-2.0-flash", provider: "gemini", endpoint: harness.Server.GeminiBaseUrl)], [],
            BenchmarkHarness.Options() with { LatencyOnly = true });
        Assert.Equal("Succeeded", run.Single().Status);
        Assert.Contains(harness.Server.Requests, r => r.Route == ChatRoute.Gemini && r.Model == "gemini-2.0-flash");
    }

    [Fact]
    public async Task A_dropped_connection_and_a_missing_done_are_interruptions()
    {
        await using var harness = await BenchmarkHarness.StartAsync();
        // Tokens 20 ms apart, so the client is reading the body (not still waiting for headers) when the connection drops.
        harness.Server.Behaviors["drop"] = new ModelBehavior { DropAfter = 3, TokenCount = 10, FirstTokenDelay = TimeSpan.FromMilliseconds(20), InterTokenDelay = TimeSpan.FromMilliseconds(20) };
        harness.Server.Behaviors["nodone"] = new ModelBehavior { FinishReason = null, OmitDone = true, TokenCount = 4 };
        var run = await harness.RunAsync([BenchmarkHarness.Scenario()], [harness.Model("drop"), harness.Model("nodone")], [], BenchmarkHarness.Options() with { LatencyOnly = true });
        Assert.All(run.Results, r => Assert.True(r.ErrorCode == "stream_interrupted", $"{r.ModelId}: {r.ErrorCode}: {r.ErrorMessage}"));
    }

    [Fact]
    public async Task Reasoning_is_kept_apart_and_counts_as_the_first_token()
    {
        await using var harness = await BenchmarkHarness.StartAsync();
        harness.Server.Behaviors["thinker"] = new ModelBehavior { ReasoningTokens = 3, TokenCount = 2, FirstTokenDelay = TimeSpan.FromMilliseconds(50) };
        var result = (await harness.RunAsync([BenchmarkHarness.Scenario()], [harness.Model("thinker")], [], BenchmarkHarness.Options() with { LatencyOnly = true })).Single();
        Assert.Equal("think think think ", result.ReasoningResponse);
        Assert.Equal("tok tok ", result.Response);
        Assert.InRange(result.TimeToFirstToken!.Value, 0.050, 0.070);
    }

    [Fact]
    public async Task Each_call_tells_when_its_request_left_and_its_first_token_was_read_on_the_clock_the_server_shares()
    {
        using var listener = new CallTimingListener();
        await using var harness = await BenchmarkHarness.StartAsync();
        harness.Server.Behaviors["timed"] = new ModelBehavior { TokenCount = 3, FirstTokenDelay = TimeSpan.FromMilliseconds(30) };
        var run = await harness.RunAsync([BenchmarkHarness.Scenario("First prompt", tokens: 30), BenchmarkHarness.Scenario("Second prompt", tokens: 30)],
            [harness.Model("timed")], [], BenchmarkHarness.Options() with { LatencyOnly = true });
        Assert.Equal(2, run.Results.Count);
        foreach (var result in run.Results)
        {
            Assert.True(listener.Calls.TryGetValue(result.Key, out var call), $"no timing event for {result.Key}");
            var served = harness.Server.Requests.Single(r => r.Model == "timed" && r.MaxTokens == 30 && r.BodyJson!.Contains(result.Prompt, StringComparison.Ordinal));
            // The server's own readings (the same monotonic clock, in this process) fall between the client's two.
            Assert.True(call.Sent < served.ArrivalTimestamp, "the request left before the server's handler saw it");
            Assert.True(served.FirstContentFlushTimestamp < call.FirstToken, "the first token was read after the server flushed it");
            Assert.Equal(result.TimeToFirstToken!.Value, Math.Round((call.FirstToken - call.Sent) / (double)Stopwatch.Frequency, 6), 9);
        }
    }

    /// <summary>Collects the Eval360-CallTiming events of this process, by work-item key.</summary>
    private sealed class CallTimingListener : EventListener
    {
        public ConcurrentDictionary<string, (long Sent, long FirstToken)> Calls { get; } = new();

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "Eval360-CallTiming")
            {
                EnableEvents(eventSource, EventLevel.Informational);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            if (eventData.EventName == "FirstToken" && eventData.Payload is [string key, long sent, long first])
            {
                Calls[key] = (sent, first);
            }
        }
    }

    [Fact]
    public async Task Inaccessible_models_are_left_out_with_a_warning_and_the_run_goes_on()
    {
        await using var harness = await BenchmarkHarness.StartAsync();
        harness.Server.Behaviors["denied"] = new ModelBehavior { Status = 401, ErrorMessage = "Incorrect API key provided" };
        var run = await harness.RunAsync([BenchmarkHarness.Scenario()], [harness.Model("ok"), harness.Model("denied")], [], BenchmarkHarness.Options() with { LatencyOnly = true });
        Assert.All(run.Results, r => Assert.Equal("openai-compatible/ok", r.ModelId));
        var warning = Assert.Single(run.Warnings);
        Assert.Contains("openai-compatible/denied", warning.Message);
        Assert.Contains("auth", warning.Message);
        Assert.Contains("openai-compatible/denied", File.ReadAllText(Path.Combine(run.Outcome.Directory.Path, "run.json")));
    }

    [Fact]
    public async Task With_no_accessible_model_the_run_fails_clearly()
    {
        await using var harness = await BenchmarkHarness.StartAsync();
        harness.Server.DefaultBehavior = new ModelBehavior { Status = 404, ErrorMessage = "The model does not exist" };
        var e = await Assert.ThrowsAsync<Eval360.Execution.BenchmarkException>(() =>
            harness.RunAsync([BenchmarkHarness.Scenario()], [harness.Model("gone")], [], BenchmarkHarness.Options() with { LatencyOnly = true }));
        Assert.Equal("NoAccessibleModel", e.ErrorId);
        Assert.Contains("not_found", e.Message);
    }

    [Fact]
    public async Task Every_result_is_in_the_journal_before_it_is_reported()
    {
        await using var harness = await BenchmarkHarness.StartAsync();
        harness.Server.DefaultBehavior = new ModelBehavior { FirstTokenDelay = TimeSpan.FromMilliseconds(20), TokenCount = 5 };
        var configuration = new LoadedConfiguration([BenchmarkHarness.Scenario("a"), BenchmarkHarness.Scenario("b")], [harness.Model("m1"), harness.Model("m2")], [], []);
        var options = BenchmarkHarness.Options(invocations: 3) with { LatencyOnly = true, OutputDirectory = Path.Combine(harness.WorkingDirectory, "outputs") };
        var benchmark = Benchmark.Create(configuration, options, harness.WorkingDirectory);
        var journalPath = Path.Combine(benchmark.Directory, "journal.jsonl");

        // At the moment each result is published - on the publishing thread, before the write returns - the journal
        // on disk must already hold it. (Checking later, from a reader, would let a flush that came just after pass.)
        var events = Channel.CreateUnbounded<RunEvent>();
        var published = new List<string>();
        var notYetOnDisk = new List<string>();
        var writer = new CheckingWriter(events.Writer, item =>
        {
            if (item is ResultRecorded recorded)
            {
                published.Add(recorded.Result.Key);
                if (!JournalKeys(journalPath).Contains(recorded.Result.Key))
                {
                    notYetOnDisk.Add(recorded.Result.Key);
                }
            }
        });
        var outcome = await benchmark.RunAsync(writer, CancellationToken.None);

        Assert.Equal(12, published.Count);
        Assert.Empty(notYetOnDisk);
        Assert.Equal(published.Order(), JournalKeys(journalPath).Order());
        Assert.Equal(13, File.ReadAllLines(Path.Combine(outcome.Directory.Path, "invocations.csv")).Length);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(outcome.Directory.Path, "run.json")));
        Assert.Equal("completed", manifest.RootElement.GetProperty("status").GetString());
        Assert.Equal(12, manifest.RootElement.GetProperty("done").GetInt32());
        Assert.Equal(12, manifest.RootElement.GetProperty("total").GetInt32());
    }

    /// <summary>A channel writer that lets a test look at each event as it is written, on the writer's thread.</summary>
    private sealed class CheckingWriter(ChannelWriter<RunEvent> inner, Action<RunEvent> check) : ChannelWriter<RunEvent>
    {
        private readonly object _gate = new();

        public override bool TryWrite(RunEvent item)
        {
            lock (_gate)
            {
                check(item);
            }

            return inner.TryWrite(item);
        }

        public override ValueTask<bool> WaitToWriteAsync(CancellationToken cancellationToken = default) => inner.WaitToWriteAsync(cancellationToken);
    }

    /// <summary>The keys in the journal as another process would see them now (the run's writer keeps the file open).</summary>
    private static List<string> JournalKeys(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var keys = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                using var result = JsonDocument.Parse(line);
                keys.Add(result.RootElement.GetProperty("Key").GetString()!);
            }
        }

        return keys;
    }
}
