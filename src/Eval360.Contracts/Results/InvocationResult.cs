namespace Eval360;

/// <summary>
/// One finished invocation: a model's answer to a scenario, how fast and dear it was, and what the jury made of it.
/// Property names are part of the public contract (scripts filter and export them).
/// </summary>
public sealed class InvocationResult
{
    private ScoreSet _scores = [];
    private JudgeVerdicts _judges = [];

    public string RunId { get; set; } = string.Empty;

    /// <summary>
    /// The plan the result belongs to (run.json's <c>plan_id</c>): the same for every shard of a plan run with
    /// <c>-Shard i/n</c>, whose run ids differ, so answers to one item pair up across shards. Null for results written
    /// before results carried it, and for results from other tools (the seed's CSVs).
    /// </summary>
    public string? PlanId { get; set; }

    public string ExperimentName { get; set; } = string.Empty;

    /// <summary>1-based experiment number.</summary>
    public int Experiment { get; set; }

    public string ScenarioId { get; set; } = string.Empty;

    /// <summary>1-based invocation number within the experiment.</summary>
    public int Invocation { get; set; }

    public string TaskType { get; set; } = string.Empty;

    public string TaskCriteria { get; set; } = string.Empty;

    public string Prompt { get; set; } = string.Empty;

    public string GoldenAnswer { get; set; } = string.Empty;

    /// <summary>The model as results show it: the profile's model id, with <c>_tier</c> when a service tier is set.</summary>
    public string ModelId { get; set; } = string.Empty;

    public string Provider { get; set; } = string.Empty;

    public string? Region { get; set; }

    /// <summary>The service tier the profile asked for (<c>priority</c>, <c>flex</c>); null for the default.</summary>
    public string? ServiceTier { get; set; }

    /// <summary>The tier the provider says served the call (Bedrock's reply names it); null when it does not say.</summary>
    public string? ServedServiceTier { get; set; }

    /// <summary>
    /// The tier the profile asked for when the provider refused it for this model and region: the call ran at the
    /// default tier instead (then <see cref="ServiceTier"/> is null and <see cref="ModelId"/> has no tier suffix). Null
    /// when there was no fallback.
    /// </summary>
    public string? ServiceTierFallback { get; set; }

    public double Temperature { get; set; }

    /// <summary><c>original</c>, or <c>optimized</c> for prompt-optimized variants (<see cref="PromptVariants"/>).</summary>
    public string PromptVariant { get; set; } = PromptVariants.Original;

    /// <summary><c>360</c> (judged) or <c>latency</c> (jury skipped).</summary>
    public string EvalType { get; set; } = EvalTypes.Judged;

    /// <summary><c>Succeeded</c> when the model answered; <c>Failed</c> when it did not (see <see cref="ErrorCode"/>).</summary>
    public string Status { get; set; } = InvocationStatus.Succeeded;

    /// <summary>Why the invocation failed or could not be judged (<c>throttled</c>, <c>server</c>, <c>timeout</c>, <c>jury_unavailable</c>…); null when all went well.</summary>
    public string? ErrorCode { get; set; }

    public string? ErrorMessage { get; set; }

    public string Response { get; set; } = string.Empty;

    /// <summary>Reasoning ("thinking") text the provider returned apart from the answer.</summary>
    public string? ReasoningResponse { get; set; }

    public string? FinishReason { get; set; }

    /// <summary>Seconds from sending the request to the first chunk carrying generated text.</summary>
    public double? TimeToFirstToken { get; set; }

    /// <summary>Seconds from sending the request to the end of the stream.</summary>
    public double? TimeToLastByte { get; set; }

    /// <summary>Seconds between output tokens: (last token time − first token time) / (OutputTokens − 1).</summary>
    public double? InterTokenLatency { get; set; }

    /// <summary>OutputTokens / TimeToLastByte.</summary>
    public double? OutputTokensPerSecond { get; set; }

    public long InputTokens { get; set; }

    public long OutputTokens { get; set; }

