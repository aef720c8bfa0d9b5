using System.Diagnostics;

namespace Eval360.FakeProviders;

/// <summary>
/// What a <see cref="FakeBedrockServer"/> received and did for one request, with its own timings (timestamps are
/// <see cref="Stopwatch.GetTimestamp"/> values, comparable with a client's in the same process). Filled in while the
/// request is served; recorded, and no longer changed, when its response ends.
/// </summary>
public sealed class BedrockServedRequest : ISequencedRequest
{
    internal BedrockServedRequest(long sequence, long arrivalTimestamp) => (Sequence, ArrivalTimestamp) = (sequence, arrivalTimestamp);

    /// <summary>1 for the server's first request, then counting every request.</summary>
    public long Sequence { get; }

    public string Method { get; internal set; } = "";

    /// <summary>The request target exactly as sent (the model id still percent-encoded).</summary>
    public string RawTarget { get; internal set; } = "";

    /// <summary><c>converse-stream</c>, <c>converse</c> or <c>optimize-prompt</c>; null for a path the fake does not serve.</summary>
    public string? Operation { get; internal set; }

    /// <summary>The model id from the path, decoded (<c>us.anthropic.claude-haiku-4-5-20251001-v1:0</c>); for <c>optimize-prompt</c>, the body's <c>targetModelId</c>.</summary>
    public string? ModelId { get; internal set; }

    public IReadOnlyDictionary<string, string> Headers { get; internal set; } = new Dictionary<string, string>();

    /// <summary><c>SigV4</c>, or <c>Bearer</c> for a request authorised by the configured Bedrock API key; null without an Authorization header.</summary>
    public string? AuthScheme { get; internal set; }

    /// <summary>The bearer token matched the configured API key (and no signature was needed).</summary>
    public bool BearerAccepted { get; internal set; }

    /// <summary>The signature checked out against the configured key pair (and session token).</summary>
    public bool SignatureVerified { get; internal set; }

    /// <summary>Why the signature was refused, when it was.</summary>
    public string? SignatureProblem { get; internal set; }

    /// <summary>The access key id, region and service of the signature's credential scope.</summary>
    public string? AccessKeyId { get; internal set; }

    public string? Region { get; internal set; }

    public string? SigningService { get; internal set; }

    /// <summary>The body as received (UTF-8 text).</summary>
    public string? BodyJson { get; internal set; }

    /// <summary>The user text sent (for <c>optimize-prompt</c>, <c>input.textPrompt.text</c>).</summary>
    public string? Prompt { get; internal set; }

    /// <summary>For <c>optimize-prompt</c>: the optimized prompt sent back.</summary>
    public string? OptimizedPrompt { get; internal set; }

    public string? SystemPrompt { get; internal set; }

    public int? MaxTokens { get; internal set; }

    public double? Temperature { get; internal set; }

    /// <summary>The body's <c>serviceTier.type</c>; null when it sent none.</summary>
    public string? ServiceTier { get; internal set; }

    /// <summary>The tool the request offered (and forced, when <see cref="ToolChoice"/> names it); null without toolConfig.</summary>
    public string? ToolName { get; internal set; }

    public string? ToolChoice { get; internal set; }

    public string? ImageFormat { get; internal set; }

    /// <summary>The image's bytes, decoded from the body's base64.</summary>
    public byte[]? ImageBytes { get; internal set; }

    public bool IsJudge { get; internal set; }

    /// <summary>The behaviour applied, after PerRequest.</summary>
    public ModelBehavior? Behavior { get; internal set; }

    public int StatusCode { get; internal set; }

    /// <summary>The exception name sent: in <c>x-amzn-ErrorType</c>, or as a mid-stream <c>:exception-type</c>.</summary>
    public string? ErrorType { get; internal set; }

    public string? ErrorMessage { get; internal set; }

    public ServedOutcome Outcome { get; internal set; } = ServedOutcome.Completed;

    /// <summary>The reply's full text (what a complete reply carries, even if a fault cut it short).</summary>
    public string? ReplyContent { get; internal set; }

    /// <summary>The reply went out as tool-use input (<c>contentBlockDelta.delta.toolUse.input</c>) rather than text.</summary>
    public bool RepliedWithTool { get; internal set; }

    public string? StopReason { get; internal set; }

    public int ReasoningChunksSent { get; internal set; }

    public int ContentChunksSent { get; internal set; }

    public long ArrivalTimestamp { get; }

    public long? FirstTokenFlushTimestamp { get; internal set; }

    public long? FirstContentFlushTimestamp { get; internal set; }

    public long? LastByteFlushTimestamp { get; internal set; }

    public TimeSpan? TimeToFirstToken => Since(FirstTokenFlushTimestamp);

    public TimeSpan? TimeToFirstContent => Since(FirstContentFlushTimestamp);

    public TimeSpan? TimeToLastByte => Since(LastByteFlushTimestamp);

    private TimeSpan? Since(long? timestamp) => timestamp is long t ? Stopwatch.GetElapsedTime(ArrivalTimestamp, t) : null;
}
