using Eval360.Statistics;

namespace Eval360.Reporting;

/// <summary>
/// Everything a report needs, gathered in one pass over the results: the <see cref="ResultStatistics"/> (every
/// count, score, percentile, interval and agreement figure, the same computation as Get-Eval360Summary and
/// summary.json), plus what only the page draws — fixed-size latency distributions for breakdowns and histograms, a few
/// clipped example answers, the runs and periods covered. Never the results themselves, so memory stays flat however
/// many stream past.
/// </summary>
internal sealed class ReportAccumulator
{
    private readonly Dictionary<string, ModelFigures> _models = new(StringComparer.Ordinal);

    public ResultStatistics Statistics { get; } = new();

    /// <summary>Everything counted together.</summary>
    public OutcomeCounts Overall => Statistics.Overall;

    /// <summary>Per model and region, by <see cref="ResultStatistics.ModelKey"/>.</summary>
    public IReadOnlyDictionary<string, ModelFigures> Models => _models;

    public Dictionary<string, GroupFigures> ByRegion { get; } = new(StringComparer.Ordinal);

    /// <summary>Per region, successful invocations and their summed time to first token by the UTC hour they started.</summary>
    public Dictionary<string, (int[] Count, ExactSum[] TimeToFirstToken)> ByHour { get; } = new(StringComparer.Ordinal);

    public SortedSet<string> RunIds { get; } = new(StringComparer.Ordinal);

    public SortedSet<string> ExperimentNames { get; } = new(StringComparer.Ordinal);

    public SortedSet<string> TaskTypes { get; } = new(StringComparer.Ordinal);

    public SortedSet<double> Temperatures { get; } = [];

    public DateTimeOffset? FirstStarted { get; private set; }

    public DateTimeOffset? LastStarted { get; private set; }

    public void Add(InvocationResult r)
    {
        Statistics.Add(r);
        var key = ResultStatistics.ModelKey(r.ModelId, r.Region);
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

            int hour = r.StartedAt.UtcDateTime.Hour;
            hours.Count[hour]++;
            hours.TimeToFirstToken[hour].Add(ttft);
        }

        if (!string.IsNullOrEmpty(r.RunId))
        {
            RunIds.Add(r.RunId);
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
