using Eval360.FakeProviders;
using Eval360.Providers.Bedrock;
using Eval360.Tests.EndToEnd;

namespace Eval360.Tests.Conformance;

/// <summary>What a fake saw of one request, whichever provider's fake it was.</summary>
internal sealed record Served(int Status, long ArrivalTimestamp, TimeSpan? TimeToFirstContent);

/// <summary>An image as a request carried it: its wire form (<c>data-url</c>, <c>url</c>, <c>base64-block</c>, <c>bytes</c>), its media type or format, and its bytes.</summary>
internal sealed record SentImage(string Form, string? Type, byte[]? Bytes);

/// <summary>
/// One provider as the conformance suite drives it: its own fake server speaking its wire protocol, a profile pointing at
/// it with a key (or AWS credentials) in place, and what the fake saw. Behaviours set through <see cref="Behave"/> apply
/// to the measured calls only: the access check's probe (five output tokens) always gets a healthy answer.
/// </summary>
internal abstract class ProviderUnderTest : IAsyncDisposable
{
    /// <summary>Every provider prefix with a wire protocol; <c>sim/</c> is the simulator, not a provider to conform.</summary>
    public static IReadOnlyList<string> Names { get; } = ["bedrock", "openai", "azure", "gemini", "anthropic", "ollama", "openai-compatible"];

    protected ProviderUnderTest(BenchmarkHarness harness) => Harness = harness;

    public BenchmarkHarness Harness { get; }

    /// <summary>The secrets Eval360 holds for this provider (the key, or the AWS secret and session token).</summary>
    public abstract IReadOnlyList<string> Secrets { get; }

    /// <summary>The finish reason of a complete answer, as the provider says it.</summary>
    public virtual string NormalFinish => "stop";

    /// <summary>What the fake is told to finish with at the token limit, and what the provider then says.</summary>
    public virtual (string Behavior, string Reported) TokenLimit => ("length", "length");

    /// <summary>The code of a failure the provider reports in the middle of a stream (its default error event).</summary>
    public virtual string MidStreamCode => "stream_interrupted";

    public static async Task<ProviderUnderTest> StartAsync(string provider) => provider switch
    {
        "bedrock" => await BedrockUnderTest.StartBedrockAsync(),
        _ => await ChatServerUnderTest.StartServerAsync(provider),
    };

    public abstract ModelProfile Profile(string model);

    /// <summary>The fake answers each measured attempt with the next of <paramref name="attempts"/> (the last one from then on).</summary>
    public abstract void Behave(string model, params ModelBehavior[] attempts);

    /// <summary>The fake answers every request for <paramref name="model"/>, the probe's too, this way.</summary>
    public abstract void BehaveAlways(string model, ModelBehavior behavior);

    /// <summary>The measured requests for <paramref name="model"/> (not the probe), in arrival order.</summary>
    public abstract IReadOnlyList<Served> Measured(string model);

    /// <summary>The image each measured request for <paramref name="model"/> carried (null for none), read from the body the fake received.</summary>
    public abstract IReadOnlyList<SentImage?> ImagesSentTo(string model);

    public virtual ValueTask DisposeAsync() => Harness.DisposeAsync();

    protected static Func<FakeRequest, ModelBehavior?> AfterTheProbe(ModelBehavior[] attempts)
    {
        int next = -1;
        return request => request.MaxTokens == 5 || request.MaxCompletionTokens == 5
            ? null
            : attempts[Math.Min(Interlocked.Increment(ref next), attempts.Length - 1)];
    }

    private static bool IsProbe(int? maxTokens, int? maxCompletionTokens) => maxTokens == 5 || maxCompletionTokens == 5;

    /// <summary>OpenAI, Azure, Gemini, Ollama, OpenAI-compatible servers and Anthropic: the fake chat server, each on its own route.</summary>
    private sealed class ChatServerUnderTest(BenchmarkHarness harness, string provider, string key) : ProviderUnderTest(harness)
    {
        public override IReadOnlyList<string> Secrets => [key];

        public override string NormalFinish => provider == "anthropic" ? "end_turn" : "stop";

        public override (string Behavior, string Reported) TokenLimit => provider == "anthropic" ? ("length", "max_tokens") : ("length", "length");

        // Anthropic's error event says overloaded_error unless told otherwise; OpenAI's is a plain error object.
        public override string MidStreamCode => provider == "anthropic" ? "overloaded" : "stream_interrupted";

        public static async Task<ProviderUnderTest> StartServerAsync(string provider)
        {
            var key = $"conformance-{provider}-key-0123456789";
            var harness = await BenchmarkHarness.StartAsync(new FakeServerOptions { RequiredApiKey = key });
            harness.DotEnv(provider switch
            {
                "openai" => $"OPENAI_API_KEY={key}\n",
                "azure" => $"AZURE_OPENAI_API_KEY={key}\n",
                "gemini" => $"GEMINI_API_KEY={key}\n",
                "anthropic" => $"ANTHROPIC_API_KEY={key}\n",
                _ => $"SERVER_KEY={key}\n",
            });
            return new ChatServerUnderTest(harness, provider, key);
        }

