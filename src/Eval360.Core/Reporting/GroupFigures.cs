namespace Eval360.Reporting;

/// <summary>Counts, sums and latency distributions for one cell of a breakdown (a model at a temperature, a region…).</summary>
internal sealed class GroupFigures
{
    public int Invocations { get; private set; }

    public int Succeeded { get; private set; }

    public int Judged { get; private set; }

    public int Passed { get; private set; }

    public int Retries { get; private set; }

    public int ProviderThrottles { get; private set; }

    public double Cost { get; private set; }

    public double JuryCost { get; private set; }

    public LatencySketch TimeToFirstToken { get; } = new();

    public LatencySketch TimeToLastByte { get; } = new();

    public LatencySketch TokensPerSecond { get; } = new();

    private double _scoreSum;
    private int _scoreCount;

    public double? PassRate => Judged > 0 ? Passed / (double)Judged : null;

    public double SuccessRate => Invocations > 0 ? Succeeded / (double)Invocations : 0;

    /// <summary>The mean over judged responses of each response's mean score across dimensions.</summary>
    public double? MeanScore => _scoreCount > 0 ? _scoreSum / _scoreCount : null;

    /// <summary>Model cost per successful response (the jury's cost is not the model's).</summary>
    public double? CostPerResponse => Succeeded > 0 ? Cost / Succeeded : null;

    public void Add(InvocationResult r)
    {
        Invocations++;
        Retries += r.Retries;
        ProviderThrottles += r.ProviderThrottles;
        Cost += r.Cost;
        JuryCost += r.JuryCost;
        if (!r.IsSucceeded())
        {
            return;
        }

        Succeeded++;
        if (r.TimeToFirstToken is double ttft)
        {
            TimeToFirstToken.Add(ttft);
        }

        if (r.TimeToLastByte is double ttlb)
        {
            TimeToLastByte.Add(ttlb);
        }

        if (r.OutputTokensPerSecond is double tps)
        {
            TokensPerSecond.Add(tps);
        }

        if (r.Passed is bool passed)
        {
            Judged++;
            Passed += passed ? 1 : 0;
            if (ResponseScore(r) is double score)
            {
                _scoreSum += score;
                _scoreCount++;
            }
        }
    }

    /// <summary>One response's mean score across its dimensions; null when it has none.</summary>
    public static double? ResponseScore(InvocationResult r)
    {
        if (r.Scores.Count == 0)
        {
            return null;
        }

        double sum = 0;
        foreach (var score in r.Scores.Values)
        {
            sum += score;
        }

        return sum / r.Scores.Count;
    }
}
