namespace Eval360;

/// <summary>How a jury's verdicts become one pass/fail.</summary>
public enum JuryAggregation
{
    /// <summary>Passes when every dimension's mean across judges reaches the threshold (the seed's README).</summary>
    Mean,

    /// <summary>Each judge passes or fails the response (every dimension at or above the threshold); the majority wins, ties fail (the seed's code).</summary>
    Majority,
}
