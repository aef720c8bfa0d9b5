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
    public string? Refuse(WorkItem item) => Refuse(item.Key, item.Model.Key, Estimate(item), "invocation");

    public void Spent(WorkItem item, InvocationResult result) => Spent(item.Key, item.Model.Key, Estimate(item), result.Cost + result.JuryCost);

    /// <summary>Reserves the projected cost of one piece of work, unless it would pass the cap.</summary>
    /// <param name="key">The work's key (its reservation is released by <see cref="Spent(string, string, double, double)"/>).</param>
    /// <param name="group">Work whose real costs correct this one's estimate (the same model).</param>
    /// <param name="what">What the work is, for the message (<c>invocation</c>, <c>judging</c>).</param>
    /// <returns>Why the work may not start, or null after reserving its projected cost.</returns>
    public string? Refuse(string key, string group, double estimate, string what)
    {
        if (_maxCost is not double cap)
        {
            return null;
        }

        double projected = Project(group, estimate);
        lock (_corrections)
        {
            double committed = _recorder.SpentUsd + _reserved;
            if (committed + projected > cap)
            {
                return string.Create(CultureInfo.InvariantCulture,
                    $"stopped scheduling: spent {_recorder.SpentUsd:0.####} USD, {_reserved:0.####} USD in flight, and the next {what} is projected at {projected:0.####} USD, which would pass -MaxCost {cap:0.####} USD. Resume with a higher -MaxCost to finish.");
            }

            _reserved += projected;
            _reservations[key] = projected;
        }

        return null;
    }

    /// <summary>Counts what a piece of work really cost, corrects its group's projections and releases its reservation.</summary>
    public void Spent(string key, string group, double estimate, double actual)
    {
        _recorder.AddSpend(actual);
        if (_maxCost is null)
        {
            return;
        }

        _corrections.AddOrUpdate(group, _ => new Correction(estimate, actual, 1), (_, c) => c with { Estimated = c.Estimated + estimate, Actual = c.Actual + actual, Count = c.Count + 1 });
        lock (_corrections)
        {
            if (_reservations.Remove(key, out var reserved))
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
        long judgeInput = (item.Prompt.Length + item.Scenario.GoldenAnswer.Length + item.Scenario.TaskCriteria.Length + 3) / 4 + Jury.JudgePrompt.InstructionTokens + outputTokens;
        foreach (var judge in _judges)
        {
            cost += judge.CostOf(judgeInput, Jury.JudgePrompt.ExpectedOutputTokens);
        }

        return cost;
    }

    private double Project(string group, double estimate)
    {
        return _corrections.TryGetValue(group, out var c) && c.Count >= 3 && c.Estimated > 0
            ? estimate * Math.Max(0.05, c.Actual / c.Estimated)
            : estimate;
    }

    private sealed record Correction(double Estimated, double Actual, int Count);
}
