using System.Globalization;
using System.Text;

namespace Eval360.Statistics;

/// <summary>
/// The 95% intervals of a model's quality figures, from a bootstrap over its judged answers, and what the pass rate
/// and the overall score came to on each resample (what comparisons between models are made of; empty without
/// judged answers).
/// </summary>
public sealed record QualityIntervals(Interval? PassRate, Interval? OverallScore, IReadOnlyDictionary<string, Interval> MeanScores)
{
    public static QualityIntervals None { get; } = new(null, null, new Dictionary<string, Interval>());

    /// <summary>The pass rate on each resample, in resample order (NaN where undefined).</summary>
    public IReadOnlyList<double> PassRateDraws { get; init; } = [];

    /// <summary>The overall score on each resample, in resample order (NaN where undefined).</summary>
    public IReadOnlyList<double> OverallScoreDraws { get; init; } = [];
}

/// <summary>
/// One model's figures (in one region) over a set of results, gathered as they stream past: the counts, exact latency
/// percentiles (one double per latency: what exact percentiles cost), throughput, tokens, cost, retries, throttling,
/// errors by code and mean scores. Its <see cref="ModelSummary"/> is what Get-Eval360Summary, summary.json and the
/// report show; the intervals come from the judged answers' rows in the <see cref="ScoreTable"/>.
/// </summary>
public sealed class ModelStatistics
{
    private readonly List<double> _timeToFirstToken = [];
    private readonly List<double> _timeToLastByte = [];
    private readonly Dictionary<string, (ExactSum Sum, int Count)> _scores = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, int> _failures = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _juryProblems = new(StringComparer.Ordinal);
    private readonly ExactSum _tokensPerSecondSum = new();
    private int _tokensPerSecondCount;
    private bool _sorted = true;
    private LatestValue _targetRpm;
    private LatestValue _actualRpm;

    /// <param name="runId">The run, when results are summarised per run.</param>
    /// <param name="experimentName">The experiment, when results are summarised per experiment.</param>
    public ModelStatistics(string modelId, string provider, string? region, bool simulated, string? runId = null, string? experimentName = null)
    {
        ModelId = modelId;
        Provider = provider;
        Region = region;
        Simulated = simulated;
        RunId = runId;
        ExperimentName = experimentName;
    }

    public string ModelId { get; }

    public string Provider { get; }

    public string? Region { get; }

    public bool Simulated { get; }

    public string? RunId { get; }

    public string? ExperimentName { get; }

    public OutcomeCounts Counts { get; } = new();

    /// <summary>Invocations that failed, by error code.</summary>
    public IReadOnlyDictionary<string, int> Failures => _failures;

    /// <summary>Answers that came back but got no jury decision, by error code.</summary>
    public IReadOnlyDictionary<string, int> JuryProblems => _juryProblems;

    /// <summary>Answers decided although some judges failed.</summary>
    public int PartialJury { get; private set; }

    /// <summary>Invocations that needed at least one retry.</summary>
    public int Retried { get; private set; }

    public int MaxRetries { get; private set; }

    public double? TargetRpm => _targetRpm.Value;

    /// <summary>
    /// The request rate achieved, as the latest request sent said (it counted every request before it). Chosen by when
    /// results were sent, not the order they are read in, so the shards of a plan and their merge agree.
    /// </summary>
    public double? ActualRpm => _actualRpm.Value;

    /// <summary>The successful invocations' times to first token, sorted ascending.</summary>
    public IReadOnlyList<double> TimesToFirstToken
    {
        get
        {
            SortLatencies();
            return _timeToFirstToken;
        }
    }

    /// <summary>The successful invocations' times to last byte, sorted ascending.</summary>
    public IReadOnlyList<double> TimesToLastByte
    {
        get
        {
            SortLatencies();
            return _timeToLastByte;
        }
    }

    public void Add(InvocationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Counts.Add(result);
        _targetRpm.Offer(result.TargetRpm, result);
        _actualRpm.Offer(result.ActualRpm, result);
        if (result.Retries > 0)
        {
            Retried++;
            MaxRetries = Math.Max(MaxRetries, result.Retries);
        }

        if (!result.IsSucceeded())
        {
            Increment(_failures, result.ErrorCode ?? "unknown");
            return;
        }

        if (result.TimeToFirstToken is double ttft)
        {
            _timeToFirstToken.Add(ttft);
            _sorted = false;
        }

        if (result.TimeToLastByte is double ttlb)
        {
            _timeToLastByte.Add(ttlb);
            _sorted = false;
        }

        if (result.OutputTokensPerSecond is double tps)
        {
            _tokensPerSecondSum.Add(tps);
            _tokensPerSecondCount++;
        }

        if (result.Passed is null)
        {
            if (result.ErrorCode is { } juryProblem)
            {
                Increment(_juryProblems, juryProblem);
            }

            return;
        }

        if (result.Judges.Any(j => j.Error is not null))
        {
            PartialJury++;
        }

        foreach (var (dimension, score) in result.Scores)
        {
            if (!_scores.TryGetValue(dimension, out var entry))
            {
                entry = (new ExactSum(), 0);
            }

            entry.Sum.Add(score);
            _scores[dimension] = (entry.Sum, entry.Count + 1);
        }
    }

