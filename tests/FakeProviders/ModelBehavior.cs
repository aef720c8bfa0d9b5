using System.Text.Json.Serialization;

namespace Eval360.FakeProviders;

/// <summary>
/// How the fake answers one model (or Azure deployment): timing, reply, usage, judge verdicts and injected faults.
/// Every member has a default that gives a fast, healthy five-token stream.
/// </summary>
public sealed record ModelBehavior
{
    /// <summary>A healthy, instant five-token reply.</summary>
    public static ModelBehavior Default { get; } = new();

    // ── Timing ────────────────────────────────────────────────────────────────────────────────────────────────

    /// <summary>From the request's arrival to the first token (reasoning or content) leaving the server.</summary>
    public TimeSpan FirstTokenDelay { get; init; } = TimeSpan.Zero;

    /// <summary>Between consecutive tokens (reasoning and content alike).</summary>
    public TimeSpan InterTokenDelay { get; init; } = TimeSpan.Zero;

    // ── Reply ─────────────────────────────────────────────────────────────────────────────────────────────────

    /// <summary>Number of content chunks of an ordinary (non-judge) reply when <see cref="Reply"/> is null.</summary>
    public int TokenCount { get; init; } = 5;

    /// <summary>The text of each of the <see cref="TokenCount"/> content chunks.</summary>
    public string TokenText { get; init; } = "tok ";

    /// <summary>When set, the whole content of an ordinary reply, streamed in chunks of <see cref="ReplyChunkChars"/>.</summary>
    public string? Reply { get; init; }

    /// <summary>Chunk size, in characters, for <see cref="Reply"/> and judge replies.</summary>
    public int ReplyChunkChars { get; init; } = 8;

    /// <summary>Number of reasoning chunks sent before the content.</summary>
    public int ReasoningTokens { get; init; }

    /// <summary>The text of each reasoning chunk.</summary>
    public string ReasoningText { get; init; } = "think ";

    /// <summary>The delta field that carries reasoning: DeepSeek/vLLM use <c>reasoning_content</c>, OpenRouter <c>reasoning</c>.</summary>
    public string ReasoningField { get; init; } = "reasoning_content";

    /// <summary>The final chunk's finish_reason; null sends no finish chunk at all (a stream cut short).</summary>
    public string? FinishReason { get; init; } = "stop";

    // ── Usage ─────────────────────────────────────────────────────────────────────────────────────────────────

    /// <summary>Send usage (streaming: only when the request asked with stream_options.include_usage, as OpenAI does).</summary>
    public bool IncludeUsage { get; init; } = true;

    /// <summary>Reported prompt_tokens; null reports ceil(prompt characters / 4).</summary>
    public int? UsagePromptTokens { get; init; }

    /// <summary>Reported completion_tokens; null reports content chunks + reasoning chunks.</summary>
    public int? UsageCompletionTokens { get; init; }

    // ── Faults ────────────────────────────────────────────────────────────────────────────────────────────────

    /// <summary>An HTTP status (429, 500, 503, 529…) returned at once, before any streaming, with an OpenAI-style error body.</summary>
    public int? Status { get; init; }

    /// <summary>The Retry-After header sent with <see cref="Status"/> (seconds or an HTTP date), verbatim.</summary>
    public string? RetryAfter { get; init; }

    /// <summary>The retry-after-ms header sent with <see cref="Status"/>.</summary>
    public int? RetryAfterMs { get; init; }

    /// <summary>The error message for <see cref="Status"/> and <see cref="MidStreamErrorAfter"/>; null uses OpenAI's usual text.</summary>
    public string? ErrorMessage { get; init; }

    /// <summary>After this many content chunks, send a <c>data: {"error":…}</c> event and end the stream (no finish, no [DONE]).</summary>
    public int? MidStreamErrorAfter { get; init; }

    /// <summary>After this many content chunks, abort the TCP connection.</summary>
    public int? DropAfter { get; init; }

    /// <summary>After this many content chunks, send nothing for <see cref="StallFor"/> (connection kept open), then go on.</summary>
    public int? StallAfter { get; init; }

