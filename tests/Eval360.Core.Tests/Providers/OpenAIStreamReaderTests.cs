using System.Text;
using Eval360.Providers;
using Eval360.Providers.OpenAI;

namespace Eval360.Tests.Providers;

public sealed class OpenAIStreamReaderTests
{
    private static async Task<List<ChatChunk>> ReadAsync(string sse)
    {
        var chunks = new List<ChatChunk>();
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(sse));
        await foreach (var chunk in OpenAIStreamReader.ReadAsync(stream, s => s, CancellationToken.None))
        {
            chunks.Add(chunk);
        }

        return chunks;
    }

    private const string RoleOnly = """data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}""";

    [Fact]
    public async Task A_role_only_first_chunk_yields_no_text()
    {
        var chunks = await ReadAsync(RoleOnly + "\n\n" +
            """data: {"choices":[{"index":0,"delta":{"content":"Hel"},"finish_reason":null}]}""" + "\n\n" +
            """data: {"choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":null}]}""" + "\n\n" +
            """data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}""" + "\n\n" +
            """data: {"choices":[],"usage":{"prompt_tokens":11,"completion_tokens":2,"total_tokens":13}}""" + "\n\n" +
            "data: [DONE]\n\n");
        Assert.Equal(
            [ChatChunk.Answer("Hel"), ChatChunk.Answer("lo"), ChatChunk.Finish("stop"), ChatChunk.Usage(11, 2), ChatChunk.End],
            chunks);
    }

    [Fact]
    public async Task Reasoning_content_is_kept_apart_from_the_answer()
    {
        var chunks = await ReadAsync(
            """data: {"choices":[{"index":0,"delta":{"reasoning_content":"think"}}]}""" + "\n\n" +
            """data: {"choices":[{"index":0,"delta":{"reasoning":" more"}}]}""" + "\n\n" +
            """data: {"choices":[{"index":0,"delta":{"content":"42"},"finish_reason":"stop"}]}""" + "\n\n" +
            "data: [DONE]\n\n");
        Assert.Equal([ChatChunk.Reasoning("think"), ChatChunk.Reasoning(" more"), ChatChunk.Answer("42"), ChatChunk.Finish("stop"), ChatChunk.End], chunks);
    }

    [Fact]
    public async Task A_mid_stream_error_event_is_an_exception_not_a_short_answer()
    {
        var e = await Assert.ThrowsAsync<ProviderException>(() => ReadAsync(
            """data: {"choices":[{"index":0,"delta":{"content":"partial"}}]}""" + "\n\n" +
            """data: {"error":{"message":"The server had an error","type":"server_error","code":null}}""" + "\n\n"));
        Assert.Equal(FailureKind.StreamInterrupted, e.Kind);
        Assert.Contains("The server had an error", e.Message);
    }

    [Fact]
    public async Task A_mid_stream_rate_limit_error_is_classified_as_throttling()
    {
        var e = await Assert.ThrowsAsync<ProviderException>(() => ReadAsync(
            """data: {"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}""" + "\n\n"));
        Assert.Equal(FailureKind.Throttled, e.Kind);
    }

    [Fact]
    public async Task A_stream_that_stops_without_finish_or_done_is_interrupted()
    {
        var e = await Assert.ThrowsAsync<ProviderException>(() => ReadAsync(
            RoleOnly + "\n\n" + """data: {"choices":[{"index":0,"delta":{"content":"half"}}]}""" + "\n\n"));
        Assert.Equal(FailureKind.StreamInterrupted, e.Kind);
    }

    [Fact]
    public async Task An_unknown_finish_reason_is_passed_through_for_the_engine_to_classify()
    {
        var chunks = await ReadAsync("""data: {"choices":[{"index":0,"delta":{"content":"x"},"finish_reason":"banana"}]}""" + "\n\ndata: [DONE]\n\n");
        Assert.Contains(ChatChunk.Finish("banana"), chunks);
    }

    [Fact]
    public async Task Garbage_data_is_an_invalid_response()
    {
        var e = await Assert.ThrowsAsync<ProviderException>(() => ReadAsync("data: {not json\n\n"));
        Assert.Equal(FailureKind.InvalidResponse, e.Kind);
    }
}
