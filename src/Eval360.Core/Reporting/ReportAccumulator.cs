using Eval360.Results;

namespace Eval360.Reporting;

/// <summary>
/// Everything a report needs, gathered in one pass over the results: counts and sums, fixed-size latency
/// distributions, a few clipped example answers — never the results themselves, so memory stays flat however many
/// stream past. The per-model figures come from <see cref="RunSummary"/>, the same computation as summary.json.
/// </summary>
internal sealed class ReportAccumulator
{
    private readonly Dictionary<string, ModelFigures> _models = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dimensionSet = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _extraDimensions = [];

    public RunSummary Summary { get; } = new();

    public IReadOnlyDictionary<string, ModelFigures> Models => _models;

    public Dictionary<string, GroupFigures> ByRegion { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, JudgeFigures> Judges { get; } = new(StringComparer.Ordinal);

    /// <summary>Per region, successful invocations and their summed time to first token by the UTC hour they started.</summary>
    public Dictionary<string, (int[] Count, double[] TimeToFirstToken)> ByHour { get; } = new(StringComparer.Ordinal);

    public SortedSet<string> RunIds { get; } = new(StringComparer.Ordinal);

    public SortedSet<string> ExperimentNames { get; } = new(StringComparer.Ordinal);

    public SortedSet<string> TaskTypes { get; } = new(StringComparer.Ordinal);

    public SortedSet<double> Temperatures { get; } = [];

    public DateTimeOffset? FirstStarted { get; private set; }

    public DateTimeOffset? LastStarted { get; private set; }

    public int Total { get; private set; }

    public int Succeeded { get; private set; }

    public int Judged { get; private set; }

    public int Passed { get; private set; }

    public int Simulated { get; private set; }

    /// <summary>Results of latency-only runs (no jury asked).</summary>
    public int LatencyOnly { get; private set; }

    public double ModelCost { get; private set; }

    public double JuryCost { get; private set; }

    /// <summary>Judged answers with at least two usable verdicts, of which <see cref="UnanimousAnswers"/> had every judge agree on pass/fail.</summary>
    public int MultiJudgeAnswers { get; private set; }

    public int UnanimousAnswers { get; private set; }

    /// <summary>Sum over <see cref="MultiJudgeAnswers"/> of the gap between the highest and lowest judge's mean score.</summary>
    public double ScoreSpreadSum { get; private set; }

    /// <summary>The scored dimensions: the six core ones that occur, in their usual order, then the user's in order of appearance.</summary>
    public IReadOnlyList<string> Dimensions =>
        Jury.Dimensions.Core.Where(_dimensionSet.Contains).Concat(_extraDimensions).ToList();

    public static string ModelKey(string modelId, string? region) => $"{modelId}|{region}";

    public void Add(InvocationResult r)
    {
        Summary.Add(r);
        var key = ModelKey(r.ModelId, r.Region);
        if (!_models.TryGetValue(key, out var model))
        {
            _models[key] = model = new ModelFigures(r.ModelId, r.Region);
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
                ByHour[region] = hours = (new int[24], new double[24]);
            }

            int hour = r.StartedAt.UtcDateTime.Hour;
            hours.Count[hour]++;
            hours.TimeToFirstToken[hour] += ttft;
        }

        Total++;
        ModelCost += r.Cost;
        JuryCost += r.JuryCost;
        Simulated += r.Simulated ? 1 : 0;
        LatencyOnly += r.IsLatencyOnly() ? 1 : 0;
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

        if (r.IsSucceeded())
        {
            Succeeded++;
        }

        if (r.Passed is bool passed)
        {
            Judged++;
            Passed += passed ? 1 : 0;
            foreach (var dimension in r.Scores.Keys)
            {
                if (_dimensionSet.Add(dimension) && !Jury.Dimensions.Core.Contains(dimension, StringComparer.OrdinalIgnoreCase))
                {
                    _extraDimensions.Add(dimension);
                }
            }
        }

        if (r.Judges.Count > 0)
        {
            AddVerdicts(r);
        }
    }

    private void AddVerdicts(InvocationResult r)
    {
        int usable = 0, passes = 0;
        double lowest = double.MaxValue, highest = double.MinValue;
        foreach (var verdict in r.Judges)
        {
            var id = string.IsNullOrEmpty(verdict.JudgeModelId) ? "(unnamed judge)" : verdict.JudgeModelId;
            if (!Judges.TryGetValue(id, out var judge))
            {
                Judges[id] = judge = new JudgeFigures(id);
            }

            judge.Add(verdict, r.Passed);
            if (verdict.Error is null && verdict.Passed is bool passed && verdict.Scores.Count > 0)
            {
                usable++;
                passes += passed ? 1 : 0;
                double mean = verdict.Scores.Values.Average();
                lowest = Math.Min(lowest, mean);
                highest = Math.Max(highest, mean);
            }
        }

        if (usable >= 2)
        {
            MultiJudgeAnswers++;
            UnanimousAnswers += passes == 0 || passes == usable ? 1 : 0;
            ScoreSpreadSum += highest - lowest;
        }
    }
}
