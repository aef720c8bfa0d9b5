namespace Eval360.Statistics;

/// <summary>How models are ranked: the composite's weights and the quality floor.</summary>
public sealed record RankingOptions
{
    /// <summary>The default quality floor: a model that fails more answers than it passes ranks last.</summary>
    public const double DefaultQualityFloor = 0.5;

    public static RankingOptions Default { get; } = new();

    public CompositeWeights Weights { get; init; } = new();

    /// <summary>
    /// The pass rate (0–1) below which a model ranks after every model at or above it, whatever its speed or price;
    /// 0 turns the floor off (a model without a judged answer is then ranked by its composite like the others).
    /// </summary>
    public double QualityFloor { get; init; } = DefaultQualityFloor;
}

/// <summary>One model's place in a <see cref="ModelRanking"/>.</summary>
/// <param name="Key">Its group key (<see cref="ResultStatistics.KeyOf"/>).</param>
/// <param name="Label">How it is named beside the others: its model id, with the region, run or experiment when those tell rows apart.</param>
/// <param name="CompositeDraws">Its composite score on each bootstrap resample (quality and latency resampled).</param>
/// <param name="PassRateDraws">Its pass rate on each resample of its judged answers (<see cref="QualityIntervals.PassRateDraws"/>); empty when none was judged.</param>
public sealed record RankedModel(
    string Key,
    string Label,
    ModelSummary Summary,
    ModelStatistics Statistics,
    QualityIntervals Intervals,
    CompositeScore Composite,
    IReadOnlyList<double> CompositeDraws,
    IReadOnlyList<double> PassRateDraws)
{
    /// <summary>Its pass rate is below the floor (see <see cref="ModelSummary.BelowQualityFloor"/>).</summary>
    public bool BelowFloor => Summary.BelowQualityFloor;
}

/// <summary>
/// The honest ranking: models at or above the quality floor first, then those below it (a model without a judged
/// answer counts as below when others were judged; without any jury the floor plays no part), each part by composite
/// score. Two neighbours whose composite scores do not differ beyond their uncertainty share a rank: each model's
/// judged answers are resampled as for its intervals (paired with another model's where they answered the same
/// items, see <see cref="ModelStatistics.Intervals"/>) and its median latency on its own (<see cref="Draws"/>; cost
/// and success rate as measured), and a tie is a 95% interval of the difference that holds 0. The Pareto frontier comes with it. Every summary is filled in:
/// Rank, Tied, CompositeScore, BelowQualityFloor, ParetoOptimal, DominatedBy.
/// </summary>
public sealed class ModelRanking
{
    private ModelRanking(RankingOptions options, CompositeScale scale, bool floorApplies, IReadOnlyList<RankedModel> models)
    {
        Options = options;
        Scale = scale;
        FloorApplies = floorApplies;
        Models = models;
    }

    public RankingOptions Options { get; }

    /// <summary>What the composite scores are measured against.</summary>
    public CompositeScale Scale { get; }

    /// <summary>Whether the quality floor applied (some answer was judged).</summary>
    public bool FloorApplies { get; }

    /// <summary>Best first.</summary>
    public IReadOnlyList<RankedModel> Models { get; }

    /// <summary>The summaries, best first.</summary>
    public IReadOnlyList<ModelSummary> Summaries => Models.Select(m => m.Summary).ToList();

    public static ModelRanking Of(ResultStatistics statistics, RankingOptions options)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        ArgumentNullException.ThrowIfNull(options);
        var rows = statistics.Models.Select(kv => (Key: kv.Key, Statistics: kv.Value, Intervals: statistics.Intervals(kv.Key))).ToList();
        var summaries = rows.Select(r => r.Statistics.Summary(r.Intervals)).ToList();
        var inputs = summaries.Select(CompositeInputs.Of).ToList();
        var scale = CompositeScale.Of(inputs, options.Weights);
        bool floorApplies = statistics.Overall.Judged > 0;
        var labels = Labels(summaries);

