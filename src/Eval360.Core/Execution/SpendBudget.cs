using System.Collections.Concurrent;
using System.Globalization;

namespace Eval360.Execution;

/// <summary>
/// Keeps a run under <see cref="BenchmarkOptions.MaxCost"/>: before each work item is scheduled, the spend so far plus
/// what is in flight plus this item's projected cost (model and judges) must stay under the cap. Projections start
/// from prices and token estimates and are corrected per model by what calls really cost as the run goes.
/// </summary>
internal sealed class SpendBudget
{
    /// <summary>A judge's reply: scores for every metric and a sentence or two.</summary>
    private const int JudgeOutputTokens = 250;

    private readonly double? _maxCost;
    private readonly RunRecorder _recorder;
    private readonly IReadOnlyList<ModelProfile> _judges;
    private readonly ConcurrentDictionary<string, Correction> _corrections = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _reservations = new(StringComparer.Ordinal);
    private double _reserved;

    public SpendBudget(double? maxCost, RunRecorder recorder, IReadOnlyList<ModelProfile> judges)
    {
        _maxCost = maxCost;
        _recorder = recorder;
        _judges = judges;
    }

    /// <returns>Why this item may not start (the cap would be passed), or null after reserving its projected cost.</returns>
    public string? Refuse(WorkItem item)
    {
        if (_maxCost is not double cap)
        {
            return null;
        }

        double projected = Project(item);
        lock (_corrections)
        {
            double committed = _recorder.SpentUsd + _reserved;
            if (committed + projected > cap)
            {
                return string.Create(CultureInfo.InvariantCulture,
                    $"stopped scheduling: spent {_recorder.SpentUsd:0.####} USD, {_reserved:0.####} USD in flight, and the next invocation is projected at {projected:0.####} USD, which would pass -MaxCost {cap:0.####} USD. Resume with a higher -MaxCost to finish.");
            }

            _reserved += projected;
            _reservations[item.Key] = projected;
        }

        return null;
    }

    public void Spent(WorkItem item, InvocationResult result)
    {
        double actual = result.Cost + result.JuryCost;
        _recorder.AddSpend(actual);
        if (_maxCost is null)
        {
            return;
        }

        double estimate = Estimate(item);
        _corrections.AddOrUpdate(item.Model.Key, _ => new Correction(estimate, actual, 1), (_, c) => c with { Estimated = c.Estimated + estimate, Actual = c.Actual + actual, Count = c.Count + 1 });
        lock (_corrections)
        {
            if (_reservations.Remove(item.Key, out var reserved))
            {
                _reserved = Math.Max(0, _reserved - reserved);
            }
        }
    }

    /// <summary>Prices × estimated tokens: the prompt at about four characters a token, the output at its limit.</summary>
    public double Estimate(WorkItem item)
    {
        long promptTokens = (item.Prompt.Length + 3) / 4;
        long outputTokens = item.Scenario.ExpectedOutputTokens;
        double cost = item.Model.CostOf(promptTokens, outputTokens);
        long judgeInput = (item.Prompt.Length + item.Scenario.GoldenAnswer.Length + item.Scenario.TaskCriteria.Length + 2400) / 4 + outputTokens;
        foreach (var judge in _judges)
        {
            cost += judge.CostOf(judgeInput, JudgeOutputTokens);
        }

        return cost;
    }

    private double Project(WorkItem item)
    {
        double estimate = Estimate(item);
        return _corrections.TryGetValue(item.Model.Key, out var c) && c.Count >= 3 && c.Estimated > 0
            ? estimate * Math.Max(0.05, c.Actual / c.Estimated)
            : estimate;
    }

    private sealed record Correction(double Estimated, double Actual, int Count);
}
