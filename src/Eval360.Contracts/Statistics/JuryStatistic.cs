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
/// One figure of how far a jury's judges agree on one metric (a scored dimension, or <c>Passed</c> for their pass/fail),
/// over the answers two or more of them judged, with its 95% bootstrap interval.
/// </summary>
public sealed class JuryStatistic
{
    /// <summary>The value of <see cref="Statistic"/> for Krippendorff's α.</summary>
    public const string KrippendorffAlpha = "KrippendorffAlpha";

    /// <summary>The value of <see cref="Statistic"/> for Fleiss' κ.</summary>
    public const string FleissKappa = "FleissKappa";

    /// <summary>The metric for the judges' own pass/fail decisions.</summary>
    public const string PassedMetric = "Passed";

    /// <summary>The scored dimension or user metric, or <see cref="PassedMetric"/>.</summary>
    public string Metric { get; set; } = string.Empty;

    /// <summary><see cref="KrippendorffAlpha"/> or <see cref="FleissKappa"/>.</summary>
    public string Statistic { get; set; } = string.Empty;

    /// <summary>The level of measurement (Fleiss' κ is always nominal).</summary>
    public MeasurementLevel Level { get; set; }

    /// <summary>1 is perfect agreement, 0 what chance gives, below 0 systematic disagreement; null when undefined (no variation at all, or fewer than two judged answers).</summary>
    public double? Value { get; set; }

    /// <summary>The low end of the 95% interval: a percentile bootstrap over answers (2,000 resamples, fixed seed).</summary>
    public double? CiLow { get; set; }

    /// <summary>The high end of the 95% interval.</summary>
    public double? CiHigh { get; set; }

    /// <summary>Answers with two or more usable scores on this metric: the ones the figure is computed over.</summary>
    public int Items { get; set; }

    /// <summary>Judge × answer cells without a usable score (failed judges, a metric a judge did not score), over every answer put to the jury.</summary>
    public int Missing { get; set; }

    /// <summary>The judges the figure covers.</summary>
    public int Judges { get; set; }

    /// <summary>
    /// For Krippendorff's α: <c>unreliable</c> (α &lt; 0.667), <c>tentative</c> (0.667 ≤ α &lt; 0.8) or <c>reliable</c>
    /// (α ≥ 0.8), Krippendorff's own thresholds; null for Fleiss' κ and for an undefined α.
    /// </summary>
    public string? Reliability { get; set; }

    public override string ToString() => $"{Metric} {Statistic} ({Level}) = {Value:0.###}";
}

/// <summary>The values of <see cref="JuryStatistic.Reliability"/>, part of the public contract.</summary>
public static class JuryReliability
{
    public const string Unreliable = "unreliable";

    public const string Tentative = "tentative";

    public const string Reliable = "reliable";
}