    /// <summary>True only when the provider reported no usage and the counts were estimated from text length.</summary>
    public bool TokensEstimated { get; set; }

    /// <summary>USD for the model call.</summary>
    public double Cost { get; set; }

    /// <summary>Attempts beyond the first for the model call.</summary>
    public int Retries { get; set; }

    /// <summary>Whether Eval360's pacing made this call wait for its turn.</summary>
    public bool Throttled { get; set; }

    /// <summary>Seconds spent waiting for pacing (never part of latency).</summary>
    public double ThrottleWaitSeconds { get; set; }

    /// <summary>Times the provider itself throttled the call (HTTP 429 or its throttling error), retried or not.</summary>
    public int ProviderThrottles { get; set; }

    public double? TargetRpm { get; set; }

    /// <summary>The request rate achieved to this model and region when this invocation finished.</summary>
    public double? ActualRpm { get; set; }

    /// <summary>When the request was sent (UTC).</summary>
    public DateTimeOffset StartedAt { get; set; }

    /// <summary>Dimension → mean score across the judges that gave a usable verdict (a <see cref="ScoreSet"/>: readable as text).</summary>
    public IDictionary<string, double> Scores
    {
        get => _scores;
        set => _scores = ScoreSet.From(value);
    }

    /// <summary>The jury's decision; null when the invocation failed, the jury was skipped, or no judge gave a usable verdict.</summary>
    public bool? Passed { get; set; }

    /// <summary>Every judge's verdict, usable or not (a <see cref="JudgeVerdicts"/>: readable as text).</summary>
    public IList<JudgeVerdict> Judges
    {
        get => _judges;
        set => _judges = JudgeVerdicts.From(value);
    }

    /// <summary>USD for all judge calls on this response.</summary>
    public double JuryCost { get; set; }

    /// <summary>
    /// The jury that judged this result: the run's own id for the jury of a benchmark run, the re-judging's id for
    /// results judged again by <c>Invoke-Eval360Jury</c>; null when no jury judged it (latency only, failed call).
    /// </summary>
    public string? JuryId { get; set; }

    /// <summary>True when the model is Eval360's built-in simulator: the figures are not measurements of any real model.</summary>
    public bool Simulated { get; set; }

    /// <summary>The stable key of the work item this result fulfils (resume matches on it).</summary>
    public string Key { get; set; } = string.Empty;

    public override string ToString() => $"{ModelId} {ScenarioId}#{Invocation} {Status}{(Passed is bool p ? p ? " passed" : " failed" : string.Empty)}";
}

/// <summary>One judge's verdict on one response.</summary>
public sealed class JudgeVerdict
{
    private ScoreSet _scores = [];

    public string JudgeModelId { get; set; } = string.Empty;

    /// <summary>Dimension → score (1–5); empty when the judge failed.</summary>
    public IDictionary<string, double> Scores
    {
        get => _scores;
        set => _scores = ScoreSet.From(value);
    }

    /// <summary>This judge's own pass/fail; null when it gave no usable verdict.</summary>
    public bool? Passed { get; set; }

    public string? Explanation { get; set; }

    public long InputTokens { get; set; }

    public long OutputTokens { get; set; }

    public double Cost { get; set; }

    /// <summary>
    /// Why this judge's verdict is missing or left out (<c>judge_unparseable: …</c>, <c>throttled: …</c>,
    /// <c>injection_suspected: …</c>); null when usable.
    /// </summary>
    public string? Error { get; set; }

    /// <summary>
    /// True when the judge obeyed the injection canary: an instruction Eval360 placed inside the fenced data the judge
    /// must never follow. Its scores may as well follow instructions written in the response, so the verdict is left
    /// out of the decision (<see cref="Error"/> says so) and kept only for inspection.
    /// </summary>
    public bool InjectionSuspected { get; set; }

    public double? Latency { get; set; }

    public int Retries { get; set; }

    public override string ToString() => $"{JudgeModelId}: {Error ?? Passed switch { true => "pass", false => "fail", null => "no verdict" }}";
}
