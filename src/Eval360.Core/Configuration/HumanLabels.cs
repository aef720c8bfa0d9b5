namespace Eval360.Configuration;

/// <summary>
/// Scores people gave answers, to measure the judges against (<see cref="HumanLabelFile"/> reads them). A label names
/// its answer by the result's <c>Key</c>, or by scenario id — optionally narrowed to one model — when it holds for
/// every answer to that scenario. Metric names match case-insensitively.
/// </summary>
public sealed class HumanLabels
{
    private readonly Dictionary<string, IReadOnlyDictionary<string, double>> _byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Scenario, string Model), IReadOnlyDictionary<string, double>> _byScenario = new();

    /// <summary>Labels read.</summary>
    public int Count => _byKey.Count + _byScenario.Count;

    /// <summary>Every metric some label scores.</summary>
    public IReadOnlySet<string> Metrics { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The labels of a result's answer: by its key, else by its scenario and model, else by its scenario; null when none.</summary>
    public IReadOnlyDictionary<string, double>? For(InvocationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Key.Length > 0 && _byKey.TryGetValue(result.Key, out var byKey))
        {
            return byKey;
        }

        return _byScenario.TryGetValue((result.ScenarioId, result.ModelId), out var byModel) ? byModel
            : _byScenario.TryGetValue((result.ScenarioId, string.Empty), out var byScenario) ? byScenario
            : null;
    }

    /// <returns>False when the same answer already has labels.</returns>
    internal bool TryAdd(string? key, string? scenarioId, string? modelId, IReadOnlyDictionary<string, double> scores)
    {
        bool added = key is not null
            ? _byKey.TryAdd(key, scores)
            : _byScenario.TryAdd((scenarioId!, modelId ?? string.Empty), scores);
        if (added)
        {
            foreach (var metric in scores.Keys)
            {
                ((HashSet<string>)Metrics).Add(metric);
            }
        }

        return added;
    }
}
