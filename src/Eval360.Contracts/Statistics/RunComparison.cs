namespace Eval360;

/// <summary>
/// One model's figure in a run compared with a baseline run: quality paired on the same scenarios, latency and cost
/// as two independent samples. <see cref="Regressed"/> needs both a change past the tolerance and significance.
/// </summary>
public sealed class RunComparison
{
    public string ModelId { get; set; } = string.Empty;

    public string? Region { get; set; }

    /// <summary>
    /// A scored dimension or <c>PassRate</c> (means over the paired scenarios), or <c>TimeToFirstToken</c>,
    /// <c>TimeToLastByte</c>, <c>OutputTokensPerSecond</c> or <c>Cost</c> (medians over successful invocations).
    /// </summary>
    public string Metric { get; set; } = string.Empty;

    public double? Baseline { get; set; }

    public double? Current { get; set; }

    /// <summary>Current − Baseline.</summary>
    public double? Difference { get; set; }

    /// <summary>The 95% interval of <see cref="Difference"/> (paired bootstrap for quality, a bootstrap of the difference of medians otherwise).</summary>
    public double? CiLow { get; set; }

    public double? CiHigh { get; set; }

    /// <summary>Difference / Baseline: 0.3 is 30% higher.</summary>
    public double? Change { get; set; }

    /// <summary>The test's two-sided p-value (Wilcoxon signed-rank for quality, Mann-Whitney U otherwise).</summary>
    public double? PValue { get; set; }

    public string Test { get; set; } = string.Empty;

    /// <summary>Scenarios paired (quality), or successful invocations in the baseline (latency, cost).</summary>
    public int BaselineCount { get; set; }

    /// <summary>Scenarios paired (quality), or successful invocations in the current run (latency, cost).</summary>
    public int CurrentCount { get; set; }

    /// <summary>Worse than the baseline by more than the tolerance, and significantly (p &lt; 0.05).</summary>
    public bool Regressed { get; set; }

    public override string ToString() => $"{ModelId} {Metric}: {Baseline:0.####} → {Current:0.####}{(Regressed ? " REGRESSED" : string.Empty)}";
}
