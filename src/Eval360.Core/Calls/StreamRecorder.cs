using System.Text;
using Eval360.Providers;

namespace Eval360.Calls;

/// <summary>What one attempt measured, per the contract's definitions. Times in seconds.</summary>
internal sealed record CallMeasurement(
    string Answer,
    string? Reasoning,
    string? FinishReason,
    long InputTokens,
    long OutputTokens,
    bool TokensEstimated,
    double TimeToFirstToken,
    double TimeToLastByte,
    double? InterTokenLatency,
    DateTimeOffset StartedAt)
{
    public double? OutputTokensPerSecond => TimeToLastByte > 0 ? OutputTokens / TimeToLastByte : null;

    /// <summary>The service tier the provider says served the call; null when it does not say.</summary>
    public string? ServedTier { get; init; }

    /// <summary>When the request left, on the run's clock (a <see cref="TimeProvider"/> timestamp).</summary>
    public long SentTimestamp { get; init; }

    /// <summary>When the first token's bytes were read, on the run's clock.</summary>
    public long FirstTokenTimestamp { get; init; }
}

/// <summary>
/// Timestamps one streamed attempt as its chunks arrive. The clock starts when the request is sent — pacing waits are
/// over, and a client that can tell when the request left (<see cref="ChunkKind.Sent"/>) moves the start to that
/// moment, so building the request is not latency either; the first token is the first chunk carrying answer or reasoning text — never response headers or a
/// role-only chunk; the last byte is the end of the stream. A chunk's time is when its bytes were read off the
/// connection where the client tells (<see cref="ChatChunk.Timestamp"/>), so parsing it is not latency either.
/// </summary>
internal sealed class StreamRecorder
{
    private readonly TimeProvider _time;
    private readonly StringBuilder _answer = new();
    private StringBuilder? _reasoning;
    private long _start, _first, _last, _end;
    private long? _inputTokens, _outputTokens;
    private DateTimeOffset _startedAt;

    public StreamRecorder(TimeProvider time) => _time = time;

    public string? FinishReason { get; private set; }

    public string? ServedTier { get; private set; }

    public string PartialAnswer => _answer.ToString();

    public void Start()
    {
        _startedAt = _time.GetUtcNow();
        _start = _time.GetTimestamp();
    }

    public void Record(in ChatChunk chunk)
    {
        switch (chunk.Kind)
        {
            case ChunkKind.Text when !string.IsNullOrEmpty(chunk.Text):
                MarkToken(chunk.Timestamp);
                _answer.Append(chunk.Text);
                break;
            case ChunkKind.Reasoning when !string.IsNullOrEmpty(chunk.Text):
                MarkToken(chunk.Timestamp);
                (_reasoning ??= new StringBuilder()).Append(chunk.Text);
                break;
            case ChunkKind.Usage:
                _inputTokens = chunk.InputTokens;
                _outputTokens = chunk.OutputTokens;
                break;
            case ChunkKind.Finish:
                FinishReason = chunk.Text;
                break;
            case ChunkKind.ServiceTier:
                ServedTier = chunk.Text;
                break;
            case ChunkKind.End when _end == 0:
                _end = chunk.Timestamp > _start ? chunk.Timestamp : _time.GetTimestamp();
                break;
            case ChunkKind.Sent when _first == 0 && chunk.Timestamp > _start:
                // The client knows when the request really left (after it was built and passed the SDK's pipeline).
                _start = chunk.Timestamp;
                break;
        }
    }

    /// <summary>Ends the attempt; throws a classified <see cref="ProviderException"/> when the stream finished badly.</summary>
    public CallMeasurement Finish(string prompt)
    {
        long end = _end != 0 ? _end : _time.GetTimestamp();
        var outcome = FinishReasons.Classify(FinishReason);
        if (outcome is FailureKind failure)
        {
            throw new ProviderException(failure, $"the model finished with finish_reason '{FinishReason}'");
        }

        if (_first == 0)
        {
            throw new ProviderException(FailureKind.EmptyResponse, "the model finished without producing any text");
        }

        bool estimated = _outputTokens is null;
        long output = _outputTokens ?? Math.Max(1, (_answer.Length + (_reasoning?.Length ?? 0) + 3) / 4);
        long input = _inputTokens ?? Math.Max(1, (prompt.Length + 3) / 4);
        double? interToken = output > 1 ? Seconds(_last - _first) / (output - 1) : null;
        return new CallMeasurement(_answer.ToString(), _reasoning?.ToString(), FinishReason, input, output, estimated,
            Seconds(_first - _start), Seconds(end - _start), interToken, _startedAt)
        {
            ServedTier = ServedTier,
            SentTimestamp = _start,
            FirstTokenTimestamp = _first,
        };
    }

    /// <param name="readAt">When the chunk's bytes were read, if the client could tell; otherwise now.</param>
    private void MarkToken(long readAt)
    {
        _last = readAt > _start ? readAt : _time.GetTimestamp();
        if (_first == 0)
        {
            _first = _last;
        }
    }

    private double Seconds(long ticks) => ticks / (double)_time.TimestampFrequency;
}

/// <summary>What a finish reason means for the result. Providers disagree on names; unknown ones are never treated as success.</summary>
internal static class FinishReasons
{
    /// <returns>The failure a finish reason signals, or null when the answer is complete (or cut at the token limit, which the result shows).</returns>
    public static FailureKind? Classify(string? reason) => reason?.ToLowerInvariant() switch
    {
        null or "" or "stop" or "eos" or "eos_token" or "end_turn" or "stop_sequence" or "tool_calls" or "tool_use"
            or "function_call" or "length" or "max_tokens" or "model_length" or "model_context_window_exceeded" => null,
        "content_filter" or "content_filtered" or "safety" or "recitation" or "blocklist" or "prohibited_content" or "spii"
            or "guardrail_intervened" or "refusal" => FailureKind.ContentFilter,
        "error" or "abort" or "aborted" or "cancelled" or "canceled" => FailureKind.StreamInterrupted,
        "malformed_model_output" or "malformed_tool_use" => FailureKind.InvalidResponse,
        _ => FailureKind.UnexpectedFinish,
    };
}
