using System.Diagnostics;
using Eval360.Configuration;
using Eval360.FakeProviders;
using Eval360.Providers;
using Eval360.Providers.Anthropic;

namespace Eval360.Tests.Providers;

/// <summary>The Anthropic client on its own, against the fake Messages API.</summary>
public sealed class AnthropicMessagesClientTests : IAsyncLifetime
{
    private const string Key = "sk-ant-api03-client-test-0123456789";

    private FakeOpenAIServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeOpenAIServer.StartAsync(new FakeServerOptions { RequiredApiKey = Key });
        _http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    private ModelProfile Profile(string model, string? apiKeyEnv = null) => new()
    {
        ModelId = "anthropic/" + model,
        Provider = AnthropicProvider.Instance.Traits,
        Model = model,
        Endpoint = _server.AnthropicBaseUrl,
        ApiKeyEnv = apiKeyEnv,
    };

    private IModelClient Client(string model, Func<string, string?>? environment = null, string? apiKeyEnv = null) =>
        AnthropicProvider.Instance.CreateClient(Profile(model, apiKeyEnv),
            new ProviderContext(new Credentials(null, new SecretRedactor(), environment ?? (name => name == "ANTHROPIC_API_KEY" ? Key : null)), _http, TimeProvider.System));

    private static ChatRequest Ask(string prompt = "Hi") => new() { Prompt = prompt, MaxOutputTokens = 64 };

    private static async Task<List<ChatChunk>> StreamAsync(IModelClient client, ChatRequest request)
    {
        var chunks = new List<ChatChunk>();
        await foreach (var chunk in client.StreamAsync(request, CancellationToken.None))
        {
            chunks.Add(chunk);
        }

        return chunks;
    }

    [Fact]
    public async Task The_first_chunk_says_when_the_request_left()
    {
        var before = Stopwatch.GetTimestamp();
        var chunks = await StreamAsync(Client("claude-sent"), Ask());
        var served = Assert.Single(_server.Requests, r => r.Model == "claude-sent");
        var sent = chunks[0];
        Assert.Equal(ChunkKind.Sent, sent.Kind);
        Assert.InRange(sent.Timestamp, before, served.ArrivalTimestamp);
        Assert.Equal(ChunkKind.End, chunks[^1].Kind);
    }

    [Fact]
    public void Without_a_key_the_client_cannot_be_made_and_says_which_variable_to_set()
    {
        var e = Assert.Throws<ProviderException>(() => Client("claude-x", _ => null));
        Assert.Equal(FailureKind.Auth, e.Kind);
        Assert.Contains("ANTHROPIC_API_KEY", e.Message);

        e = Assert.Throws<ProviderException>(() => Client("claude-x", _ => null, apiKeyEnv: "TEAM_CLAUDE_KEY"));
        Assert.Contains("TEAM_CLAUDE_KEY", e.Message);
    }

    [Fact]
    public async Task The_key_named_by_api_key_env_is_the_one_sent()
    {
        await StreamAsync(Client("claude-env", name => name == "TEAM_CLAUDE_KEY" ? Key : null, apiKeyEnv: "TEAM_CLAUDE_KEY"), Ask());
        Assert.Equal(Key, Assert.Single(_server.Requests, r => r.Model == "claude-env").Headers["x-api-key"]);
    }

    [Fact]
    public async Task An_http_error_keeps_its_status_message_and_retry_hint()
    {
        _server.Behaviors["claude-429"] = new ModelBehavior { Status = 429, RetryAfter = "7" };
        var e = await Assert.ThrowsAsync<ProviderException>(() => StreamAsync(Client("claude-429"), Ask()));
        Assert.Equal(FailureKind.Throttled, e.Kind);
        Assert.Equal(429, e.Status);
        Assert.Equal(TimeSpan.FromSeconds(7), e.RetryAfter);
        Assert.StartsWith("HTTP 429: This request would exceed the rate limit", e.Message);
    }

    [Fact]
    public async Task An_image_the_model_cannot_take_is_unsupported_input()
    {
        // A BMP is an image Eval360 accepts, but not one Anthropic does.
        var image = ImageReference.Resolve("data:image/bmp;base64,Qk0=", ".", out _)!;
        var e = await Assert.ThrowsAsync<ProviderException>(() => StreamAsync(Client("claude-eyes"), Ask() with { Image = image }));
        Assert.Equal(FailureKind.UnsupportedInput, e.Kind);
        Assert.Contains("media_type", e.Message);
    }

    [Fact]
    public async Task Cancellation_is_not_a_failure()
    {
        _server.Behaviors["claude-slow"] = new ModelBehavior { FirstTokenDelay = TimeSpan.FromSeconds(10) };
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in Client("claude-slow").StreamAsync(Ask(), cancel.Token))
            {
            }
        });
    }
}
