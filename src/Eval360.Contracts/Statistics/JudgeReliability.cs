namespace Eval360;

/// <summary>
/// How one judge scores compared with the rest of its jury, on one metric: whether it is more lenient or harsher than
/// the others on the same answers, and how far it agrees with them; with 95% bootstrap intervals over answers.
/// </summary>
public sealed class JudgeReliability
{
    /// <summary>The metric for a judge's mean score over every dimension it scored on an answer.</summary>
    public const string OverallMetric = "Overall";

    public string JudgeModelId { get; set; } = string.Empty;

    /// <summary>A scored dimension, <see cref="OverallMetric"/>, or <c>Passed</c> (its pass/fail as 1/0).</summary>
    public string Metric { get; set; } = string.Empty;

    /// <summary>Answers this judge scored that at least one other judge scored too.</summary>
    public int Items { get; set; }

    /// <summary>
    /// The mean, over those answers, of this judge's score minus the mean of the other judges' scores on the same answer:
    /// above 0 it is more lenient than the rest, below 0 harsher (for <c>Passed</c>: how much more often it passes).
    /// </summary>
    public double? Leniency { get; set; }

    public double? LeniencyCiLow { get; set; }

    public double? LeniencyCiHigh { get; set; }

    /// <summary>
    /// Krippendorff's α (interval level) between this judge's score and the mean of the others' on each answer: 1 when
    /// it always says what the rest say, lower as it drifts from them, whether by noise or by a steady offset.
    /// </summary>
    public double? Agreement { get; set; }

    public double? AgreementCiLow { get; set; }

    public double? AgreementCiHigh { get; set; }

    public override string ToString() => $"{JudgeModelId} {Metric}: leniency {Leniency:+0.###;-0.###;0}";
}
