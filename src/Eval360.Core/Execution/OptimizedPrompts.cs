using Eval360.Results;

namespace Eval360.Execution;

/// <summary>
/// What prompt optimization decided for each scenario and target model, as a plan reads it: the optimized prompt of
/// each pair it rewrote; none for pairs it skipped or failed. A pair not decided yet is expected to get one, so a plan
/// made before optimization (or <c>-WhatIf</c>) counts the most calls the run can make.
/// </summary>
public sealed class OptimizedPrompts
{
    private readonly Dictionary<(string ScenarioId, string ModelId), PromptOptimizationEntry> _decided;

    private OptimizedPrompts(IEnumerable<PromptOptimizationEntry> entries) =>
        _decided = entries.GroupBy(e => (e.ScenarioId, e.ModelId)).ToDictionary(g => g.Key, g => g.Last());

    /// <summary>Nothing decided yet.</summary>
    public static OptimizedPrompts Expected { get; } = new([]);

    public static OptimizedPrompts Of(IEnumerable<PromptOptimizationEntry> entries) => new(entries);

    /// <summary>The decision for a pair; null when none was made yet.</summary>
    internal PromptOptimizationEntry? Decision(string scenarioId, ModelProfile model) =>
        _decided.GetValueOrDefault((scenarioId, model.ModelId));

    /// <summary>True when the pair has an optimized prompt (<paramref name="text"/>), or is not decided yet (then <paramref name="text"/> is null).</summary>
    internal bool Has(string scenarioId, ModelProfile model, out string? text)
    {
        text = null;
        if (Decision(scenarioId, model) is not { } entry)
        {
            return true;
        }

        text = entry.OptimizedPrompt;
        return entry.Status == PromptOptimizationStatus.Optimized && text is not null;
    }
}
