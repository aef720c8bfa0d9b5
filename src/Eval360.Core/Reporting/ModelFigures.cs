using Eval360.Statistics;

namespace Eval360.Reporting;

/// <summary>
/// What a report shows about one model (in one region) beyond its <see cref="ModelStatistics"/>: distributions for
/// histograms and breakdowns, an example message per error code, and the lowest-scored answers.
/// </summary>
internal sealed class ModelFigures
{
    public LatencySketches Latency { get; } = new();

    public LatencySketch InterTokenLatency { get; } = new();

    public Dictionary<string, GroupFigures> ByTaskType { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<double, GroupFigures> ByTemperature { get; } = [];

    /// <summary>Per error code, the message of the earliest failed invocation (by when it was sent, then by key).</summary>
    public ExampleMessages FailureExamples { get; } = new();

    /// <summary>Per error code, the message of the earliest answer the jury could not judge.</summary>
    public ExampleMessages JuryProblemExamples { get; } = new();

    public AnswerSamples LowestScored { get; } = new(3);

    public void Add(InvocationResult r)
    {
        Latency.Add(r);
        Breakdown(ByTaskType, string.IsNullOrEmpty(r.TaskType) ? "(none)" : r.TaskType).Add(r);
        if (!ByTemperature.TryGetValue(r.Temperature, out var atTemperature))
        {
            ByTemperature[r.Temperature] = atTemperature = new GroupFigures();
        }

        atTemperature.Add(r);
        if (!r.IsSucceeded())
        {
            FailureExamples.Offer(r.ErrorCode ?? "unknown", r);
            return;
        }

        if (r.InterTokenLatency is double itl)
        {
            InterTokenLatency.Add(itl);
        }

        if (r.Passed is null)
        {
            if (r.ErrorCode is { } juryError)
            {
                JuryProblemExamples.Offer(juryError, r);
            }

            return;
        }

        if (OutcomeCounts.ResponseScore(r) is double score)
        {
            LowestScored.Offer(r, score);
        }
    }

    private static GroupFigures Breakdown(Dictionary<string, GroupFigures> groups, string key)
    {
        if (!groups.TryGetValue(key, out var group))
        {
            groups[key] = group = new GroupFigures();
        }

        return group;
    }
}

/// <summary>
/// One example message per error code: the earliest result's (by when it was sent, then by key), so that the example is
/// the same whatever order the results are read in — a run's journal, the shards of a plan or their merge.
/// </summary>
internal sealed class ExampleMessages
{
    private readonly Dictionary<string, (DateTimeOffset StartedAt, string Key, string? Message)> _examples = new(StringComparer.Ordinal);

    public void Offer(string code, InvocationResult r)
    {
        if (_examples.TryGetValue(code, out var known)
            && (known.StartedAt < r.StartedAt || (known.StartedAt == r.StartedAt && string.CompareOrdinal(known.Key, r.Key) <= 0)))
        {
            return;
        }

        _examples[code] = (r.StartedAt, r.Key, AnswerSamples.Clip(r.ErrorMessage, 300));
    }

    public string? GetValueOrDefault(string code) => _examples.TryGetValue(code, out var example) ? example.Message : null;
}
