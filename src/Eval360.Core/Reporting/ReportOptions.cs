using Eval360.Statistics;

namespace Eval360.Reporting;

/// <summary>How a report is titled and ranked, and what it is told besides the results.</summary>
public sealed record ReportOptions
{
    /// <summary>The page title; by default the experiment names of the results.</summary>
    public string? Title { get; init; }

    /// <summary>Where the results came from (run directories, files), listed in the header.</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];

    /// <summary>Remarks shown under the header (results that could not be read, a run's status).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>The composite's weights and the quality floor.</summary>
    public RankingOptions Ranking { get; init; } = RankingOptions.Default;

    /// <summary>A model's prose analysis of the figures (-SummaryModel), shown labelled as model-written; none by default.</summary>
    public ReportAnalysis? Analysis { get; init; }

    /// <summary>The time printed as the report's date; now by default.</summary>
    public DateTimeOffset? GeneratedAt { get; init; }
}

/// <summary>
/// What a model wrote about a report's figures when asked (-SummaryModel), or why it could not: shown on the page as
/// model-written, with its cost.
/// </summary>
/// <param name="ModelId">The model asked.</param>
/// <param name="Text">What it wrote; null when the call failed.</param>
/// <param name="Cost">USD the call cost, from the profile's prices.</param>
/// <param name="Error">Why there is no text (an error code and message, secrets masked); null when there is.</param>
/// <param name="Simulated">The model is Eval360's built-in simulator, whose prose means nothing.</param>
public sealed record ReportAnalysis(string ModelId, string? Text, double Cost, long InputTokens, long OutputTokens, string? Error, bool Simulated);
