namespace Eval360.Results;

/// <summary>Aggregates results per model as they stream past; keeps only what percentiles need (one double per latency).</summary>
public sealed class RunSummary
{
    private readonly Dictionary<string, Accumulator> _models = new(StringComparer.Ordinal);

    public void Add(InvocationResult result)
    {
        var key = $"{result.ModelId}|{result.Region}";
        if (!_models.TryGetValue(key, out var accumulator))
        {
            accumulator = new Accumulator(result);
            _models[key] = accumulator;
        }

        accumulator.Add(result);
    }

    public IReadOnlyList<ModelSummary> Summaries() => _models.Values.Select(a => a.Summary()).ToList();

    public static IReadOnlyList<ModelSummary> Of(IEnumerable<InvocationResult> results)
    {
        var summary = new RunSummary();
        foreach (var result in results)
        {
            summary.Add(result);
        }

        return summary.Summaries();
    }

    /// <summary>Linear interpolation between closest ranks (numpy's default); <paramref name="sorted"/> must be sorted.</summary>
    public static double? Percentile(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            return null;
        }

        double rank = p / 100.0 * (sorted.Count - 1);
        int low = (int)Math.Floor(rank);
        int high = Math.Min(low + 1, sorted.Count - 1);
        return sorted[low] + (rank - low) * (sorted[high] - sorted[low]);
    }

    private sealed class Accumulator
    {
        private readonly ModelSummary _summary;
        private readonly List<double> _ttft = [];
        private readonly List<double> _ttlb = [];
        private readonly Dictionary<string, (double Sum, int Count)> _scores = new(StringComparer.OrdinalIgnoreCase);
        private double _tokensPerSecondSum;
        private int _tokensPerSecondCount;

        public Accumulator(InvocationResult first)
        {
            _summary = new ModelSummary { ModelId = first.ModelId, Provider = first.Provider, Region = first.Region, Simulated = first.Simulated };
        }

        public void Add(InvocationResult r)
        {
            var s = _summary;
            s.Invocations++;
            s.Cost += r.Cost;
            s.JuryCost += r.JuryCost;
            s.Retries += r.Retries;
            s.ProviderThrottles += r.ProviderThrottles;
            s.TargetRpm ??= r.TargetRpm;
            s.ActualRpm = r.ActualRpm ?? s.ActualRpm;
            if (r.Throttled)
            {
                s.ThrottleEvents++;
                s.ThrottleWaitSeconds += r.ThrottleWaitSeconds;
            }

            if (!r.IsSucceeded())
            {
                s.Failed++;
                var code = r.ErrorCode ?? "unknown";
                s.Errors[code] = s.Errors.TryGetValue(code, out var n) ? n + 1 : 1;
                return;
            }

            s.Succeeded++;
            s.InputTokens += r.InputTokens;
            s.OutputTokens += r.OutputTokens;
            if (r.TimeToFirstToken is double ttft)
            {
                _ttft.Add(ttft);
            }

            if (r.TimeToLastByte is double ttlb)
            {
                _ttlb.Add(ttlb);
            }

            if (r.OutputTokensPerSecond is double tps)
            {
                _tokensPerSecondSum += tps;
                _tokensPerSecondCount++;
            }

            if (r.Passed is bool passed)
            {
                s.Judged++;
                s.Passed += passed ? 1 : 0;
                foreach (var (dimension, score) in r.Scores)
                {
                    var (sum, count) = _scores.GetValueOrDefault(dimension);
                    _scores[dimension] = (sum + score, count + 1);
                }
            }
            else if (r.ErrorCode is { } juryError)
            {
                s.Errors[juryError] = s.Errors.TryGetValue(juryError, out var n) ? n + 1 : 1;
            }
        }

        public ModelSummary Summary()
        {
            _ttft.Sort();
            _ttlb.Sort();
            var s = _summary;
            s.PassRate = s.Judged > 0 ? s.Passed / (double)s.Judged : null;
            s.MeanScores = _scores.ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value.Sum / kv.Value.Count, 3), StringComparer.OrdinalIgnoreCase);
            s.OverallScore = s.MeanScores.Count > 0 ? Math.Round(s.MeanScores.Values.Average(), 3) : null;
            s.TimeToFirstTokenP50 = Percentile(_ttft, 50);
            s.TimeToFirstTokenP95 = Percentile(_ttft, 95);
            s.TimeToFirstTokenP99 = Percentile(_ttft, 99);
            s.TimeToLastByteP50 = Percentile(_ttlb, 50);
            s.TimeToLastByteP95 = Percentile(_ttlb, 95);
            s.OutputTokensPerSecond = _tokensPerSecondCount > 0 ? _tokensPerSecondSum / _tokensPerSecondCount : null;
            return s;
        }
    }
}
