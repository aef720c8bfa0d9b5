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
}

/// <summary>One event of a model's stream. A value type: streams produce many and the hot path must not allocate for them.</summary>
public readonly record struct ChatChunk(ChunkKind Kind, string? Text = null, long InputTokens = 0, long OutputTokens = 0)
{
    public static ChatChunk Answer(string text) => new(ChunkKind.Text, text);

    public static ChatChunk Reasoning(string text) => new(ChunkKind.Reasoning, text);

    public static ChatChunk Usage(long input, long output) => new(ChunkKind.Usage, null, input, output);

    public static ChatChunk Finish(string reason) => new(ChunkKind.Finish, reason);
}

/// <summary>
/// The seam every provider implements: stream one chat completion. Failures are thrown as
/// <see cref="ProviderException"/>, which keeps what the engine needs from the wire (status, Retry-After).
/// </summary>
public interface IModelClient
{
    IAsyncEnumerable<ChatChunk> StreamAsync(ChatRequest request, CancellationToken cancellationToken);
}
