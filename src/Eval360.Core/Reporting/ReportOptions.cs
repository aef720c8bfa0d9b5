namespace Eval360.Reporting;

/// <summary>How a report is titled and ranked.</summary>
public sealed record ReportOptions
{
    /// <summary>The page title; by default the experiment names of the results.</summary>
    public string? Title { get; init; }

    /// <summary>Where the results came from (run directories, files), listed in the header.</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];

    /// <summary>Remarks shown under the header (results that could not be read, a run's status).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    public CompositeWeights Weights { get; init; } = new();

    /// <summary>The time printed as the report's date; now by default.</summary>
    public DateTimeOffset? GeneratedAt { get; init; }
}

/// <summary>
/// The weight of each component of the composite ranking score; they need not add up to 1. Quality weighs most: a fast,
/// cheap model that fails most answers should not top the ranking.
/// </summary>
public sealed record CompositeWeights(double Quality = 0.5, double Latency = 0.2, double Cost = 0.15, double Reliability = 0.15);
