namespace Eval360;

/// <summary>
/// A self-preference check for one judge: the mean score it gave answers from models of its own family (a Claude judge
/// on Claude answers, a GPT judge on GPT answers…) against the mean it gave other families' answers, beside the same
/// gap as the rest of the jury saw it on the same answers. A gap the other judges do not see is the judge's own
/// preference, not a difference in quality.
/// </summary>
public sealed class JudgeFamilyBias
{
    public string JudgeModelId { get; set; } = string.Empty;

    /// <summary>The model family of the judge and of the answers it favours or not (<c>Claude</c>, <c>GPT</c>, <c>Llama</c>…).</summary>
    public string Family { get; set; } = string.Empty;

    /// <summary>Answers from models of the judge's family that it scored (usable verdicts only).</summary>
    public int OwnFamilyAnswers { get; set; }

    /// <summary>Its mean score (1–5; per answer the mean over the metrics, then over answers) on its own family's answers.</summary>
    public double OwnFamilyMean { get; set; }

    /// <summary>Answers from models of other known families that it scored.</summary>
    public int OtherFamilyAnswers { get; set; }

    /// <summary>Its mean score on other families' answers; null when it scored none.</summary>
    public double? OtherFamilyMean { get; set; }

    /// <summary><see cref="OwnFamilyMean"/> − <see cref="OtherFamilyMean"/>: how much more it gave its own family.</summary>
    public double? Delta { get; set; }

    /// <summary>
    /// The same difference as judges of other families scored the same answers (per answer their mean, then over
    /// answers); null when no such judge scored answers of both kinds.
    /// </summary>
    public double? OtherJudgesDelta { get; set; }

    /// <summary><see cref="Delta"/> − <see cref="OtherJudgesDelta"/>: the part of the gap only this judge sees. Positive favours its own family.</summary>
    public double? SelfPreference { get; set; }

    public override string ToString() => $"{JudgeModelId} ({Family}): {Delta:+0.00;-0.00;0.00} on its own family";
}
