using System.Globalization;

namespace Eval360.Statistics;

/// <summary>
/// One run's results gathered per model and region for comparing runs: per scenario (its id or prompt, temperature and
/// prompt variant) the jury's mean scores and pass rate, and each successful invocation's time to first token, time to
/// last byte, tokens per second and cost. One double per figure per invocation; not thread-safe.
/// </summary>
public sealed class RunSample
{
    private readonly Dictionary<string, ModelSample> _models = new(StringComparer.Ordinal);

    /// <summary>Per model and region (<see cref="ResultStatistics.ModelKey"/>), in the order first met.</summary>
    public IReadOnlyDictionary<string, ModelSample> Models => _models;

    public void Add(InvocationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var key = ResultStatistics.ModelKey(result.ModelId, result.Region);
        if (!_models.TryGetValue(key, out var model))
        {
            _models[key] = model = new ModelSample(result.ModelId, result.Region);
        }

        model.Add(result);
    }

    public void AddRange(IEnumerable<InvocationResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        foreach (var result in results)
        {
            Add(result);
        }
    }
}

/// <summary>One model's part of a <see cref="RunSample"/>.</summary>
public sealed class ModelSample(string modelId, string? region)
{
    private readonly Dictionary<string, ScenarioFigures> _scenarios = new(StringComparer.Ordinal);
    private readonly List<string> _dimensions = [];

    public string ModelId { get; } = modelId;

    public string? Region { get; } = region;

    /// <summary>Per latency and cost metric (<see cref="RunComparisons.TimeToFirstToken"/> …), one value per successful invocation.</summary>
    public IReadOnlyDictionary<string, List<double>> Measures { get; } = RunComparisons.MeasureDirections.Keys.ToDictionary(m => m, _ => new List<double>(), StringComparer.Ordinal);

    /// <summary>Dimensions scored, in the order first met.</summary>
    public IReadOnlyList<string> Dimensions => _dimensions;

    internal IReadOnlyDictionary<string, ScenarioFigures> Scenarios => _scenarios;

    internal void Add(InvocationResult result)
    {
        if (!result.IsSucceeded())
        {
            return;
        }

        Record(RunComparisons.TimeToFirstToken, result.TimeToFirstToken);
        Record(RunComparisons.TimeToLastByte, result.TimeToLastByte);
        Record(RunComparisons.OutputTokensPerSecond, result.OutputTokensPerSecond);
        Record(RunComparisons.Cost, result.Cost);
        if (result.Passed is not bool passed)
        {
            return;
        }

        var scenario = string.Join('|', result.ScenarioId.Length > 0 ? result.ScenarioId : result.Prompt,
            result.Temperature.ToString("R", CultureInfo.InvariantCulture), result.PromptVariant);
        if (!_scenarios.TryGetValue(scenario, out var figures))
        {
            _scenarios[scenario] = figures = new ScenarioFigures();
        }

        figures.Add(result.Scores, passed);
        foreach (var dimension in result.Scores.Keys)
        {
            if (!_dimensions.Contains(dimension, StringComparer.OrdinalIgnoreCase))
            {
                _dimensions.Add(dimension);
            }
        }
    }

    private void Record(string metric, double? value)
    {
        if (value is double v && double.IsFinite(v))
        {
            Measures[metric].Add(v);
        }
    }
}

/// <summary>A scenario's judged answers in one run, summed.</summary>
internal sealed class ScenarioFigures
{
    private readonly Dictionary<string, (double Sum, int Count)> _scores = new(StringComparer.OrdinalIgnoreCase);
    private int _answers;
    private int _passes;

    public double PassRate => _passes / (double)_answers;

    public double? Mean(string dimension) => _scores.TryGetValue(dimension, out var s) && s.Count > 0 ? s.Sum / s.Count : null;

    public void Add(IDictionary<string, double> scores, bool passed)
    {
        _answers++;
        _passes += passed ? 1 : 0;
        foreach (var (dimension, score) in scores)
        {
            var (sum, count) = _scores.GetValueOrDefault(dimension);
            _scores[dimension] = (sum + score, count + 1);
        }
    }
}

/// <summary>
/// A run against a baseline, per model and metric. Quality is paired on the scenarios both runs judged: per scenario
/// the mean of its answers, the mean difference with a paired bootstrap interval, the Wilcoxon signed-rank test.
/// Latency and cost are two independent samples of successful invocations: medians, a bootstrap interval of the
/// difference of medians, the Mann-Whitney U test. A metric <c>Regressed</c> when it moved the worse way by more than
/// the tolerance (relative to the baseline) and the test finds the move significant (p &lt; 0.05): both are needed, so
/// noise alone is not a regression, nor is a real but negligible change.
/// </summary>
public static class RunComparisons
{
    public const string PassRate = "PassRate";

