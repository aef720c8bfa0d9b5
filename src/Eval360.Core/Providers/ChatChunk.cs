namespace Eval360.Providers;

/// <summary>What a streamed chunk carries.</summary>
public enum ChunkKind
{
    /// <summary>Answer text.</summary>
    Text,

    /// <summary>Reasoning ("thinking") text, kept apart from the answer.</summary>
    Reasoning,

    /// <summary>The provider's token counts.</summary>
    Usage,

    /// <summary>Why generation stopped, as the provider said it.</summary>
    Finish,

    /// <summary>
    /// When the request actually left for the provider (a timestamp of the run's <see cref="TimeProvider"/>), for
    /// clients that can tell: latency is measured from here, not from before the request was built.
    /// </summary>
    Sent,

    /// <summary>The service tier the provider says served the request (Bedrock's <c>serviceTier.type</c>).</summary>
    ServiceTier,

    /// <summary>The stream's last byte (OpenAI's <c>data: [DONE]</c>) arrived: time to last byte ends here, not after the connection is tidied up.</summary>
    End,
}

/// <summary>
/// One event of a model's stream. A value type: streams produce many and the hot path must not allocate for them.
/// <see cref="Timestamp"/> (a <see cref="TimeProvider"/> timestamp) is when the request left for <see cref="ChunkKind.Sent"/>,
/// and for text and the end of the stream when the bytes carrying them were read (<see cref="TimedBodyStream"/>); 0
/// means "when the chunk is recorded".
/// </summary>
public readonly record struct ChatChunk(ChunkKind Kind, string? Text = null, long InputTokens = 0, long OutputTokens = 0, long Timestamp = 0)
{
    public static ChatChunk SentAt(long timestamp) => new(ChunkKind.Sent, Timestamp: timestamp);

    public static ChatChunk End { get; } = new(ChunkKind.End);

    public static ChatChunk EndAt(long timestamp) => new(ChunkKind.End, Timestamp: timestamp);

    public static ChatChunk Answer(string text, long readAt = 0) => new(ChunkKind.Text, text, Timestamp: readAt);

    public static ChatChunk Reasoning(string text, long readAt = 0) => new(ChunkKind.Reasoning, text, Timestamp: readAt);

    public static ChatChunk Usage(long input, long output) => new(ChunkKind.Usage, null, input, output);

    public static ChatChunk Finish(string reason) => new(ChunkKind.Finish, reason);

    public static ChatChunk ServedTier(string tier) => new(ChunkKind.ServiceTier, tier);
}

/// <summary>
/// The seam every provider implements: stream one chat completion. Failures are thrown as
/// <see cref="ProviderException"/>, which keeps what the engine needs from the wire (status, Retry-After).
/// </summary>
public interface IModelClient
{
    IAsyncEnumerable<ChatChunk> StreamAsync(ChatRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Opens up to <paramref name="connections"/> connections to the provider without calling a model, so the first
    /// measured calls do not pay for connection set-up (TCP and TLS) that later calls never see.
    /// </summary>
    Task WarmUpAsync(int connections, CancellationToken cancellationToken) => Task.CompletedTask;
}
