namespace Eval360;

/// <summary>
/// The level of measurement a judges' agreement figure treats scores at (Krippendorff's terms): <c>Nominal</c> counts
/// only exact matches, <c>Ordinal</c> weighs a disagreement by how many scores lie between the two, <c>Interval</c> by
/// the squared difference, <c>Ratio</c> by the squared difference relative to the scores' size.
/// </summary>
public enum MeasurementLevel
{
    Nominal,
    Ordinal,
    Interval,
    Ratio,
}

/// <summary>
/// One figure about a jury on one metric (a scored dimension, <c>Overall</c>, or <c>Passed</c> for the judges'
/// pass/fail), with its 95% bootstrap interval over answers: how far the judges agree (<see cref="Judge"/> null), how
/// one judge scores against the rest, or how a judge or the jury agrees with human labels.
/// </summary>
public sealed class JuryStatistic
{
    /// <summary><see cref="Statistic"/>: Krippendorff's α among the judges.</summary>
    public const string KrippendorffAlpha = "KrippendorffAlpha";

    /// <summary><see cref="Statistic"/>: Fleiss' κ among the judges (nominal).</summary>
    public const string FleissKappa = "FleissKappa";

    /// <summary><see cref="Statistic"/>: a judge's mean score minus the mean of the other judges' on the same answers.</summary>
    public const string Leniency = "Leniency";

    /// <summary><see cref="Statistic"/>: Krippendorff's α (interval) between a judge and the mean of the other judges.</summary>
    public const string AgreementWithRest = "AgreementWithRest";

    /// <summary><see cref="Statistic"/>: weighted Cohen's κ of a judge, or of the jury's mean score, against the human labels.</summary>
    public const string CohenKappa = "CohenKappa";

    /// <summary><see cref="Statistic"/>: the jury's <see cref="CohenKappa"/> minus that of the best single judge (named in <see cref="Judge"/>).</summary>
    public const string JuryVersusBestJudge = "JuryVersusBestJudge";

    /// <summary>The metric for the judges' own pass/fail decisions (as 1/0).</summary>
    public const string PassedMetric = "Passed";

    /// <summary>The metric for a judge's mean score over the dimensions it scored on an answer.</summary>
    public const string OverallMetric = "Overall";

    /// <summary>The value of <see cref="Judge"/> for the jury's mean score in <see cref="CohenKappa"/> rows.</summary>
    public const string Jury = "(jury)";

    /// <summary>The scored dimension or user metric, <see cref="OverallMetric"/>, or <see cref="PassedMetric"/>.</summary>
    public string Metric { get; set; } = string.Empty;

    /// <summary>Null for a figure of the whole jury; else the judge it is about (or <see cref="Jury"/>).</summary>
    public string? Judge { get; set; }

    /// <summary><see cref="KrippendorffAlpha"/>, <see cref="FleissKappa"/>, <see cref="Leniency"/>, <see cref="AgreementWithRest"/>, <see cref="CohenKappa"/> or <see cref="JuryVersusBestJudge"/>.</summary>
    public string Statistic { get; set; } = string.Empty;

    /// <summary>The level of measurement of an α or κ among judges (Fleiss' κ is nominal); null for the other statistics.</summary>
    public MeasurementLevel? Level { get; set; }

    /// <summary>For Cohen's κ: <c>linear</c> (a disagreement costs its distance in points) or <c>quadratic</c> (its square); else null.</summary>
    public string? Weighting { get; set; }

    /// <summary>
    /// The figure. α and κ: 1 is perfect agreement, 0 what chance gives, below 0 systematic disagreement. Leniency: in
    /// score points (for <c>Passed</c>, how much more often the judge passes), above 0 more lenient than the rest.
    /// Null when undefined (no variation at all, or too few answers).
    /// </summary>
    public double? Value { get; set; }

    /// <summary>The low end of the 95% interval: a percentile bootstrap over answers (2,000 resamples, fixed seed).</summary>
    public double? CiLow { get; set; }

    /// <summary>The high end of the 95% interval.</summary>
    public double? CiHigh { get; set; }

    /// <summary>Answers the figure is computed over (for agreement among judges: those with two or more usable scores).</summary>
    public int Items { get; set; }

    /// <summary>For agreement among judges: judge × answer cells without a usable score (failed judges, a metric a judge did not score); else 0.</summary>
    public int Missing { get; set; }

    /// <summary>
    /// For Krippendorff's α among the judges: <c>unreliable</c> (α &lt; 0.667), <c>tentative</c> (0.667 ≤ α &lt; 0.8) or
    /// <c>reliable</c> (α ≥ 0.8), Krippendorff's own thresholds; null otherwise.
    /// </summary>
    public string? Reliability { get; set; }

    public override string ToString() => $"{Metric}{(Judge is null ? string.Empty : " " + Judge)} {Statistic} = {Value:0.###}";
}

/// <summary>The values of <see cref="JuryStatistic.Reliability"/>, part of the public contract.</summary>
public static class JuryReliability
{
    public const string Unreliable = "unreliable";

    public const string Tentative = "tentative";

    public const string Reliable = "reliable";
}

/// <summary>The values of <see cref="JuryStatistic.Weighting"/>.</summary>
public static class KappaWeighting
{
    public const string Linear = "linear";

    public const string Quadratic = "quadratic";
}
