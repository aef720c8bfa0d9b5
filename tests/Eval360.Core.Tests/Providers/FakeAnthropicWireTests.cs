using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using Eval360.FakeProviders;

namespace Eval360.Tests.Providers;

/// <summary>The fake Messages API speaks Anthropic's wire format, checked with a plain HttpClient (no SDK).</summary>
public sealed class FakeAnthropicWireTests : IAsyncLifetime
{
    private const string Key = "sk-ant-api03-wire-test-0123456789";

    private FakeOpenAIServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeOpenAIServer.StartAsync(new FakeServerOptions { RequiredApiKey = Key });
        _http = new HttpClient { BaseAddress = _server.AnthropicBaseUrl };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    private Task<HttpResponseMessage> PostAsync(string body, string? key = Key, string? version = "2023-06-01")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/messages") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (key is not null)
        {
            request.Headers.Add("x-api-key", key);
        }

        if (version is not null)
        {
            request.Headers.Add("anthropic-version", version);
        }

        return _http.SendAsync(request);
    }

    private static string Body(string model, bool stream, string extra = "") =>
        $$"""{"model":"{{model}}","max_tokens":100,"stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"Hi"}]{{extra}}}""";

    private const string VerdictTool = """
        ,"tools":[{"name":"jury_verdict","input_schema":{"type":"object","properties":{"scores":{"type":"object","properties":{"Correctness":{"type":"integer"},"tone":{"type":"integer"}}},"explanation":{"type":"string"}}}}],
        "tool_choice":{"type":"tool","name":"jury_verdict"}
        """;

    [Fact]
    public async Task A_stream_is_anthropics_event_sequence()
    {
        _server.Behaviors["claude-seq"] = new ModelBehavior { ReasoningTokens = 1, TokenCount = 2, UsagePromptTokens = 11 };
        using var response = await PostAsync(Body("claude-seq", stream: true));
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        var events = new List<(string Type, JsonElement Data)>();
        await foreach (var item in SseParser.Create(await response.Content.ReadAsStreamAsync()).EnumerateAsync())
        {
            events.Add((item.EventType, JsonDocument.Parse(item.Data).RootElement.Clone()));
        }

        Assert.Equal(
            ["message_start", "content_block_start", "ping", "content_block_delta", "content_block_delta", "content_block_stop",
             "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop"],
            events.Select(e => e.Type));
        Assert.All(events, e => Assert.Equal(e.Type, e.Data.GetProperty("type").GetString()));
        Assert.Equal(11, events[0].Data.GetProperty("message").GetProperty("usage").GetProperty("input_tokens").GetInt32());
        Assert.Equal("thinking_delta", events[3].Data.GetProperty("delta").GetProperty("type").GetString());
        Assert.Equal("signature_delta", events[4].Data.GetProperty("delta").GetProperty("type").GetString());
        Assert.Equal("text", events[6].Data.GetProperty("content_block").GetProperty("type").GetString());
        Assert.Equal(1, events[7].Data.GetProperty("index").GetInt32());
        Assert.Equal("tok ", events[7].Data.GetProperty("delta").GetProperty("text").GetString());
        Assert.Equal("end_turn", events[10].Data.GetProperty("delta").GetProperty("stop_reason").GetString());
        Assert.Equal(3, events[10].Data.GetProperty("usage").GetProperty("output_tokens").GetInt32());
    }

    [Fact]
    public async Task A_non_streaming_request_gets_one_message()
    {
        _server.Behaviors["claude-whole"] = new ModelBehavior { Reply = "Paris.", UsagePromptTokens = 9, UsageCompletionTokens = 2 };
        using var response = await PostAsync(Body("claude-whole", stream: false));
        using var message = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = message.RootElement;
        Assert.Equal("message", root.GetProperty("type").GetString());
        Assert.Equal("claude-whole", root.GetProperty("model").GetString());
        var block = Assert.Single(root.GetProperty("content").EnumerateArray());
        Assert.Equal("Paris.", block.GetProperty("text").GetString());
        Assert.Equal("end_turn", root.GetProperty("stop_reason").GetString());
        Assert.Equal(9, root.GetProperty("usage").GetProperty("input_tokens").GetInt32());
        Assert.Equal(2, root.GetProperty("usage").GetProperty("output_tokens").GetInt32());
    }

    [Fact]
    public async Task A_forced_tool_gets_the_verdict_as_its_input()
    {
        _server.Behaviors["claude-judge"] = new ModelBehavior { JudgeDefaultScore = 4, JudgeScores = new Dictionary<string, int> { ["tone"] = 2 } };
        using var response = await PostAsync(Body("claude-judge", stream: false, VerdictTool));
        using var message = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var block = Assert.Single(message.RootElement.GetProperty("content").EnumerateArray());
        Assert.Equal("tool_use", block.GetProperty("type").GetString());
        Assert.Equal("jury_verdict", block.GetProperty("name").GetString());
        var scores = block.GetProperty("input").GetProperty("scores");
        Assert.Equal(4, scores.GetProperty("Correctness").GetInt32());
        Assert.Equal(2, scores.GetProperty("tone").GetInt32());
        Assert.Equal("tool_use", message.RootElement.GetProperty("stop_reason").GetString());
        Assert.Equal("jury_verdict", _server.Requests.Last().ForcedTool);
    }

    [Theory]
    [InlineData(null, "2023-06-01", 401, "authentication_error")]
    [InlineData("sk-ant-wrong-key-000000", "2023-06-01", 401, "authentication_error")]
    [InlineData(Key, null, 400, "invalid_request_error")]
    public async Task Requests_without_the_key_or_the_version_are_refused_as_anthropic_does(string? key, string? version, int status, string type)
    {
        using var response = await PostAsync(Body("claude-any", stream: true), key, version);
        Assert.Equal(status, (int)response.StatusCode);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("error", error.RootElement.GetProperty("type").GetString());
        Assert.Equal(type, error.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.StartsWith("req_", error.RootElement.GetProperty("request_id").GetString());
    }

    [Fact]
    public async Task A_temperature_above_one_is_refused()
    {
        using var response = await PostAsync(Body("claude-any", stream: true, ""","temperature":1.5"""));
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("temperature", await response.Content.ReadAsStringAsync());
    }
}
