using Eval360.Configuration;

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
    private readonly SummaryGrouping _grouping;
    private readonly Dictionary<string, ModelStatistics> _models = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JudgeStatistics> _judges = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dimensionSet = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _extraDimensions = [];
    private readonly Dictionary<string, QualityIntervals> _intervals = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Group, ulong Item), IReadOnlyDictionary<string, double>> _labelled = [];

    /// <summary>Human labels to match the answers with (<see cref="HumanAgreement"/>); null for none.</summary>
    public HumanLabels? Labels { get; init; }

    /// <summary>Judged answers that have human labels.</summary>
    public int LabelledAnswers => _labelled.Count;

    /// <param name="grouping">What one summary covers: a model in a region (the default), or that in one run or one experiment.</param>
    public ResultStatistics(SummaryGrouping grouping = SummaryGrouping.Model) => _grouping = grouping;

    /// <summary>Everything counted together.</summary>
    public OutcomeCounts Overall { get; } = new();

    /// <summary>What one summary covers.</summary>
    public SummaryGrouping Grouping => _grouping;

    /// <summary>Every verdict on every judged answer, compactly.</summary>
    public ScoreTable Scores { get; } = new();

    /// <summary>Per model and region (and run or experiment, as grouped), by <see cref="KeyOf"/>.</summary>
    public IReadOnlyDictionary<string, ModelStatistics> Models => _models;

    /// <summary>Per judge, by the judge's model id.</summary>
    public IReadOnlyDictionary<string, JudgeStatistics> Judges => _judges;

    /// <summary>The scored dimensions: the six core ones that occur, in their usual order, then the user's in order of appearance.</summary>
    public IReadOnlyList<string> Dimensions =>
        Jury.Dimensions.Core.Where(_dimensionSet.Contains).Concat(_extraDimensions).ToList();

    public static string ModelKey(string modelId, string? region) => $"{modelId}|{region}";

    /// <summary>The key of the summary a result counts in: <see cref="ModelKey"/>, then its run or experiment when so grouped.</summary>
    public string KeyOf(InvocationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return _grouping switch
        {
            SummaryGrouping.Run => $"{ModelKey(result.ModelLabel(), result.Region)}|{result.RunId}",
            SummaryGrouping.Experiment => $"{ModelKey(result.ModelLabel(), result.Region)}|{result.ExperimentName}",
            _ => ModelKey(result.ModelLabel(), result.Region),
        };
    }

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
        // An optimized prompt variant is a model of its own here: <model>_Prompt_Optimized, as the seed names it.
        var key = KeyOf(result);
        if (!_models.TryGetValue(key, out var model))
        {
            _models[key] = model = new ModelStatistics(result.ModelLabel(), result.Provider, result.Region, result.Simulated,
                _grouping == SummaryGrouping.Run ? result.RunId : null, _grouping == SummaryGrouping.Experiment ? result.ExperimentName : null);
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

        ulong item = ItemIdentity.Of(result);
        if (Scores.Add(result, key, item))
        {
            _intervals.Remove(key);
            if (Labels?.For(result) is { } labels)
            {
                _labelled[(key, item)] = labels;
            }
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

    /// <summary>The models ranked (<see cref="ModelRanking"/>): their summaries carry rank, composite score, ties and the Pareto frontier.</summary>
    public ModelRanking Rank(RankingOptions? options = null) => ModelRanking.Of(this, options ?? RankingOptions.Default);

    /// <summary>How far the judges agreed (<see cref="JuryAgreement"/>).</summary>
    public JuryAgreement Agreement() => JuryAgreement.Of(Scores);

    /// <summary>Krippendorff's α and Fleiss' κ per metric (<see cref="JuryMeasures.Agreement"/>).</summary>
    public IReadOnlyList<JuryStatistic> Reliability(IReadOnlyCollection<MeasurementLevel>? levels = null) => JuryMeasures.Agreement(Scores, levels);

    /// <summary>Each judge's leniency and agreement with the rest (<see cref="JuryMeasures.Judges"/>).</summary>
    public IReadOnlyList<JuryStatistic> JudgeAgreement() => JuryMeasures.Judges(Scores);

    /// <summary>The judges and the jury against the <see cref="Labels"/> (<see cref="HumanAgreements"/>); empty without labels.</summary>
    public IReadOnlyList<JuryStatistic> HumanAgreement() => _labelled.Count == 0
        ? []
        : HumanAgreements.Of(Scores, row => _labelled.GetValueOrDefault((Scores.Groups[row.Group], row.Item)));

    /// <summary>
    /// The models that have judged answers, by the label comparisons show: the model id, or "model id (region)" when
    /// the results hold the model in several regions; best first by mean jury score (then as first met).
    /// </summary>
    public IReadOnlyList<string> JudgedModels() => ModelLabels()
        .Where(m => Scores.GroupOf(m.Key) >= 0)
        .OrderByDescending(m => _models[m.Key].Counts.MeanScore ?? double.MinValue)
        .ThenBy(m => m.Label, StringComparer.Ordinal)
        .Select(m => m.Label)
        .ToList();

    /// <summary>Two models (as <see cref="JudgedModels"/> names them) compared on every metric (<see cref="ModelComparisons"/>).</summary>
    public IReadOnlyList<ModelComparison> Compare(string modelA, string modelB)
    {
        var labels = ModelLabels().ToDictionary(m => m.Label, m => m.Key, StringComparer.Ordinal);
        int a = Scores.GroupOf(labels.GetValueOrDefault(modelA) ?? string.Empty), b = Scores.GroupOf(labels.GetValueOrDefault(modelB) ?? string.Empty);
        return a < 0 || b < 0 ? [] : ModelComparisons.Of(Scores, a, modelA, b, modelB);
    }

    private IEnumerable<(string Key, string Label)> ModelLabels()
    {
        var regions = _models.Values.GroupBy(m => m.ModelId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return _models.Select(kv => (kv.Key, regions[kv.Value.ModelId] > 1 ? $"{kv.Value.ModelId} ({kv.Value.Region})" : kv.Value.ModelId));
    }

    /// <summary>Each judge's score gap between its own model family's answers and other families' (<see cref="FamilyDelta"/>).</summary>
    public IReadOnlyList<JudgeFamilyBias> FamilyBias() => FamilyDelta.Of(Scores);
}
