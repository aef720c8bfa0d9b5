using System.Text;
using Eval360.Providers;
using Eval360.Providers.Anthropic;

namespace Eval360.Tests.Providers;

public sealed class AnthropicStreamReaderTests
{
    private static async Task<List<ChatChunk>> ReadAsync(params string[] events)
    {
        var chunks = new List<ChatChunk>();
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(string.Concat(events)));
        await foreach (var chunk in AnthropicStreamReader.ReadAsync(stream, s => s.Replace("secret", "***", StringComparison.Ordinal), CancellationToken.None))
        {
            chunks.Add(chunk);
        }

        return chunks;
    }

    private static string Event(string type, string data) => $"event: {type}\ndata: {data}\n\n";

    private static readonly string MessageStart = Event("message_start",
        """{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-x","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":25,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":1}}}""");

    private static string TextDelta(int index, string text) =>
        Event("content_block_delta", $$$"""{"type":"content_block_delta","index":{{{index}}},"delta":{"type":"text_delta","text":"{{{text}}}"}}""");

    private static string End(string stopReason, int outputTokens) =>
        Event("message_delta", $$$"""{"type":"message_delta","delta":{"stop_reason":"{{{stopReason}}}","stop_sequence":null},"usage":{"output_tokens":{{{outputTokens}}}}}""") +
        Event("message_stop", """{"type":"message_stop"}""");

    [Fact]
    public async Task Text_usage_stop_reason_and_the_end_are_read_and_pings_skipped()
    {
        var chunks = await ReadAsync(
            MessageStart,
            Event("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"""),
            Event("ping", """{"type": "ping"}"""),
            TextDelta(0, "Hel"),
            TextDelta(0, "lo"),
            Event("content_block_stop", """{"type":"content_block_stop","index":0}"""),
            End("end_turn", 15));
        Assert.Equal([ChatChunk.Answer("Hel"), ChatChunk.Answer("lo"), ChatChunk.Finish("end_turn"), ChatChunk.Usage(25, 15), ChatChunk.End], chunks);
    }

    [Fact]
    public async Task Thinking_is_reasoning_and_signatures_are_not_text()
    {
        var chunks = await ReadAsync(
            MessageStart,
            Event("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}"""),
            Event("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Let me think"}}"""),
            Event("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQBCgIYAhIM"}}"""),
            Event("content_block_stop", """{"type":"content_block_stop","index":0}"""),
            TextDelta(1, "42"),
            End("end_turn", 9));
        Assert.Equal([ChatChunk.Reasoning("Let me think"), ChatChunk.Answer("42"), ChatChunk.Finish("end_turn"), ChatChunk.Usage(25, 9), ChatChunk.End], chunks);
    }

    [Fact]
    public async Task A_forced_tools_input_streams_as_answer_text()
    {
        var chunks = await ReadAsync(
            MessageStart,
            Event("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_1","name":"jury_verdict","input":{}}}"""),
            Event("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":""}}"""),
            Event("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\"scores\": {\"a\""}}"""),
            Event("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":": 4}}"}}"""),
            End("tool_use", 12));
        Assert.Equal("""{"scores": {"a": 4}}""", string.Concat(chunks.Where(c => c.Kind == ChunkKind.Text).Select(c => c.Text)));
        Assert.Contains(ChatChunk.Finish("tool_use"), chunks);
    }

    [Fact]
    public async Task Cached_prompt_tokens_are_input_tokens_and_a_later_input_count_wins()
    {
        var start = Event("message_start", """{"type":"message_start","message":{"usage":{"input_tokens":5,"cache_creation_input_tokens":100,"cache_read_input_tokens":20,"output_tokens":1}}}""");
        Assert.Contains(ChatChunk.Usage(125, 3), await ReadAsync(start, TextDelta(0, "a"), End("end_turn", 3)));

        var delta = Event("message_delta", """{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"input_tokens":30,"output_tokens":3}}""");
        Assert.Contains(ChatChunk.Usage(30, 3), await ReadAsync(start, TextDelta(0, "a"), delta, Event("message_stop", """{"type":"message_stop"}""")));
    }

    [Theory]
    [InlineData("overloaded_error", FailureKind.Overloaded)]
    [InlineData("rate_limit_error", FailureKind.Throttled)]
    [InlineData("api_error", FailureKind.Server)]
    [InlineData("invalid_request_error", FailureKind.StreamInterrupted)]
    public async Task An_error_event_is_a_classified_exception_not_a_short_answer(string type, FailureKind kind)
    {
        var e = await Assert.ThrowsAsync<ProviderException>(() => ReadAsync(
            MessageStart,
            TextDelta(0, "partial"),
            Event("error", $$$"""{"type":"error","error":{"type":"{{{type}}}","message":"it broke, secret"}}""")));
        Assert.Equal(kind, e.Kind);
        Assert.Contains(type, e.Message);
        Assert.Contains("it broke, ***", e.Message);
    }

    [Fact]
    public async Task An_error_is_recognised_by_its_event_name_alone()
    {
        var e = await Assert.ThrowsAsync<ProviderException>(() => ReadAsync(MessageStart, "event: error\ndata: {\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n"));
        Assert.Equal(FailureKind.Overloaded, e.Kind);
    }

    [Fact]
    public async Task A_stream_that_stops_before_the_model_finished_is_interrupted()
    {
        var e = await Assert.ThrowsAsync<ProviderException>(() => ReadAsync(MessageStart, TextDelta(0, "half")));
        Assert.Equal(FailureKind.StreamInterrupted, e.Kind);
    }

    [Fact]
    public async Task A_stop_reason_without_message_stop_still_finishes()
    {
        var chunks = await ReadAsync(MessageStart, TextDelta(0, "a"),
            Event("message_delta", """{"type":"message_delta","delta":{"stop_reason":"max_tokens"},"usage":{"output_tokens":1}}"""));
        Assert.Equal([ChatChunk.Answer("a"), ChatChunk.Finish("max_tokens"), ChatChunk.Usage(25, 1)], chunks);
    }

    [Fact]
    public async Task Unknown_events_and_blocks_are_skipped()
    {
        var chunks = await ReadAsync(
            MessageStart,
            Event("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"server_tool_use","id":"s1","name":"web_search","input":{}}}"""),
            Event("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"citations_delta","citation":{"cited_text":"x"}}}"""),
            Event("something_new", """{"type":"something_new","text":"not an answer"}"""),
            TextDelta(1, "ok"),
            End("end_turn", 1));
        Assert.Equal([ChatChunk.Answer("ok"), ChatChunk.Finish("end_turn"), ChatChunk.Usage(25, 1), ChatChunk.End], chunks);
    }

    [Fact]
    public async Task Data_that_is_not_json_is_an_invalid_response()
    {
        var e = await Assert.ThrowsAsync<ProviderException>(() => ReadAsync(MessageStart, "event: content_block_delta\ndata: <html>\n\n"));
        Assert.Equal(FailureKind.InvalidResponse, e.Kind);
    }
}
