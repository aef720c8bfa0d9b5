using Eval360.Providers;

namespace Eval360.Jury;

/// <summary>
/// Who judges and how their verdicts decide: the jury's part of a benchmark's settings, or of a re-judging's. The
/// defaults and ranges live with whoever owns those settings; this only carries them.
/// </summary>
public sealed record JurySettings
{
    public required IReadOnlyList<ModelProfile> Judges { get; init; }

    /// <summary>The score (on the 1–5 scale) a dimension must reach to pass.</summary>
    public required double PassThreshold { get; init; }

    public required JuryAggregation Aggregation { get; init; }

    /// <summary>Metrics scored beside the six core dimensions, unless a scenario names its own.</summary>
    public IReadOnlyList<string> UserDefinedMetrics { get; init; } = [];

    /// <summary>What results judged by this jury say judged them (<see cref="InvocationResult.JuryId"/>).</summary>
    public string? JuryId { get; init; }

    /// <summary>What the judges score for one scenario: the core six, then the user's metrics (the scenario's own list wins).</summary>
    public IReadOnlyList<string> MetricsFor(Scenario scenario) => Dimensions.For(scenario.UserDefinedMetrics, UserDefinedMetrics);
}

/// <summary>One response put before the jury, with what the judges need to grade it.</summary>
public sealed record JuryCase
{
    /// <summary>The stable key of the work item that produced the response; it seeds simulated judges, so the same case gets the same verdicts in any process.</summary>
    public required string Key { get; init; }

    public required Scenario Scenario { get; init; }

    /// <summary>The prompt the candidate was sent (the scenario's, or an optimized variant).</summary>
    public required string Prompt { get; init; }

    public required string Response { get; init; }

    /// <summary>The metrics to score, usually <see cref="JurySettings.MetricsFor"/> of the scenario.</summary>
    public required IReadOnlyList<string> Metrics { get; init; }

    /// <summary>The scenario's image, shown to every judge beside the response (with <c>-Vision</c>); null for none.</summary>
    internal Configuration.ImageReference? Image { get; init; }
}

/// <summary>What a jury said about one response: every judge's verdict, complete, and the decision they make together.</summary>
public sealed record JuryOutcome(IReadOnlyList<JudgeVerdict> Verdicts, JuryVerdict Decision)
{
    /// <summary>The jury that gave the verdicts (<see cref="JurySettings.JuryId"/>).</summary>
    public string? JuryId { get; init; }

    /// <summary>The judges (as results name them) that refused the case's image, now or earlier in the run; their verdicts say <c>unsupported_input</c>.</summary>
    public IReadOnlyList<string> RefusedImage { get; init; } = [];

    /// <summary>USD for every judge call on the response.</summary>
    public double Cost => Verdicts.Sum(v => v.Cost);

    /// <summary>Why there is no decision (every judge failed, each with its reason); null when there is one.</summary>
    public string? Unavailable => Decision.Passed is null
        ? "no judge gave a usable verdict: " + string.Join("; ", Verdicts.Select(v => $"{v.JudgeModelId}: {v.Error}"))
        : null;

    /// <summary>
    /// Records the outcome on a result that is not recorded yet: <c>JuryId</c>, <c>Judges</c>, <c>JuryCost</c>,
    /// <c>Scores</c>, <c>Passed</c>, and with no decision the error code <c>jury_unavailable</c> and its reason.
    /// </summary>
    public void WriteTo(InvocationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        result.JuryId = JuryId;
        result.Judges = [.. Verdicts];
        result.JuryCost = Cost;
        result.Scores = new Dictionary<string, double>(Decision.Scores, StringComparer.OrdinalIgnoreCase);
        result.Passed = Decision.Passed;
        if (Unavailable is { } reason)
        {
            result.ErrorCode = FailureKind.JuryUnavailable.Code();
            result.ErrorMessage = reason;
        }
    }
}
