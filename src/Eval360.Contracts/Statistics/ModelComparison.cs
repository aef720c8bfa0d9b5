namespace Eval360;

/// <summary>
/// Two models compared on one metric over the same items (the same scenario, invocation, experiment, temperature and
/// prompt variant in the same run): the mean difference A − B with its paired-bootstrap 95% interval, a paired test,
/// and its p-value adjusted (Holm) across the metrics compared for this pair.
/// </summary>
public sealed class ModelComparison
{
    public string ModelA { get; set; } = string.Empty;

    public string ModelB { get; set; } = string.Empty;

    /// <summary>A scored dimension (the jury's mean score), or <c>Passed</c> (the pass rate).</summary>
    public string Metric { get; set; } = string.Empty;

    /// <summary>Mean of A − B over the paired items (score points; for <c>Passed</c> a share, 0.1 = 10 points).</summary>
    public double? Difference { get; set; }

    public double? CiLow { get; set; }

    public double? CiHigh { get; set; }

    /// <summary>The test's two-sided p-value.</summary>
    public double? PValue { get; set; }

    /// <summary><see cref="PValue"/> after Holm's correction across the metrics compared for this pair.</summary>
    public double? PAdjusted { get; set; }

    /// <summary>The test: <c>Wilcoxon signed-rank (exact)</c>, <c>Wilcoxon signed-rank (normal approximation)</c> or <c>McNemar (exact)</c>.</summary>
    public string Test { get; set; } = string.Empty;

    /// <summary>Items both models were judged on.</summary>
    public int Items { get; set; }

    /// <summary>Whether <see cref="PAdjusted"/> is below 0.05.</summary>
    public bool Significant { get; set; }

    /// <summary>
    /// The smallest difference this many items would detect four times in five (a two-sided test at 0.05, from the
    /// spread of the differences seen); null with fewer than two items.
    /// </summary>
    public double? MinimumDetectableDifference { get; set; }

    /// <summary>The finding in one sentence.</summary>
    public string Statement { get; set; } = string.Empty;

    public override string ToString() => Statement;
}
