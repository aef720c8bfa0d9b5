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

    /// <summary>The first message seen with each error code of a failed invocation.</summary>
    public Dictionary<string, string?> FailureExamples { get; } = new(StringComparer.Ordinal);

    /// <summary>The first message seen with each error code of an answer the jury could not judge.</summary>
    public Dictionary<string, string?> JuryProblemExamples { get; } = new(StringComparer.Ordinal);

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
            FailureExamples.TryAdd(r.ErrorCode ?? "unknown", AnswerSamples.Clip(r.ErrorMessage, 300));
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
                JuryProblemExamples.TryAdd(juryError, AnswerSamples.Clip(r.ErrorMessage, 300));
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
