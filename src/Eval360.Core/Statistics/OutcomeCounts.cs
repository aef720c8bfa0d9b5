namespace Eval360.Statistics;

/// <summary>
/// How a set of invocations went, counted: the one place results are counted, whether the set is a model, a region, a
/// model at one temperature or everything at once. Running sums only, so it costs the same for ten results or a million.
/// </summary>
public sealed class OutcomeCounts
{
    // Sums that do not depend on the order results come in (the shards of a plan, their merge, any order).
    private readonly ExactSum _cost = new();
    private readonly ExactSum _juryCost = new();
    private readonly ExactSum _throttleWait = new();
    private readonly ExactSum _scoreSum = new();
    private int _scoreCount;

    public int Invocations { get; private set; }

    public int Succeeded { get; private set; }

    public int Failed => Invocations - Succeeded;

    /// <summary>Answers the jury gave a decision on.</summary>
    public int Judged { get; private set; }

    public int Passed { get; private set; }

    /// <summary>Attempts beyond the first, over all invocations.</summary>
    public int Retries { get; private set; }

    /// <summary>HTTP 429s (and throttling errors) the providers returned.</summary>
    public int ProviderThrottles { get; private set; }

    /// <summary>Calls Eval360's pacing made wait.</summary>
    public int ThrottleEvents { get; private set; }

    public double ThrottleWaitSeconds => _throttleWait.Value;

    /// <summary>USD for the candidates' own calls.</summary>
    public double Cost => _cost.Value;

    /// <summary>USD for judging the answers.</summary>
    public double JuryCost => _juryCost.Value;

    /// <summary>Input tokens of successful invocations.</summary>
    public long InputTokens { get; private set; }

    /// <summary>Output tokens of successful invocations.</summary>
    public long OutputTokens { get; private set; }

    /// <summary>Results from Eval360's built-in simulator.</summary>
    public int Simulated { get; private set; }

    /// <summary>Results of latency-only runs (no jury asked).</summary>
    public int LatencyOnly { get; private set; }

    /// <summary>Passed / judged; null when nothing was judged. Failed, latency-only and unjudged answers are not in it.</summary>
    public double? PassRate => Judged > 0 ? Passed / (double)Judged : null;

    /// <summary>Succeeded / all invocations (0 when there are none).</summary>
    public double SuccessRate => Invocations > 0 ? Succeeded / (double)Invocations : 0;

    /// <summary>The mean over judged answers of each answer's mean score across its dimensions.</summary>
    public double? MeanScore => _scoreCount > 0 ? _scoreSum.Value / _scoreCount : null;

    /// <summary>The candidates' own cost (not the jury's) per successful response.</summary>
    public double? ModelCostPerResponse => Succeeded > 0 ? Cost / Succeeded : null;

    public void Add(InvocationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Invocations++;
        Retries += result.Retries;
        ProviderThrottles += result.ProviderThrottles;
        _cost.Add(result.Cost);
        _juryCost.Add(result.JuryCost);
        Simulated += result.Simulated ? 1 : 0;
        LatencyOnly += result.IsLatencyOnly() ? 1 : 0;
        if (result.Throttled)
        {
            ThrottleEvents++;
            _throttleWait.Add(result.ThrottleWaitSeconds);
        }

        if (!result.IsSucceeded())
        {
            return;
        }

        Succeeded++;
        InputTokens += result.InputTokens;
        OutputTokens += result.OutputTokens;
        if (result.Passed is bool passed)
        {
            Judged++;
            Passed += passed ? 1 : 0;
            if (ResponseScore(result) is double score)
            {
                _scoreSum.Add(score);
                _scoreCount++;
            }
        }
    }

    /// <summary>One answer's mean score across its dimensions; null when it has none.</summary>
    public static double? ResponseScore(InvocationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Scores.Count == 0)
        {
            return null;
        }

        double sum = 0;
        foreach (var score in result.Scores.Values)
        {
            sum += score;
        }

        return sum / result.Scores.Count;
    }
}
