namespace Eval360;

/// <summary>One model's figures over a set of results: quality, latency, throughput, cost and reliability.</summary>
public sealed class ModelSummary
{
    private ScoreSet _meanScores = [];
    private ScoreSet _meanScoreCiLow = [];
    private ScoreSet _meanScoreCiHigh = [];
    private ErrorCounts _errors = [];

    public string ModelId { get; set; } = string.Empty;

    public string Provider { get; set; } = string.Empty;

    public string? Region { get; set; }

    /// <summary>The run these figures cover, when results are summarised per run (<c>-GroupBy Run</c>); otherwise null.</summary>
    public string? RunId { get; set; }

    /// <summary>The experiment these figures cover, when results are summarised per experiment (<c>-GroupBy Experiment</c>); otherwise null.</summary>
    public string? ExperimentName { get; set; }

    /// <summary>
    /// The place in the ranking, 1 = best: models below the quality floor after every model above it, then by
    /// <see cref="CompositeScore"/>. Models whose composite scores do not differ beyond their 95% uncertainty share a
    /// rank (see <see cref="Tied"/>). 0 when the summary was not ranked.
    /// </summary>
    public int Rank { get; set; }

    /// <summary>Shares its <see cref="Rank"/> with another model: the data cannot order them.</summary>
    public bool Tied { get; set; }

    /// <summary>0–100, the weighted mean of quality, latency, cost and reliability (weights as given; the report explains them). Null when not ranked.</summary>
    public double? CompositeScore { get; set; }

    /// <summary>Its pass rate is below the quality floor (50% unless <c>-QualityFloor</c> says otherwise): it ranks after every model above the floor.</summary>
    public bool BelowQualityFloor { get; set; }

    /// <summary>
    /// On the Pareto frontier of quality (pass rate, then mean score), median time to first token and model cost per
    /// successful response: no other model is at least as good on all three and better on one.
    /// </summary>
    public bool ParetoOptimal { get; set; }

    /// <summary>The models that are at least as good on quality, median time to first token and cost per successful response, and better on one; empty on the frontier.</summary>
    public NameList DominatedBy { get; set; } = NameList.Empty;

    public int Invocations { get; set; }

    public int Succeeded { get; set; }

    public int Failed { get; set; }

    /// <summary>Responses the jury gave a decision on.</summary>
    public int Judged { get; set; }

    public int Passed { get; set; }

    /// <summary>Passed / Judged; null when nothing was judged.</summary>
    public double? PassRate { get; set; }

    /// <summary>
    /// The low end of <see cref="PassRate"/>'s 95% confidence interval: a bootstrap over the judged responses (resampled
    /// as items, never as judge rows; 2,000 resamples with a fixed seed, so the same results give the same interval).
    /// Null when nothing was judged.
    /// </summary>
    public double? PassRateCiLow { get; set; }

    /// <summary>The high end of <see cref="PassRate"/>'s 95% confidence interval (see <see cref="PassRateCiLow"/>).</summary>
    public double? PassRateCiHigh { get; set; }

    /// <summary>Dimension → mean score over judged responses (a <see cref="ScoreSet"/>: readable as text).</summary>
    public IDictionary<string, double> MeanScores
    {
        get => _meanScores;
        set => _meanScores = ScoreSet.From(value);
    }

    /// <summary>Dimension → low end of its mean score's 95% confidence interval (the same bootstrap as <see cref="PassRateCiLow"/>).</summary>
    public IDictionary<string, double> MeanScoreCiLow
    {
        get => _meanScoreCiLow;
        set => _meanScoreCiLow = ScoreSet.From(value);
    }

    /// <summary>Dimension → high end of its mean score's 95% confidence interval.</summary>
    public IDictionary<string, double> MeanScoreCiHigh
    {
        get => _meanScoreCiHigh;
        set => _meanScoreCiHigh = ScoreSet.From(value);
    }

    /// <summary>The mean of <see cref="MeanScores"/>: one number for ranking.</summary>
    public double? OverallScore { get; set; }

    /// <summary>The low end of <see cref="OverallScore"/>'s 95% confidence interval (the same bootstrap as <see cref="PassRateCiLow"/>).</summary>
    public double? OverallScoreCiLow { get; set; }

    /// <summary>The high end of <see cref="OverallScore"/>'s 95% confidence interval.</summary>
    public double? OverallScoreCiHigh { get; set; }

    /// <summary>Successful invocations with a time to first token: the sample the latency percentiles are computed over.</summary>
    public int LatencySamples { get; set; }

    public double? TimeToFirstTokenP50 { get; set; }

    public double? TimeToFirstTokenP95 { get; set; }

    public double? TimeToFirstTokenP99 { get; set; }

    public double? TimeToLastByteP50 { get; set; }

    public double? TimeToLastByteP95 { get; set; }

    public double? OutputTokensPerSecond { get; set; }

    public long InputTokens { get; set; }

    public long OutputTokens { get; set; }

    /// <summary>USD spent on the model's own calls.</summary>
    public double Cost { get; set; }

    /// <summary>USD spent on judging the model's responses.</summary>
    public double JuryCost { get; set; }

    public double TotalCost => Cost + JuryCost;

    /// <summary>Mean USD per successful response, model and jury together.</summary>
    public double? CostPerResponse => Succeeded > 0 ? TotalCost / Succeeded : null;

    /// <summary>The model's own USD (not the jury's) per successful response: what a response costs in production.</summary>
    public double? ModelCostPerResponse => Succeeded > 0 ? Cost / Succeeded : null;

    public int Retries { get; set; }

    /// <summary>HTTP 429s (and throttling errors) the provider returned.</summary>
    public int ProviderThrottles { get; set; }

    public double? TargetRpm { get; set; }

    public double? ActualRpm { get; set; }

    /// <summary>Calls Eval360's pacing made wait.</summary>
    public int ThrottleEvents { get; set; }

    public double ThrottleWaitSeconds { get; set; }

    public double? MeanThrottleWaitSeconds => ThrottleEvents > 0 ? ThrottleWaitSeconds / ThrottleEvents : null;

    /// <summary>Failures by error code (an <see cref="ErrorCounts"/>: readable as text).</summary>
    public IDictionary<string, int> Errors
    {
        get => _errors;
        set => _errors = ErrorCounts.From(value);
    }

    public double SuccessRate => Invocations > 0 ? Succeeded / (double)Invocations : 0;

    public bool Simulated { get; set; }
}
