namespace Eval360.Statistics;

/// <summary>
/// The one statistics layer: everything Eval360 computes over a set of results — per-model figures and their
/// intervals, per-judge figures, jury agreement — gathered in one pass as results stream past (a running benchmark, a
/// journal being read, the pipeline). Get-Eval360Summary, summary.json and the report all read it, so a figure is
/// computed one way wherever it is shown. Memory: running sums, one double per latency for exact percentiles, and a
/// <see cref="ScoreTable"/> row per judged answer; nothing per result without a jury. Not thread-safe: add from one thread.
/// </summary>
public sealed class ResultStatistics
{
    private readonly Dictionary<string, ModelStatistics> _models = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JudgeStatistics> _judges = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dimensionSet = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _extraDimensions = [];
    private readonly Dictionary<string, QualityIntervals> _intervals = new(StringComparer.Ordinal);

    /// <summary>Everything counted together.</summary>
    public OutcomeCounts Overall { get; } = new();

    /// <summary>Every verdict on every judged answer, compactly.</summary>
    public ScoreTable Scores { get; } = new();

    /// <summary>Per model and region, by <see cref="ModelKey"/>.</summary>
    public IReadOnlyDictionary<string, ModelStatistics> Models => _models;

    /// <summary>Per judge, by the judge's model id.</summary>
    public IReadOnlyDictionary<string, JudgeStatistics> Judges => _judges;

    /// <summary>The scored dimensions: the six core ones that occur, in their usual order, then the user's in order of appearance.</summary>
    public IReadOnlyList<string> Dimensions =>
        Jury.Dimensions.Core.Where(_dimensionSet.Contains).Concat(_extraDimensions).ToList();

    public static string ModelKey(string modelId, string? region) => $"{modelId}|{region}";

    public static IReadOnlyList<ModelSummary> Of(IEnumerable<InvocationResult> results)
    {
        var statistics = new ResultStatistics();
        statistics.AddRange(results);
        return statistics.Summaries();
    }

    public void AddRange(IEnumerable<InvocationResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        foreach (var result in results)
        {
            Add(result);
        }
    }

    public void Add(InvocationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var key = ModelKey(result.ModelId, result.Region);
        if (!_models.TryGetValue(key, out var model))
        {
            _models[key] = model = new ModelStatistics(result.ModelId, result.Provider, result.Region, result.Simulated);
        }

        model.Add(result);
        Overall.Add(result);
        if (result.Passed is not null)
        {
            foreach (var dimension in result.Scores.Keys)
            {
                if (_dimensionSet.Add(dimension) && !Jury.Dimensions.Core.Contains(dimension, StringComparer.OrdinalIgnoreCase))
                {
                    _extraDimensions.Add(dimension);
                }
            }
        }

        foreach (var verdict in result.Judges)
        {
            var id = string.IsNullOrEmpty(verdict.JudgeModelId) ? "(unnamed judge)" : verdict.JudgeModelId;
            if (!_judges.TryGetValue(id, out var judge))
            {
                _judges[id] = judge = new JudgeStatistics(id);
            }

            judge.Add(verdict, result.Passed);
        }

        if (Scores.Add(result, key, ItemIdentity.Of(result)))
        {
            _intervals.Remove(key);
        }
    }

    /// <summary>The bootstrap intervals of a model's quality figures (computed once, until more of its answers are judged).</summary>
    public QualityIntervals Intervals(string modelKey)
    {
        if (_intervals.TryGetValue(modelKey, out var known))
        {
            return known;
        }

        int group = Scores.GroupOf(modelKey);
        var intervals = group < 0 ? QualityIntervals.None : ModelStatistics.Intervals(Scores.RowsOf(group), Scores.Dimensions);
        _intervals[modelKey] = intervals;
        return intervals;
    }

    /// <summary>
    /// One summary per model and region, by model id, then region: the same order whatever order the results came in
    /// (a run's journal, the shards of a plan, their merge).
    /// </summary>
    public IReadOnlyList<ModelSummary> Summaries() =>
        _models.OrderBy(kv => kv.Value.ModelId, StringComparer.Ordinal).ThenBy(kv => kv.Value.Region, StringComparer.Ordinal)
            .Select(kv => kv.Value.Summary(Intervals(kv.Key))).ToList();

    /// <summary>How far the judges agreed (<see cref="JuryAgreement"/>).</summary>
    public JuryAgreement Agreement() => JuryAgreement.Of(Scores);
}
