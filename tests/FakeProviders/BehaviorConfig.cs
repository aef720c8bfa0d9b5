using System.Text.Json;

namespace Eval360.FakeProviders;

/// <summary>
/// One behaviour as written in a config file or sent to <c>PUT /_fake/behaviors/{model}</c>: <see cref="ModelBehavior"/>'s
/// fields in camelCase, with durations in milliseconds. Absent fields keep <see cref="ModelBehavior"/>'s defaults.
/// </summary>
internal sealed class BehaviorSettings
{
    public double? FirstTokenDelayMs { get; set; }
    public double? InterTokenDelayMs { get; set; }
    public int? TokenCount { get; set; }
    public string? TokenText { get; set; }
    public string? Reply { get; set; }
    public int? ReplyChunkChars { get; set; }
    public int? ReasoningTokens { get; set; }
    public string? ReasoningText { get; set; }
    public string? ReasoningField { get; set; }

    /// <summary>Absent keeps "stop"; null sends no finish chunk (hence a JsonElement: it tells null from absent).</summary>
    public JsonElement FinishReason { get; set; }

    public bool? IncludeUsage { get; set; }
    public int? UsagePromptTokens { get; set; }
    public int? UsageCompletionTokens { get; set; }
    public int? Status { get; set; }
    public string? RetryAfter { get; set; }
    public int? RetryAfterMs { get; set; }
    public string? ErrorMessage { get; set; }
    public int? MidStreamErrorAfter { get; set; }
    public int? DropAfter { get; set; }
    public int? StallAfter { get; set; }

    /// <summary>Milliseconds; -1 stalls until the client leaves.</summary>
    public double? StallForMs { get; set; }

    public bool? OmitDone { get; set; }
    public string? ErrorType { get; set; }
    public double? RateLimitResetMs { get; set; }
    public Dictionary<string, int>? JudgeScores { get; set; }
    public int? JudgeDefaultScore { get; set; }
    public string? JudgeExplanation { get; set; }
    public string? JudgeReply { get; set; }
    public bool? RejectResponseFormat { get; set; }
    public bool? ObeyInjections { get; set; }
    public FaultSettings? Faults { get; set; }

    public ModelBehavior ToBehavior()
    {
        var d = ModelBehavior.Default;
        return new ModelBehavior
        {
            FirstTokenDelay = Milliseconds(FirstTokenDelayMs) ?? d.FirstTokenDelay,
            InterTokenDelay = Milliseconds(InterTokenDelayMs) ?? d.InterTokenDelay,
            TokenCount = TokenCount ?? d.TokenCount,
            TokenText = TokenText ?? d.TokenText,
            Reply = Reply,
            ReplyChunkChars = ReplyChunkChars ?? d.ReplyChunkChars,
            ReasoningTokens = ReasoningTokens ?? d.ReasoningTokens,
            ReasoningText = ReasoningText ?? d.ReasoningText,
            ReasoningField = ReasoningField ?? d.ReasoningField,
            FinishReason = FinishReason.ValueKind switch
            {
                JsonValueKind.Undefined => d.FinishReason,
                JsonValueKind.Null => null,
                _ => FinishReason.GetString(),
            },
            IncludeUsage = IncludeUsage ?? d.IncludeUsage,
            UsagePromptTokens = UsagePromptTokens,
            UsageCompletionTokens = UsageCompletionTokens,
            Status = Status,
            RetryAfter = RetryAfter,
            RetryAfterMs = RetryAfterMs,
            ErrorMessage = ErrorMessage,
            MidStreamErrorAfter = MidStreamErrorAfter,
            DropAfter = DropAfter,
            StallAfter = StallAfter,
            StallFor = StallForMs is < 0 ? Timeout.InfiniteTimeSpan : Milliseconds(StallForMs) ?? d.StallFor,
            OmitDone = OmitDone ?? d.OmitDone,
            ErrorType = ErrorType,
            RateLimitReset = Milliseconds(RateLimitResetMs),
            JudgeScores = JudgeScores,
            JudgeDefaultScore = JudgeDefaultScore ?? d.JudgeDefaultScore,
            JudgeExplanation = JudgeExplanation ?? d.JudgeExplanation,
            JudgeReply = JudgeReply,
            RejectResponseFormat = RejectResponseFormat ?? d.RejectResponseFormat,
            ObeyInjections = ObeyInjections ?? d.ObeyInjections,
            PerRequest = Faults?.ToSelector(),
        };
    }

    private static TimeSpan? Milliseconds(double? ms) => ms is double value ? TimeSpan.FromMilliseconds(value) : null;
}

/// <summary>The arguments of <see cref="ModelBehavior.Faults"/>, for a config file.</summary>
internal sealed class FaultSettings
{
    public int Seed { get; set; }
    public double Throttle429Percent { get; set; }
    public int RetryAfterSeconds { get; set; } = 1;
    public double Server5xxPercent { get; set; }
    public double DropPercent { get; set; }
    public double StallPercent { get; set; }
    public double? StallForMs { get; set; }

    public Func<FakeRequest, ModelBehavior?> ToSelector() => ModelBehavior.Faults(
        Seed, Throttle429Percent, RetryAfterSeconds, Server5xxPercent, DropPercent, StallPercent,
        StallForMs is double ms ? ms < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(ms) : null);
}

/// <summary>A config file: <c>{"default": {…}, "&lt;model&gt;": {…}, …}</c>.</summary>
internal static class BehaviorConfig
{
    public const string DefaultKey = "default";

    public static (ModelBehavior? Default, Dictionary<string, ModelBehavior> Models) Load(string path)
    {
        using var file = File.OpenRead(path);
        var entries = JsonSerializer.Deserialize(file, FakeJsonContext.Default.DictionaryStringBehaviorSettings)
            ?? throw new JsonException("the config is null; expected an object of model names");
        ModelBehavior? fallback = null;
        var models = new Dictionary<string, ModelBehavior>(StringComparer.Ordinal);
        foreach (var (name, settings) in entries)
        {
            var behavior = settings?.ToBehavior() ?? ModelBehavior.Default;
            if (name == DefaultKey)
            {
                fallback = behavior;
            }
            else
            {
                models[name] = behavior;
            }
        }

        return (fallback, models);
    }
}
