using System.Diagnostics;

namespace Eval360.FakeProviders;

/// <summary>
/// What the fake received and did for one request, with its own timings. Timestamps are
/// <see cref="Stopwatch.GetTimestamp"/> values of the server's process (comparable with a client's in the same
/// process, and on Linux with any process on the machine: both read CLOCK_MONOTONIC).
/// </summary>
public sealed record ServedRequest : ISequencedRequest
{
    public required long Sequence { get; init; }

    public required ChatRoute Route { get; init; }

    public required string Method { get; init; }

    /// <summary>The path and query string as received.</summary>
    public required string PathAndQuery { get; init; }

    /// <summary>The body's <c>model</c> or the Azure deployment; null when the request was refused before it was read.</summary>
    public string? Model { get; init; }

    /// <summary>Azure's <c>api-version</c> query value, or Anthropic's <c>anthropic-version</c> header.</summary>
    public string? ApiVersion { get; init; }

    /// <summary>The request body as received (UTF-8 text); null when refused before it was read.</summary>
    public string? BodyJson { get; init; }

    /// <summary>Every request header (repeated ones joined with ", ").</summary>
    public required IReadOnlyDictionary<string, string> Headers { get; init; }

    public bool HasAuthorization => Headers.ContainsKey("Authorization");

    public bool HasApiKey => Headers.ContainsKey("api-key");

    public required int StatusCode { get; init; }

    public required ServedOutcome Outcome { get; init; }

    /// <summary>The error message of a refusal or injected fault, or the exception text of a <see cref="ServedOutcome.ServerError"/>.</summary>
    public string? ServerError { get; init; }

    public bool Stream { get; init; }

    /// <summary>The request's <c>stream_options.include_usage</c>.</summary>
    public bool IncludeUsage { get; init; }

    /// <summary>The request's <c>stream_options</c> object as JSON text.</summary>
    public string? StreamOptionsJson { get; init; }

    public double? Temperature { get; init; }

    public int? MaxTokens { get; init; }

    public int? MaxCompletionTokens { get; init; }

    public string? ResponseFormatType { get; init; }

    /// <summary>Anthropic: the tool <c>tool_choice</c> made the model call, or null.</summary>
    public string? ForcedTool { get; init; }

    public bool IsJudge { get; init; }

    /// <summary>The behaviour actually applied, after selectors.</summary>
    public ModelBehavior? Behavior { get; init; }

    /// <summary>The reply's full content text (what a complete reply carries, even if a fault cut it short).</summary>
    public string? ReplyContent { get; init; }

    public int ReasoningChunksSent { get; init; }

    public int ContentChunksSent { get; init; }

    /// <summary>The request reached the fake's handler.</summary>
    public required long ArrivalTimestamp { get; init; }

    /// <summary>The first reasoning or content chunk was flushed to the socket.</summary>
    public long? FirstTokenFlushTimestamp { get; init; }

    /// <summary>The first content chunk (not the role-only chunk) was flushed to the socket.</summary>
    public long? FirstContentFlushTimestamp { get; init; }

    /// <summary>The last byte of the response was flushed (or the connection aborted).</summary>
    public long? LastByteFlushTimestamp { get; init; }

    public TimeSpan? TimeToFirstToken => Since(FirstTokenFlushTimestamp);

    public TimeSpan? TimeToFirstContent => Since(FirstContentFlushTimestamp);

    public TimeSpan? TimeToLastByte => Since(LastByteFlushTimestamp);

    private TimeSpan? Since(long? timestamp) =>
        timestamp is long t ? Stopwatch.GetElapsedTime(ArrivalTimestamp, t) : null;
}
