namespace Eval360.Reporting;

/// <summary>Everything a report shows about one model (in one region) beyond its <see cref="ModelSummary"/>.</summary>
internal sealed class ModelFigures(string modelId, string? region)
{
    public string ModelId { get; } = modelId;

    public string? Region { get; } = region;

    public GroupFigures All { get; } = new();

    public Dictionary<string, GroupFigures> ByTaskType { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<double, GroupFigures> ByTemperature { get; } = [];

    /// <summary>Invocations that failed, by error code.</summary>
    public Dictionary<string, ErrorFigures> Failures { get; } = new(StringComparer.Ordinal);

    /// <summary>Answers that came back but got no jury decision, by error code.</summary>
    public Dictionary<string, ErrorFigures> JuryProblems { get; } = new(StringComparer.Ordinal);

    /// <summary>Answers with a decision although some judges failed.</summary>
    public int PartialJury { get; private set; }

    /// <summary>Invocations that needed at least one retry.</summary>
    public int Retried { get; private set; }

    public int MaxRetries { get; private set; }

    public LatencySketch InterTokenLatency { get; } = new();

    public AnswerSamples LowestScored { get; } = new(3);

    public void Add(InvocationResult r)
    {
        All.Add(r);
        Breakdown(ByTaskType, string.IsNullOrEmpty(r.TaskType) ? "(none)" : r.TaskType).Add(r);
        if (!ByTemperature.TryGetValue(r.Temperature, out var atTemperature))
        {
            ByTemperature[r.Temperature] = atTemperature = new GroupFigures();
        }

        atTemperature.Add(r);
        if (r.Retries > 0)
        {
            Retried++;
            MaxRetries = Math.Max(MaxRetries, r.Retries);
        }

        if (!r.IsSucceeded())
        {
            Count(Failures, r.ErrorCode ?? "unknown", r.ErrorMessage);
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
                Count(JuryProblems, juryError, r.ErrorMessage);
            }

            return;
        }

        if (r.Judges.Any(j => j.Error is not null))
        {
            PartialJury++;
        }

        if (GroupFigures.ResponseScore(r) is double score)
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

    private static void Count(Dictionary<string, ErrorFigures> errors, string code, string? message)
    {
        if (!errors.TryGetValue(code, out var figures))
        {
            errors[code] = figures = new ErrorFigures(AnswerSamples.Clip(message, 300));
        }

        figures.Count++;
    }
}

/// <summary>How often one error code occurred, and the first message seen with it.</summary>
internal sealed class ErrorFigures(string? example)
{
    public int Count { get; set; }

    public string? Example { get; } = example;
}