    /// <summary>How long a <see cref="StallAfter"/> stall lasts; <see cref="Timeout.InfiniteTimeSpan"/> stalls until the client leaves.</summary>
    public TimeSpan StallFor { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>End the stream without <c>data: [DONE]</c>.</summary>
    public bool OmitDone { get; init; }

    /// <summary>
    /// The <c>:exception-type</c> of the exception event a <see cref="FakeBedrockServer"/> sends at
    /// <see cref="MidStreamErrorAfter"/> (<c>modelStreamErrorException</c>, <c>throttlingException</c>,
    /// <c>validationException</c>, <c>internalServerException</c>, <c>serviceUnavailableException</c>).
    /// </summary>
    public string MidStreamExceptionType { get; init; } = "modelStreamErrorException";

    /// <summary>
    /// The <c>error.type</c> of an Anthropic error, for <see cref="Status"/> and for <see cref="MidStreamErrorAfter"/>'s
    /// <c>event: error</c> (<c>overloaded_error</c>, <c>rate_limit_error</c>, <c>api_error</c>…); null uses the type
    /// Anthropic gives the status, and <c>overloaded_error</c> mid-stream.
    /// </summary>
    public string? ErrorType { get; init; }

    /// <summary>
    /// With <see cref="Status"/> on the Anthropic route: <c>anthropic-ratelimit-*</c> headers saying the request limit is
    /// exhausted until this long after the response (RFC 3339), while the token limit is not.
    /// </summary>
    public TimeSpan? RateLimitReset { get; init; }

    // ── Bedrock only ──────────────────────────────────────────────────────────────────────────────────────────

    /// <summary>
    /// Service tiers (<c>priority</c>, <c>flex</c>…) a <see cref="FakeBedrockServer"/> refuses for this model: a request
    /// naming one gets a 400 <c>ValidationException</c>, as Bedrock refuses a tier a model does not offer in the region.
    /// </summary>
    public IReadOnlyList<string>? RefusedServiceTiers { get; init; }

    /// <summary>
    /// What <c>POST /optimize-prompt</c> targeting this model returns as the optimized prompt; null returns
    /// <c>"Optimized for {targetModelId}: {prompt}"</c>.
    /// </summary>
    public string? OptimizedPrompt { get; init; }

    /// <summary>The <c>analyzePromptEvent</c> message sent before the optimized prompt.</summary>
    public string OptimizationAnalysis { get; init; } = "The prompt states its task; the optimized version adds structure and an explicit answer format.";

    /// <summary><c>POST /optimize-prompt</c> targeting this model is refused with a 400 <c>ValidationException</c> (a model prompt optimization does not support).</summary>
    public bool RefuseOptimization { get; init; }

    // ── Judges ────────────────────────────────────────────────────────────────────────────────────────────────

    /// <summary>Per-metric scores of a judge verdict; metrics not listed get <see cref="JudgeDefaultScore"/>.</summary>
    public IReadOnlyDictionary<string, int>? JudgeScores { get; init; }

    /// <summary>The score of every metric not in <see cref="JudgeScores"/>.</summary>
    public int JudgeDefaultScore { get; init; } = 4;

    /// <summary>The explanation of a judge verdict.</summary>
    public string JudgeExplanation { get; init; } = "Fake verdict: accurate and clear, with minor omissions.";

    /// <summary>Replaces a judge reply's whole content verbatim (to test unparseable verdicts).</summary>
    public string? JudgeReply { get; init; }

    /// <summary>Answer 400 to any request carrying response_format, like servers without structured output.</summary>
    public bool RejectResponseFormat { get; init; }

    /// <summary>
    /// A judge that obeys instructions found in its prompt, even inside the answer it grades: "give 5" sets every score,
    /// "begin your explanation with the word X" starts the explanation with X (see <see cref="InjectedInstructions"/>).
    /// </summary>
    public bool ObeyInjections { get; init; }

    // ── Per request ───────────────────────────────────────────────────────────────────────────────────────────

    /// <summary>
    /// Picks this model's behaviour per request (null keeps this one); applied once, after the server-wide
    /// <see cref="FakeOpenAIServer.Selector"/>. <see cref="Faults"/> makes one.
    /// </summary>
    [JsonIgnore]
    public Func<FakeRequest, ModelBehavior?>? PerRequest { get; init; }

    /// <summary>
    /// A selector that injects faults into a share of requests, deterministically: the n-th request it sees always
    /// gets the same fate for the same seed, whatever the concurrency. Percentages are of all requests, 0–100.
    /// The faulted behaviour is the request's <see cref="FakeRequest.Behavior"/> with the fault added.
    /// </summary>
    public static Func<FakeRequest, ModelBehavior?> Faults(
        int seed,
        double throttle429Percent = 0,
        int retryAfterSeconds = 1,
        double server5xxPercent = 0,
        double dropPercent = 0,
        double stallPercent = 0,
        TimeSpan? stallFor = null) =>
        new FaultSchedule(seed, throttle429Percent, retryAfterSeconds, server5xxPercent, dropPercent, stallPercent,
            stallFor ?? TimeSpan.FromSeconds(30)).Pick;
}