    /// <summary>The model's summary, with the intervals given (from <see cref="Intervals"/>).</summary>
    public ModelSummary Summary(QualityIntervals intervals)
    {
        ArgumentNullException.ThrowIfNull(intervals);
        SortLatencies();
        var c = Counts;
        // The core dimensions in their usual order, then the others by name: one order whatever order results came in.
        var means = _scores
            .OrderBy(kv => CoreRank(kv.Key))
            .ThenBy(kv => kv.Key, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value.Sum.Value / kv.Value.Count, 3), StringComparer.OrdinalIgnoreCase);
        var meanSum = new ExactSum();
        foreach (var mean in means.Values)
        {
            meanSum.Add(mean);
        }

        var errors = new Dictionary<string, int>(_failures, StringComparer.Ordinal);
        foreach (var (code, count) in _juryProblems)
        {
            errors[code] = errors.GetValueOrDefault(code) + count;
        }

        return new ModelSummary
        {
            ModelId = ModelId,
            Provider = Provider,
            Region = Region,
            RunId = RunId,
            ExperimentName = ExperimentName,
            Simulated = Simulated,
            Invocations = c.Invocations,
            Succeeded = c.Succeeded,
            Failed = c.Failed,
            Judged = c.Judged,
            Passed = c.Passed,
            PassRate = c.PassRate,
            PassRateCiLow = intervals.PassRate?.Low,
            PassRateCiHigh = intervals.PassRate?.High,
            MeanScores = means,
            MeanScoreCiLow = intervals.MeanScores.ToDictionary(kv => kv.Key, kv => kv.Value.Low, StringComparer.OrdinalIgnoreCase),
            MeanScoreCiHigh = intervals.MeanScores.ToDictionary(kv => kv.Key, kv => kv.Value.High, StringComparer.OrdinalIgnoreCase),
            OverallScore = means.Count > 0 ? Math.Round(meanSum.Value / means.Count, 3) : null,
            OverallScoreCiLow = intervals.OverallScore?.Low,
            OverallScoreCiHigh = intervals.OverallScore?.High,
            LatencySamples = _timeToFirstToken.Count,
            TimeToFirstTokenP50 = Percentile.Linear(_timeToFirstToken, 50),
            TimeToFirstTokenP95 = Percentile.Linear(_timeToFirstToken, 95),
            TimeToFirstTokenP99 = Percentile.Linear(_timeToFirstToken, 99),
            TimeToLastByteP50 = Percentile.Linear(_timeToLastByte, 50),
            TimeToLastByteP95 = Percentile.Linear(_timeToLastByte, 95),
            OutputTokensPerSecond = _tokensPerSecondCount > 0 ? _tokensPerSecondSum.Value / _tokensPerSecondCount : null,
            InputTokens = c.InputTokens,
            OutputTokens = c.OutputTokens,
            Cost = c.Cost,
            JuryCost = c.JuryCost,
            Retries = c.Retries,
            ProviderThrottles = c.ProviderThrottles,
            TargetRpm = TargetRpm,
            ActualRpm = ActualRpm,
            ThrottleEvents = c.ThrottleEvents,
            ThrottleWaitSeconds = c.ThrottleWaitSeconds,
            Errors = errors,
        };
    }

    /// <summary>
    /// Bootstrap intervals (<see cref="Bootstrap"/>) of the pass rate, the overall score and each dimension's mean,
    /// resampling the decided answers (items, never judge rows) among <paramref name="rows"/>, which must be in the
    /// table's canonical order (<see cref="ScoreTable.RowsOf"/>). The statistics computed on each resample are those of
    /// the summary: passed / judged; per dimension, the mean over answers of the jury's mean; overall, the mean of
    /// the dimension means. Pass-rate bounds are rounded to 4 places, scores to 3, as the figures themselves.
    /// </summary>
    /// <remarks>
    /// Every model is resampled with the same seed, over its answers in the same canonical order (by item), so two
    /// models that answered the same items draw the same items in every resample: the draws of their pass rates
    /// compare them answer by answer (a paired bootstrap). Models with different numbers of answers draw from
    /// different parts of the random sequence, which makes their resamples independent — the unpaired comparison.
    /// </remarks>
    public static QualityIntervals Intervals(IReadOnlyList<ScoreRow> rows, IReadOnlyList<string> dimensions)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        var (n, compute) = Resampler(rows, dimensions);
        if (n == 0)
        {
            return QualityIntervals.None;
        }

        var draws = Bootstrap.Draws(n, 2 + dimensions.Count, compute);
        var byDimension = new Dictionary<string, Interval>(StringComparer.OrdinalIgnoreCase);
        for (int k = 0; k < dimensions.Count; k++)
        {
            if (Bootstrap.Interval(draws[2 + k]) is Interval interval)
            {
                byDimension[dimensions[k]] = interval.Round(3);
            }
        }

        return new QualityIntervals(Bootstrap.Interval(draws[0])?.Round(4), Bootstrap.Interval(draws[1])?.Round(3), byDimension)
        {
            PassRateDraws = draws[0],
            OverallScoreDraws = draws[1],
        };
    }

    /// <summary>The decided answers' count, and what one resample of them comes to: pass rate, overall score, then each dimension's mean.</summary>
    private static (int Items, ResampleFigures Compute) Resampler(IReadOnlyList<ScoreRow> rows, IReadOnlyList<string> dimensions)
    {
        int d = dimensions.Count;
        ArgumentNullException.ThrowIfNull(rows);
        var decided = rows.Where(r => r.Passed is not null).ToList();
        int n = decided.Count;

        // Scores are coarse, so many answers carry the same decision and means: each resample counts draws per
        // distinct answer ("class") and sums once per class, rather than adding every dimension for every draw.
        var classOf = new int[n];
        var classes = new Dictionary<string, int>(StringComparer.Ordinal);
        var passed = new List<double>();
        var means = new List<double>();
        var key = new StringBuilder();
        for (int i = 0; i < n; i++)
        {
            key.Clear().Append(decided[i].Passed == true ? '1' : '0');
            for (int k = 0; k < d; k++)
            {
                key.Append('|').Append(decided[i].Mean(k)?.ToString("R", CultureInfo.InvariantCulture));
            }

            if (!classes.TryGetValue(key.ToString(), out int c))
            {
                classes[key.ToString()] = c = classes.Count;
                passed.Add(decided[i].Passed == true ? 1 : 0);
                for (int k = 0; k < d; k++)
                {
                    means.Add(decided[i].Mean(k) ?? double.NaN);
                }
            }

            classOf[i] = c;
        }

        // The overall score adds the dimension means in one fixed order (by name), whatever order the table numbered
        // the dimensions in (the order results came in), so that it comes out the same to the last bit.
        var byName = Enumerable.Range(0, d).OrderBy(k => dimensions[k], StringComparer.OrdinalIgnoreCase).ToArray();
        var drawn = new int[classes.Count];
        var sums = new double[d];
        var counts = new int[d];
        return (n, (draws, values) =>
        {
            Array.Clear(drawn);
            foreach (int i in draws)
            {
                drawn[classOf[i]]++;
            }

            double passes = 0;
            Array.Clear(sums);
            Array.Clear(counts);
            for (int c = 0; c < drawn.Length; c++)
            {
                int times = drawn[c];
                if (times == 0)
                {
                    continue;
                }

                passes += times * passed[c];
                for (int k = 0, at = c * d; k < d; k++, at++)
                {
                    double mean = means[at];
                    if (!double.IsNaN(mean))
                    {
                        sums[k] += times * mean;
                        counts[k] += times;
                    }
                }
            }

            values[0] = passes / draws.Length;
            double overall = 0;
            int present = 0;
            foreach (int k in byName)
            {
                if (counts[k] > 0)
                {
                    values[2 + k] = sums[k] / counts[k];
                    overall += values[2 + k];
                    present++;
                }
            }

            if (present > 0)
            {
                values[1] = overall / present;
            }
        });
    }

    private void SortLatencies()
    {
        if (!_sorted)
        {
            _timeToFirstToken.Sort();
            _timeToLastByte.Sort();
            _sorted = true;
        }
    }

    /// <summary>A core dimension's place in the usual order; after all of them for any other.</summary>
    private static int CoreRank(string dimension)
    {
        for (int i = 0; i < Jury.Dimensions.Core.Count; i++)
        {
            if (Jury.Dimensions.Core[i].Equals(dimension, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return int.MaxValue;
    }

    private static void Increment(Dictionary<string, int> counts, string code) => counts[code] = counts.GetValueOrDefault(code) + 1;
}

/// <summary>
/// The value of the latest result that has one — latest sent, then greatest key — so that it is the same whatever
/// order the results are read in (a run's journal, the shards of a plan, their merge).
/// </summary>
internal struct LatestValue
{
    private DateTimeOffset _startedAt;
    private string? _key;

    public double? Value { get; private set; }

    public void Offer(double? value, InvocationResult result)
    {
        if (value is null)
        {
            return;
        }

        if (_key is null || result.StartedAt > _startedAt || (result.StartedAt == _startedAt && string.CompareOrdinal(result.Key, _key) > 0))
        {
            _startedAt = result.StartedAt;
            _key = result.Key;
            Value = value;
        }
    }
}