        public override ModelProfile Profile(string model)
        {
            var server = Harness.Server;
            var endpoint = provider switch
            {
                "azure" => server.Origin,
                "gemini" => server.GeminiBaseUrl,
                "anthropic" => server.AnthropicBaseUrl,
                _ => server.BaseUrl,
            };
            return Harness.Model(model, provider, endpoint: endpoint, apiKeyEnv: provider is "ollama" or "openai-compatible" ? "SERVER_KEY" : null);
        }

        public override void Behave(string model, params ModelBehavior[] attempts) =>
            Harness.Server.Behaviors[model] = new ModelBehavior { PerRequest = AfterTheProbe(attempts) };

        public override void BehaveAlways(string model, ModelBehavior behavior) => Harness.Server.Behaviors[model] = behavior;

        public override IReadOnlyList<Served> Measured(string model) =>
            [.. Harness.Server.Requests
                .Where(r => r.Model == model && !IsProbe(r.MaxTokens, r.MaxCompletionTokens))
                .Select(r => new Served(r.StatusCode, r.ArrivalTimestamp, r.TimeToFirstContent))];

        public override IReadOnlyList<SentImage?> ImagesSentTo(string model) =>
            [.. Harness.Server.Requests
                .Where(r => r.Model == model && !IsProbe(r.MaxTokens, r.MaxCompletionTokens))
                .Select(r => ImageIn(System.Text.Json.JsonDocument.Parse(r.BodyJson!).RootElement))];

        /// <summary>The user message's image: an OpenAI <c>image_url</c> part, or an Anthropic <c>image</c> block.</summary>
        private static SentImage? ImageIn(System.Text.Json.JsonElement body)
        {
            foreach (var message in body.GetProperty("messages").EnumerateArray())
            {
                if (!message.TryGetProperty("content", out var content) || content.ValueKind != System.Text.Json.JsonValueKind.Array)
                {
                    continue;
                }

                foreach (var part in content.EnumerateArray())
                {
                    var type = part.GetProperty("type").GetString();
                    if (type == "image_url")
                    {
                        var url = part.GetProperty("image_url").GetProperty("url").GetString()!;
                        if (!url.StartsWith("data:", StringComparison.Ordinal))
                        {
                            return new SentImage("url", null, null);
                        }

                        int comma = url.IndexOf(',', StringComparison.Ordinal);
                        return new SentImage("data-url", url[5..url.IndexOf(';', StringComparison.Ordinal)], Convert.FromBase64String(url[(comma + 1)..]));
                    }

                    if (type == "image")
                    {
                        var source = part.GetProperty("source");
                        return source.GetProperty("type").GetString() == "base64"
                            ? new SentImage("base64-block", source.GetProperty("media_type").GetString(), Convert.FromBase64String(source.GetProperty("data").GetString()!))
                            : new SentImage("url", null, null);
                    }
                }
            }

            return null;
        }
    }

    /// <summary>Bedrock: the fake Converse API, every request's SigV4 signature checked against the test process's AWS keys.</summary>
    private sealed class BedrockUnderTest(BenchmarkHarness harness, FakeBedrockServer bedrock) : ProviderUnderTest(harness)
    {
        public override IReadOnlyList<string> Secrets => [AwsTestCredentials.SecretAccessKey, AwsTestCredentials.SessionToken];

        public override string NormalFinish => "end_turn";

        public override (string Behavior, string Reported) TokenLimit => ("max_tokens", "max_tokens");

        public static async Task<ProviderUnderTest> StartBedrockAsync() =>
            new BedrockUnderTest(await BenchmarkHarness.StartAsync(), await AwsTestCredentials.StartFakeAsync());

        public override ModelProfile Profile(string model) => new()
        {
            ModelId = $"bedrock/{model}",
            Provider = BedrockProvider.Instance.Traits,
            Model = model,
            Region = "us-west-2",
            InputCostPer1K = 0.001,
            OutputCostPer1K = 0.002,
            Endpoint = bedrock.Origin,
        };

        public override void Behave(string model, params ModelBehavior[] attempts) =>
            bedrock.Behaviors[model] = new ModelBehavior { PerRequest = AfterTheProbe(attempts) };

        public override void BehaveAlways(string model, ModelBehavior behavior) => bedrock.Behaviors[model] = behavior;

        public override IReadOnlyList<Served> Measured(string model) =>
            [.. bedrock.Requests
                .Where(r => r.ModelId == model && !IsProbe(r.MaxTokens, null))
                .Select(r => new Served(r.StatusCode, r.ArrivalTimestamp, r.TimeToFirstContent))];

        public override IReadOnlyList<SentImage?> ImagesSentTo(string model) =>
            [.. bedrock.Requests
                .Where(r => r.ModelId == model && !IsProbe(r.MaxTokens, null))
                .Select(r => r.ImageBytes is null ? null : new SentImage("bytes", r.ImageFormat, r.ImageBytes))];

        public override async ValueTask DisposeAsync()
        {
            await bedrock.DisposeAsync();
            await base.DisposeAsync();
        }
    }
}