    public const string TimeToFirstToken = "TimeToFirstToken";

    public const string TimeToLastByte = "TimeToLastByte";

    public const string OutputTokensPerSecond = "OutputTokensPerSecond";

    public const string Cost = "Cost";

    /// <summary>The default tolerance: a change of more than 10% of the baseline's figure.</summary>
    public const double DefaultTolerance = 0.1;

    /// <summary>Latency and cost metrics, with +1 where higher is worse and −1 where lower is worse.</summary>
    public static IReadOnlyDictionary<string, int> MeasureDirections { get; } = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        [TimeToFirstToken] = +1,
        [TimeToLastByte] = +1,
        [OutputTokensPerSecond] = -1,
        [Cost] = +1,
    };

    /// <summary>Every model in both runs (by model id and region), every metric both have, in the current run's order.</summary>
    public static IReadOnlyList<RunComparison> Of(RunSample baseline, RunSample current, double tolerance = DefaultTolerance)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentOutOfRangeException.ThrowIfNegative(tolerance);
        var comparisons = new List<RunComparison>();
        foreach (var (key, now) in current.Models)
        {
            if (!baseline.Models.TryGetValue(key, out var before))
            {
                continue;
            }

            comparisons.AddRange(Quality(before, now, tolerance));
            foreach (var (metric, direction) in MeasureDirections)
            {
                var a = before.Measures[metric];
                var b = now.Measures[metric];
                if (a.Count == 0 || b.Count == 0)
                {
                    continue;
                }

                double baselineMedian = Median(a), currentMedian = Median(b);
                var interval = Bootstrap.MedianDifference(a, b);
                var test = MannWhitneyU.Test(a, b);
                comparisons.Add(Compared(now, metric, baselineMedian, currentMedian, interval, test, direction, tolerance, a.Count, b.Count));
            }
        }

        return comparisons;
    }

    /// <summary>Whether a change is a regression: the worse way, past the tolerance, and significant.</summary>
    public static bool IsRegression(double baseline, double difference, int direction, double tolerance, double pValue) =>
        difference * direction > 0
        && Math.Abs(difference) > tolerance * Math.Abs(baseline)
        && pValue < Significance.Level;

    private static IEnumerable<RunComparison> Quality(ModelSample before, ModelSample now, double tolerance)
    {
        var scenarios = now.Scenarios.Keys.Where(before.Scenarios.ContainsKey).Order(StringComparer.Ordinal).ToList();
        if (scenarios.Count == 0)
        {
            yield break;
        }

        var dimensions = before.Dimensions.Where(d => now.Dimensions.Contains(d, StringComparer.OrdinalIgnoreCase));
        var metrics = dimensions
            .Select(d => (Name: d, Read: (Func<ScenarioFigures, double?>)(s => s.Mean(d))))
            .Append((PassRate, s => s.PassRate));
        foreach (var (name, read) in metrics)
        {
            var pairs = scenarios
                .Select(s => (Before: read(before.Scenarios[s]), Now: read(now.Scenarios[s])))
                .Where(p => p.Before is not null && p.Now is not null)
                .Select(p => (Before: p.Before!.Value, Now: p.Now!.Value))
                .ToList();
            if (pairs.Count == 0)
            {
                continue;
            }

            var sums = new ItemSums(2);
            foreach (var (b, n) in pairs)
            {
                sums.Add([(0, 1), (1, n - b)]);
            }

            var interval = sums.Intervals([t => t[1] / t[0]])[0];
            var test = WilcoxonSignedRank.Test(pairs.Select(p => p.Now - p.Before).ToList());
            yield return Compared(now, name, pairs.Average(p => p.Before), pairs.Average(p => p.Now), interval, test, -1, tolerance, pairs.Count, pairs.Count);
        }
    }

    private static RunComparison Compared(ModelSample model, string metric, double baseline, double current, Interval? interval, TestOutcome test, int direction, double tolerance, int baselineCount, int currentCount)
    {
        double difference = current - baseline;
        return new RunComparison
        {
            ModelId = model.ModelId,
            Region = model.Region,
            Metric = metric,
            Baseline = baseline,
            Current = current,
            Difference = difference,
            CiLow = interval?.Low,
            CiHigh = interval?.High,
            Change = baseline != 0 ? difference / Math.Abs(baseline) : null,
            PValue = double.IsNaN(test.PValue) ? null : test.PValue,
            Test = test.Test,
            BaselineCount = baselineCount,
            CurrentCount = currentCount,
            Regressed = IsRegression(baseline, difference, direction, tolerance, test.PValue),
        };
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return Percentile.Linear(sorted, 50)!.Value;
    }
}
