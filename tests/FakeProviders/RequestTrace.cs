namespace Eval360.FakeProviders;

/// <summary>What is known about a request so far, filled in while it is served and frozen into a <see cref="ServedRequest"/>.</summary>
internal sealed class RequestTrace(long sequence, long arrivalTimestamp, ChatRoute route)
{
    private static readonly IReadOnlyDictionary<string, string> NoHeaders = new Dictionary<string, string>();

    public long Sequence { get; } = sequence;
    public long ArrivalTimestamp { get; } = arrivalTimestamp;
    public ChatRoute Route { get; } = route;
    public string Method { get; set; } = "";
    public string PathAndQuery { get; set; } = "";
    public IReadOnlyDictionary<string, string> Headers { get; set; } = NoHeaders;
    public string? ApiVersion { get; set; }
    public string? BodyJson { get; set; }
    public ParsedChatRequest? Request { get; set; }
    public ModelBehavior? Behavior { get; set; }
    public string? ReplyContent { get; set; }
    public int StatusCode { get; set; }
    public ServedOutcome Outcome { get; set; } = ServedOutcome.Completed;
    public string? Error { get; set; }
    public int ReasoningChunksSent { get; set; }
    public int ContentChunksSent { get; set; }
    public long? FirstTokenFlushTimestamp { get; set; }
    public long? FirstContentFlushTimestamp { get; set; }
    public long? LastByteFlushTimestamp { get; set; }

    public ServedRequest Freeze() => new()
    {
        Sequence = Sequence,
        Route = Route,
        Method = Method,
        PathAndQuery = PathAndQuery,
        Model = Request?.Model,
        ApiVersion = ApiVersion,
        BodyJson = BodyJson,
        Headers = Headers,
        StatusCode = StatusCode,
        Outcome = Outcome,
        ServerError = Error,
        Stream = Request?.Stream ?? false,
        IncludeUsage = Request?.IncludeUsage ?? false,
        StreamOptionsJson = Request?.StreamOptionsJson,
        Temperature = Request?.Temperature,
        MaxTokens = Request?.MaxTokens,
        MaxCompletionTokens = Request?.MaxCompletionTokens,
        ResponseFormatType = Request?.ResponseFormatType,
        ForcedTool = Request?.ForcedTool,
        IsJudge = Request?.IsJudge ?? false,
        Behavior = Behavior,
        ReplyContent = ReplyContent,
        ReasoningChunksSent = ReasoningChunksSent,
        ContentChunksSent = ContentChunksSent,
        ArrivalTimestamp = ArrivalTimestamp,
        FirstTokenFlushTimestamp = FirstTokenFlushTimestamp,
        FirstContentFlushTimestamp = FirstContentFlushTimestamp,
        LastByteFlushTimestamp = LastByteFlushTimestamp,
    };
}
