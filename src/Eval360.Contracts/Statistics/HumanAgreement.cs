namespace Eval360;

/// <summary>
/// How far a judge (or the whole jury, by its mean score) agrees with human labels on one metric: weighted Cohen's κ
/// over the answers both scored, with a 95% bootstrap interval over answers. The jury's rows also compare it with the
/// best single judge.
/// </summary>
public sealed class HumanAgreement
{
    /// <summary>The value of <see cref="Rater"/> for the jury's mean score.</summary>
    public const string Jury = "(jury)";

    public string Metric { get; set; } = string.Empty;

    /// <summary>A judge's model id, or <see cref="Jury"/>.</summary>
    public string Rater { get; set; } = string.Empty;

    /// <summary><c>linear</c>: a disagreement costs its distance in points; <c>quadratic</c>: the square of it.</summary>
    public string Weighting { get; set; } = string.Empty;

    /// <summary>1 is perfect agreement with the humans, 0 what chance gives; null when undefined.</summary>
    public double? Kappa { get; set; }

    public double? CiLow { get; set; }

    public double? CiHigh { get; set; }

    /// <summary>Answers with both a human label and a score from this rater on this metric.</summary>
    public int Items { get; set; }

    /// <summary>On the jury's rows: the judge with the highest κ on this metric and weighting.</summary>
    public string? BestJudge { get; set; }

    /// <summary>On the jury's rows: the jury's κ minus the best judge's (above 0: the jury beats its best member).</summary>
    public double? VersusBestJudge { get; set; }

    public double? VersusBestJudgeCiLow { get; set; }

    public double? VersusBestJudgeCiHigh { get; set; }

    public override string ToString() => $"{Rater} {Metric} κ({Weighting}) = {Kappa:0.###}";
}

/// <summary>The values of <see cref="HumanAgreement.Weighting"/>.</summary>
public static class KappaWeighting
{
    public const string Linear = "linear";

    public const string Quadratic = "quadratic";
}
