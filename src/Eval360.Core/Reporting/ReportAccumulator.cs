using Eval360.Statistics;

namespace Eval360.Reporting;

/// <summary>
/// Everything a report needs, gathered in one pass over the results: the <see cref="ResultStatistics"/> (every
/// count, score, percentile, interval and agreement figure, the same computation as Get-Eval360Summary and
/// summary.json), plus what only the page draws — fixed-size latency distributions for breakdowns and histograms, a few
/// clipped example answers, the runs and periods covered. Never the results themselves, so memory stays flat however
/// many stream past.
/// </summary>
internal sealed class ReportAccumulator(SummaryGrouping grouping = SummaryGrouping.Model)
{
    private readonly Dictionary<string, ModelFigures> _models = new(StringComparer.Ordinal);

    public ResultStatistics Statistics { get; } = new(grouping);

    /// <summary>Everything counted together.</summary>
    public OutcomeCounts Overall => Statistics.Overall;

    /// <summary>Per model and region (and run or experiment, as grouped), by <see cref="ResultStatistics.KeyOf"/>.</summary>
    public IReadOnlyDictionary<string, ModelFigures> Models => _models;

    public Dictionary<string, GroupFigures> ByRegion { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Per region, successful invocations and their summed time to first token by the hour they started, in the
    /// region's local time (<see cref="RegionClock"/>; UTC for a region it does not know).
    /// </summary>
    public Dictionary<string, (int[] Count, ExactSum[] TimeToFirstToken)> ByHour { get; } = new(StringComparer.Ordinal);

    public SortedSet<string> RunIds { get; } = new(StringComparer.Ordinal);

    /// <summary>Per run: when it started, which scenarios it ran, and each model's figures in it (for the trend across runs).</summary>
    public Dictionary<string, RunFigures> Runs { get; } = new(StringComparer.Ordinal);

    public SortedSet<string> ExperimentNames { get; } = new(StringComparer.Ordinal);

    public SortedSet<string> TaskTypes { get; } = new(StringComparer.Ordinal);

    public SortedSet<double> Temperatures { get; } = [];

    public DateTimeOffset? FirstStarted { get; private set; }

    public DateTimeOffset? LastStarted { get; private set; }

    public void Add(InvocationResult r)
    {
        Statistics.Add(r);
        var key = Statistics.KeyOf(r);
        if (!_models.TryGetValue(key, out var model))
        {
            _models[key] = model = new ModelFigures();
        }

        model.Add(r);
        var region = r.Region ?? "(none)";
        if (!ByRegion.TryGetValue(region, out var inRegion))
        {
            ByRegion[region] = inRegion = new GroupFigures();
        }

        inRegion.Add(r);
        if (r.IsSucceeded() && r.TimeToFirstToken is double ttft && r.StartedAt != default)
        {
            if (!ByHour.TryGetValue(region, out var hours))
            {
                ByHour[region] = hours = (new int[24], Enumerable.Range(0, 24).Select(_ => new ExactSum()).ToArray());
            }

            int hour = RegionClock.LocalTime(r.Region, r.StartedAt).Hour;
            hours.Count[hour]++;
            hours.TimeToFirstToken[hour].Add(ttft);
        }

        if (!string.IsNullOrEmpty(r.RunId))
        {
            RunIds.Add(r.RunId);
            if (!Runs.TryGetValue(r.RunId, out var run))
            {
                Runs[r.RunId] = run = new RunFigures();
            }

            run.Add(r);
        }

        if (!string.IsNullOrEmpty(r.ExperimentName))
        {
            ExperimentNames.Add(r.ExperimentName);
        }

        if (!string.IsNullOrEmpty(r.TaskType))
        {
            TaskTypes.Add(r.TaskType);
        }

        Temperatures.Add(r.Temperature);
        if (r.StartedAt != default)
        {
            FirstStarted = FirstStarted is { } first && first <= r.StartedAt ? first : r.StartedAt;
            LastStarted = LastStarted is { } last && last >= r.StartedAt ? last : r.StartedAt;
        }
    }
}

/// <summary>One run's share of the results: when it started, which scenarios it ran, and each model's (and region's) figures.</summary>
internal sealed class RunFigures
{
    public DateTimeOffset? FirstStarted { get; private set; }

    /// <summary>The scenarios it ran, as hashes of their ids (their prompts where results have no id).</summary>
    public HashSet<ulong> Scenarios { get; } = [];

    /// <summary>Per model and region, by <see cref="ResultStatistics.ModelKey"/>.</summary>
    public Dictionary<string, GroupFigures> Models { get; } = new(StringComparer.Ordinal);

    public void Add(InvocationResult r)
    {
        if (r.StartedAt != default && (FirstStarted is not { } first || r.StartedAt < first))
        {
            FirstStarted = r.StartedAt;
        }

        Scenarios.Add(Hash(r.ScenarioId.Length > 0 ? r.ScenarioId : r.Prompt));
        var key = ResultStatistics.ModelKey(r.ModelId, r.Region);
        if (!Models.TryGetValue(key, out var model))
        {
            Models[key] = model = new GroupFigures();
        }

        model.Add(r);
    }

    private static ulong Hash(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (char c in text)
        {
            hash = unchecked((hash ^ c) * 1099511628211UL);
        }

        return hash;
    }
}
