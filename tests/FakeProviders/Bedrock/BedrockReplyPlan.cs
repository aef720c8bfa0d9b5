namespace Eval360.FakeProviders;

/// <summary>Everything one Bedrock reply will say, decided before the first byte: pieces, tool use, stop reason and usage.</summary>
internal sealed class BedrockReplyPlan
{
    /// <summary>The full answer (a judge's verdict JSON when <see cref="ViaTool"/>).</summary>
    public required string Content { get; init; }

    /// <summary>The answer's pieces, one per <c>contentBlockDelta</c>.</summary>
    public required IReadOnlyList<string> Pieces { get; init; }

    /// <summary>The answer goes out as the input of a <c>toolUse</c> block (a request that forced its tool) rather than as text.</summary>
    public required bool ViaTool { get; init; }

    public string? ToolName { get; init; }

    public required int ReasoningChunks { get; init; }

    /// <summary>The text of each reasoning chunk.</summary>
    public required string ReasoningText { get; init; }

    /// <summary>The <c>messageStop</c> reason; null sends no messageStop (nor metadata): a stream cut short.</summary>
    public string? StopReason { get; init; }

    /// <summary>The tier the request asked for, echoed in the reply's <c>serviceTier</c> as the tier that served it; null when it asked for none.</summary>
    public string? ServiceTier { get; init; }

    public required int InputTokens { get; init; }

    public required int OutputTokens { get; init; }

    public static BedrockReplyPlan For(ModelBehavior behavior, ParsedConverseRequest request)
    {
        bool viaTool = request.IsJudge && request.ToolChoice is not null && behavior.JudgeReply is null;
        IReadOnlyList<string> pieces;
        string content;
        if (request.IsJudge || behavior.Reply is not null)
        {
            content = request.IsJudge ? behavior.JudgeReply ?? ReplyPlan.JudgeVerdict(behavior, request.JudgeMetrics, request.Prompt) : behavior.Reply!;
            pieces = ReplyPlan.Split(content, Math.Max(1, behavior.ReplyChunkChars));
        }
        else
        {
            var count = Math.Max(0, behavior.TokenCount);
            pieces = Enumerable.Repeat(behavior.TokenText, count).ToArray();
            content = string.Concat(pieces);
        }

        var reasoningChunks = Math.Max(0, behavior.ReasoningTokens);
        return new BedrockReplyPlan
        {
            Content = content,
            Pieces = pieces,
            ViaTool = viaTool,
            ToolName = viaTool ? request.ToolChoice : null,
            ReasoningChunks = reasoningChunks,
            ReasoningText = behavior.ReasoningText,

            // ModelBehavior's default is OpenAI's "stop"; Bedrock says end_turn, or tool_use when it answered through a tool.
            StopReason = behavior.FinishReason switch
            {
                null => null,
                "stop" => viaTool ? "tool_use" : "end_turn",
                var reason => reason,
            },
            ServiceTier = request.ServiceTier,
            InputTokens = behavior.UsagePromptTokens ?? (request.PromptChars + 3) / 4,
            OutputTokens = behavior.UsageCompletionTokens ?? pieces.Count + reasoningChunks,
        };
    }
}