        var ranked = new List<RankedModel>(rows.Count);
        for (int i = 0; i < rows.Count; i++)
        {
            var s = summaries[i];
            var composite = scale.Score(inputs[i]);
            s.CompositeScore = Math.Round(composite.Value, 2);
            s.BelowQualityFloor = floorApplies && options.QualityFloor > 0 && !(s.PassRate >= options.QualityFloor);
            var passRates = rows[i].Intervals.PassRateDraws;
            var scores = rows[i].Intervals.OverallScoreDraws;
            var medians = Draws.Median(rows[i].Statistics.TimesToFirstToken, Draws.SeedOf(rows[i].Key));
            var draws = new double[Bootstrap.Resamples];
            for (int b = 0; b < draws.Length; b++)
            {
                draws[b] = scale.Score(inputs[i] with
                {
                    PassRate = At(passRates, b) ?? inputs[i].PassRate,
                    MeanScore = At(scores, b) ?? inputs[i].MeanScore,
                    TimeToFirstTokenP50 = At(medians, b) ?? inputs[i].TimeToFirstTokenP50,
                }).Value;
            }

            ranked.Add(new RankedModel(rows[i].Key, labels[i], s, rows[i].Statistics, rows[i].Intervals, composite, draws, passRates));
        }

        ranked = ranked
            .OrderBy(m => m.BelowFloor)
            .ThenByDescending(m => m.Composite.Value)
            .ThenBy(m => m.Summary.ModelId, StringComparer.Ordinal)
            .ThenBy(m => m.Key, StringComparer.Ordinal)
            .ToList();
        for (int i = 0; i < ranked.Count; i++)
        {
            var s = ranked[i].Summary;
            bool tied = i > 0 && TiedWithAbove(ranked[i - 1], ranked[i]);
            s.Rank = tied ? ranked[i - 1].Summary.Rank : i + 1;
            if (tied)
            {
                s.Tied = ranked[i - 1].Summary.Tied = true;
            }
        }

        var dominators = ParetoFrontier.Dominators(ranked.Select(m => ParetoPoint.Of(m.Summary)).ToList());
        for (int i = 0; i < ranked.Count; i++)
        {
            ranked[i].Summary.ParetoOptimal = dominators[i].Count == 0;
            ranked[i].Summary.DominatedBy = new NameList(dominators[i].Select(j => ranked[j].Label));
        }

        return new ModelRanking(options, scale, floorApplies, ranked);
    }

    /// <summary>
    /// The judged models in groups by pass rate, best first: each group is led by the best model not yet grouped and
    /// holds every following model whose pass rate does not differ significantly from the leader's.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<RankedModel>> QualityGroups()
    {
        var judged = Models.Where(m => m.Summary.PassRate is not null)
            .OrderByDescending(m => m.Summary.PassRate)
            .ThenByDescending(m => m.Summary.OverallScore ?? 0)
            .ToList();
        var groups = new List<IReadOnlyList<RankedModel>>();
        List<RankedModel>? current = null;
        foreach (var model in judged)
        {
            if (current is not null && !Differ(current[0].PassRateDraws, model.PassRateDraws))
            {
                current.Add(model);
                continue;
            }

            current = [model];
            groups.Add(current);
        }

        return groups;
    }

    /// <summary>Whether two sets of draws differ significantly (the 95% interval of their difference leaves out 0).</summary>
    public static bool Differ(IReadOnlyList<double> a, IReadOnlyList<double> b) =>
        Draws.Difference(a, b) is not Interval interval || !interval.Contains(0);

    private static bool TiedWithAbove(RankedModel above, RankedModel model) =>
        above.BelowFloor == model.BelowFloor && !Differ(above.CompositeDraws, model.CompositeDraws);

    private static double? At(IReadOnlyList<double> draws, int b) => b < draws.Count && !double.IsNaN(draws[b]) ? draws[b] : null;

    /// <summary>Model ids, with what tells rows apart when one model has several: region, run, experiment.</summary>
    private static List<string> Labels(IReadOnlyList<ModelSummary> summaries)
    {
        bool regions = summaries.Select(s => s.Region).Distinct().Count() > 1;
        return summaries.Select(s =>
        {
            var label = s.ModelId;
            if (regions && s.Region is not null)
            {
                label += " · " + s.Region;
            }

            if (s.RunId is not null)
            {
                label += " · run " + s.RunId;
            }

            if (s.ExperimentName is not null)
            {
                label += " · " + s.ExperimentName;
            }

            return label;
        }).ToList();
    }
}
