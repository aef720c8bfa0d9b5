using Eval360.Calls;
using Eval360.Providers;
using Microsoft.Extensions.Time.Testing;

namespace Eval360.Tests.Calls;

public sealed class StreamRecorderTests
{
    [Fact]
    public void Metrics_follow_the_contract_definitions()
    {
        var time = new FakeTimeProvider();
        var recorder = new StreamRecorder(time);
        recorder.Start();
        time.Advance(TimeSpan.FromMilliseconds(50));
        recorder.Record(ChatChunk.Answer(string.Empty)); // a role-only chunk carries no text: not the first token
        time.Advance(TimeSpan.FromMilliseconds(150));
        recorder.Record(ChatChunk.Reasoning("hmm"));
        for (int i = 0; i < 9; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(10));
            recorder.Record(ChatChunk.Answer("w "));
        }

        recorder.Record(ChatChunk.Finish("stop"));
        time.Advance(TimeSpan.FromMilliseconds(30));
        recorder.Record(ChatChunk.Usage(100, 10));
        recorder.Record(ChatChunk.End);
        time.Advance(TimeSpan.FromMilliseconds(5)); // tidying up the connection is not latency
        var m = recorder.Finish("prompt");

        Assert.Equal(0.200, m.TimeToFirstToken, 9);
        Assert.Equal(0.320, m.TimeToLastByte, 9);
        Assert.Equal(0.090 / 9, m.InterTokenLatency!.Value, 9);
        Assert.Equal(10 / 0.320, m.OutputTokensPerSecond!.Value, 6);
        Assert.Equal(100, m.InputTokens);
        Assert.Equal(10, m.OutputTokens);
        Assert.False(m.TokensEstimated);
        Assert.Equal("hmm", m.Reasoning);
        Assert.Equal(string.Concat(Enumerable.Repeat("w ", 9)), m.Answer);
    }

    [Fact]
    public void A_token_counts_from_when_its_bytes_were_read_not_from_when_it_was_parsed()
    {
        var time = new FakeTimeProvider();
        var recorder = new StreamRecorder(time);
        recorder.Start();
        time.Advance(TimeSpan.FromMilliseconds(120));
        long firstRead = time.GetTimestamp();
        time.Advance(TimeSpan.FromMilliseconds(7)); // parsing, the readers, a busy thread pool: not latency
        recorder.Record(ChatChunk.Answer("a", firstRead));
        time.Advance(TimeSpan.FromMilliseconds(10));
        long lastRead = time.GetTimestamp();
        time.Advance(TimeSpan.FromMilliseconds(3));
        recorder.Record(ChatChunk.Answer("b", lastRead));
        recorder.Record(ChatChunk.Finish("stop"));
        recorder.Record(ChatChunk.Usage(10, 2));
        recorder.Record(ChatChunk.EndAt(lastRead));
        time.Advance(TimeSpan.FromMilliseconds(4));
        var m = recorder.Finish("prompt");

        Assert.Equal(0.120, m.TimeToFirstToken, 9);
        Assert.Equal(0.137, m.TimeToLastByte, 9);
        Assert.Equal(0.017, m.InterTokenLatency!.Value, 9);
    }

    [Fact]
    public async Task A_timed_body_notes_when_each_read_returned_bytes()
    {
        var time = new FakeTimeProvider();
        var pipe = new System.IO.Pipelines.Pipe();
        await using var body = new TimedBodyStream(pipe.Reader.AsStream(), time);
        Assert.Equal(0, TimedBodyStream.LastReadOf(body));
        Assert.Equal(0, TimedBodyStream.LastReadOf(new MemoryStream()));

        var buffer = new byte[16];
        var pending = body.ReadAsync(buffer).AsTask();
        time.Advance(TimeSpan.FromMilliseconds(40));
        await pipe.Writer.WriteAsync("data: x\n\n"u8.ToArray());
        Assert.Equal(9, await pending);
        Assert.Equal(time.GetTimestamp(), body.LastRead);

        long before = body.LastRead;
        time.Advance(TimeSpan.FromMilliseconds(5));
        await pipe.Writer.CompleteAsync();
        Assert.Equal(0, await body.ReadAsync(buffer));
        Assert.Equal(before, body.LastRead); // the end of the stream is no read of bytes
    }

    [Fact]
    public void Latency_counts_from_when_the_request_left_not_from_when_it_was_built()
    {
        var time = new FakeTimeProvider();
        var recorder = new StreamRecorder(time);
        recorder.Start();
        time.Advance(TimeSpan.FromMilliseconds(30)); // building the request, the SDK's pipeline
        recorder.Record(ChatChunk.SentAt(time.GetTimestamp()));
        time.Advance(TimeSpan.FromMilliseconds(100));
        recorder.Record(ChatChunk.Answer("x"));
        recorder.Record(ChatChunk.Finish("stop"));
        var m = recorder.Finish("p");
        Assert.Equal(0.100, m.TimeToFirstToken, 9);
        Assert.Equal(0.100, m.TimeToLastByte, 9);
    }

    [Fact]
    public void Without_usage_tokens_are_estimated_and_marked()
    {
        var recorder = new StreamRecorder(new FakeTimeProvider());
        recorder.Start();
        recorder.Record(ChatChunk.Answer("abcdefgh"));
        recorder.Record(ChatChunk.Finish("stop"));
        var m = recorder.Finish("1234");
        Assert.True(m.TokensEstimated);
        Assert.Equal(2, m.OutputTokens);
        Assert.Equal(1, m.InputTokens);
    }

    [Theory]
    [InlineData("content_filter", FailureKind.ContentFilter)]
    [InlineData("banana", FailureKind.UnexpectedFinish)]
    [InlineData("abort", FailureKind.StreamInterrupted)]
    public void Bad_finishes_are_classified_failures(string reason, FailureKind kind)
    {
        var recorder = new StreamRecorder(new FakeTimeProvider());
        recorder.Start();
        recorder.Record(ChatChunk.Answer("x"));
        recorder.Record(ChatChunk.Finish(reason));
        var e = Assert.Throws<ProviderException>(() => recorder.Finish("p"));
        Assert.Equal(kind, e.Kind);
        Assert.Contains(reason, e.Message);
    }

    [Theory]
    [InlineData("stop")]
    [InlineData("length")]
    [InlineData("eos_token")]
    [InlineData("end_turn")]
    public void Good_finishes_succeed(string reason)
    {
        var recorder = new StreamRecorder(new FakeTimeProvider());
        recorder.Start();
        recorder.Record(ChatChunk.Answer("x"));
        recorder.Record(ChatChunk.Finish(reason));
        Assert.Equal(reason, recorder.Finish("p").FinishReason);
    }

    [Fact]
    public void No_text_at_all_is_an_empty_response()
    {
        var recorder = new StreamRecorder(new FakeTimeProvider());
        recorder.Start();
        recorder.Record(ChatChunk.Finish("stop"));
        Assert.Equal(FailureKind.EmptyResponse, Assert.Throws<ProviderException>(() => recorder.Finish("p")).Kind);
    }
}
