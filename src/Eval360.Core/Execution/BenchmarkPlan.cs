using System.Collections;
using Eval360.Configuration;

namespace Eval360.Execution;

/// <summary>
/// Everything a run will do: experiments × scenarios × invocations × models × temperatures × prompt variants, in the
/// order they are scheduled (models interleaved, so per-model pacing never idles the pool). The work items are not
/// stored: item <c>i</c> is computed from its index when asked for, so a plan of a million invocations costs what a plan
/// of ten does. With prompt optimization a scenario has, for a model whose provider optimizes prompts, the optimized
/// prompt instead of its own (<c>OptimizeOnly</c>) or beside it (<c>EvaluateBoth</c>); each variant is its own work item
/// with its own key. A run of one shard (<see cref="BenchmarkOptions.Shard"/>) plans only the items whose key falls in it
/// (their places in the whole plan are kept, four bytes each) and paces its models to 1/n of their targets.
/// </summary>
public sealed class BenchmarkPlan
{
    private readonly IReadOnlyList<Scenario> _scenarios;
    private readonly string[] _scenarioIds;
    private readonly ImageReference?[] _images;
    private readonly double[][][] _temperatures;
    private readonly PlannedPrompt[][][] _prompts;
    private readonly int[][] _modelStart;
    private readonly int[] _invocationSize;
    private readonly int[] _scenarioStart;

    /// <summary>A shard's items, by their place in the whole plan (ascending); null when the run is the whole plan.</summary>
    private readonly int[]? _selected;

    private BenchmarkPlan(IReadOnlyList<Scenario> scenarios, IReadOnlyList<ModelProfile> models, IReadOnlyList<ModelProfile> judges, BenchmarkOptions options, OptimizedPrompts optimized)
    {
        _scenarios = scenarios;
        Models = models;
        Judges = options.LatencyOnly ? [] : judges;
        Options = options;
        Optimized = optimized;
        _scenarioIds = UniqueIds(scenarios);
        _images = scenarios.Select(s => s.ImageUrl is null ? null : ImageReference.Resolve(s.ImageUrl, Environment.CurrentDirectory, out _)).ToArray();
        _temperatures = scenarios
            .Select(s => models.Select(m => TemperatureVariants.Expand(s.Temperature ?? Scenario.DefaultTemperature, options.TemperatureVariations, m.Provider.MaxTemperature).ToArray()).ToArray())
            .ToArray();
        _prompts = _scenarioIds.Select(id => models.Select(m => PromptsOf(id, m)).ToArray()).ToArray();

        // Offsets, so an index can be taken apart: within an experiment, scenario blocks; within a block, invocations;
        // within an invocation, each model's temperatures.
        _modelStart = new int[scenarios.Count][];
        _invocationSize = new int[scenarios.Count];
        _scenarioStart = new int[scenarios.Count + 1];
        for (int s = 0; s < scenarios.Count; s++)
        {
            _modelStart[s] = new int[models.Count + 1];
            for (int m = 0; m < models.Count; m++)
            {
                _modelStart[s][m + 1] = _modelStart[s][m] + _temperatures[s][m].Length * _prompts[s][m].Length;
            }

            _invocationSize[s] = _modelStart[s][models.Count];
            _scenarioStart[s + 1] = _scenarioStart[s] + _invocationSize[s] * options.InvocationsPerScenario;
        }

        PerExperiment = _scenarioStart[scenarios.Count];
        if (options.Shard is { } shard)
        {
            var selected = new List<int>();
            for (int i = 0; i < WholePlanCount; i++)
            {
                if (shard.Contains(ItemAt(i).Key))
                {
                    selected.Add(i);
                }
            }

            _selected = [.. selected];
        }

        Items = new PlanItems(this);
    }

    public IReadOnlyList<WorkItem> Items { get; }

    /// <summary>Work items in one experiment of the whole plan; experiment <c>e</c> holds its items <c>(e-1)·n … e·n-1</c>.</summary>
    public int PerExperiment { get; }

    /// <summary>Work items in the whole plan, every shard's together (<see cref="Items"/> holds only this run's shard).</summary>
    public int WholePlanCount => PerExperiment * Options.ExperimentCount;

    public IReadOnlyList<ModelProfile> Models { get; }

    /// <summary>The jury; empty for latency-only runs.</summary>
    public IReadOnlyList<ModelProfile> Judges { get; }

    public BenchmarkOptions Options { get; }

    /// <summary>What prompt optimization decided (or, for pairs it has not run for yet, is expected to give).</summary>
    public OptimizedPrompts Optimized { get; }

    /// <summary>Each scenario's id in the plan (<see cref="WorkItem.ScenarioId"/>) with the scenario.</summary>
    public IEnumerable<(string Id, Scenario Scenario)> Scenarios => _scenarioIds.Zip(_scenarios);

    public bool IsSimulated => Models.Concat(Judges).All(m => m.IsSimulated);

    /// <summary>Every metric the jury scores in this run (the core dimensions, then the user's); none without a jury.</summary>
    public IReadOnlyList<string> Metrics => RunMetrics.Of(_scenarios, Options);

    public bool UsesSimulator => Models.Concat(Judges).Any(m => m.IsSimulated);

    /// <summary>Where experiment <paramref name="experiment"/> (from 1) lies in <see cref="Items"/>: experiments run one after another.</summary>
    public (int First, int Count) ExperimentItems(int experiment)
    {
        int start = (experiment - 1) * PerExperiment, end = experiment * PerExperiment;
        if (_selected is null)
        {
            return (start, PerExperiment);
        }

        int first = LowerBound(_selected, start);
        return (first, LowerBound(_selected, end) - first);
    }

    /// <param name="optimized">What prompt optimization gave so far; by default none yet, so every scenario and model it can optimize is expected to have an optimized prompt.</param>
    public static BenchmarkPlan Build(IReadOnlyList<Scenario> scenarios, IReadOnlyList<ModelProfile> models, IReadOnlyList<ModelProfile> judges, BenchmarkOptions options, OptimizedPrompts? optimized = null) =>
        new(scenarios, ShareOf(models, options), ShareOf(judges, options), options, optimized ?? OptimizedPrompts.Expected);

    /// <summary>The profiles as a shard runs them (pacing targets divided by n); as they are for the whole plan.</summary>
    private static IReadOnlyList<ModelProfile> ShareOf(IReadOnlyList<ModelProfile> profiles, BenchmarkOptions options) =>
        options.Shard is { } shard ? [.. profiles.Select(shard.ShareOf)] : profiles;

    /// <summary>
    /// The same plan for other models and judges (a service tier fallen back; profiles as this plan runs them, a shard's
    /// share already taken) or with optimization's outcome; work items keep their keys.
    /// </summary>
    internal BenchmarkPlan With(IReadOnlyList<ModelProfile> models, IReadOnlyList<ModelProfile> judges, OptimizedPrompts optimized) =>
        new(_scenarios, models, judges, Options, optimized);

    /// <summary>The prompts a scenario is sent to a model with: its own, the optimized one, or both, as the mode and optimization's outcome say.</summary>
    private PlannedPrompt[] PromptsOf(string scenarioId, ModelProfile model)
    {
        var mode = Options.PromptOptimization;
        if (mode == PromptOptimizationMode.None || !Providers.ProviderSet.OptimizesPrompts(model) || !Optimized.Has(scenarioId, model, out var text))
        {
            return PlannedPrompt.OriginalOnly;
        }

        var optimized = new PlannedPrompt(PromptVariants.Optimized, text);
        return mode == PromptOptimizationMode.OptimizeOnly ? [optimized] : [PlannedPrompt.Original, optimized];
    }

    private WorkItem ItemAt(int index)
    {
        int experiment = index / PerExperiment;
        int rest = index % PerExperiment;
        int s = Array.BinarySearch(_scenarioStart, rest);
        s = s >= 0 ? s : ~s - 1;
        while (_scenarioStart[s + 1] <= rest)
        {
            s++;
        }

        rest -= _scenarioStart[s];
        int invocation = rest / _invocationSize[s];
        rest %= _invocationSize[s];
        int m = Array.BinarySearch(_modelStart[s], rest);
        m = m >= 0 ? m : ~m - 1;
        while (_modelStart[s][m + 1] <= rest)
        {
            m++;
        }

        var prompts = _prompts[s][m];
        int within = rest - _modelStart[s][m];
        var prompt = prompts[within % prompts.Length];
        return new WorkItem
        {
            Ordinal = index,
            Experiment = experiment + 1,
            Invocation = invocation + 1,
            ScenarioId = _scenarioIds[s],
            Scenario = _scenarios[s],
            Model = Models[m],
            Temperature = _temperatures[s][m][within / prompts.Length],
            PromptVariant = prompt.Variant,
            OptimizedPrompt = prompt.Text,
            Image = _images[s],
        };
    }

    /// <summary>The first position in <paramref name="sorted"/> holding a value at least <paramref name="value"/>.</summary>
    private static int LowerBound(int[] sorted, int value)
    {
        int at = Array.BinarySearch(sorted, value);
        return at >= 0 ? at : ~at;
    }

    private static string[] UniqueIds(IReadOnlyList<Scenario> scenarios)
    {
        var seen = new Dictionary<string, int>();
        var ids = new string[scenarios.Count];
        for (int i = 0; i < scenarios.Count; i++)
        {
            var id = scenarios[i].Id;
            seen[id] = seen.GetValueOrDefault(id) + 1;
            ids[i] = seen[id] == 1 ? id : $"{id}-{seen[id]}";
        }

        return ids;
    }

    /// <summary>A variant of a scenario's prompt: its name, and the optimized text (null for the original, or before optimization ran).</summary>
    private readonly record struct PlannedPrompt(string Variant, string? Text)
    {
        public static PlannedPrompt Original { get; } = new(PromptVariants.Original, null);

        public static PlannedPrompt[] OriginalOnly { get; } = [Original];
    }

    /// <summary>The plan's work items, made on demand.</summary>
    private sealed class PlanItems(BenchmarkPlan plan) : IReadOnlyList<WorkItem>
    {
        public int Count => plan._selected?.Length ?? plan.WholePlanCount;

        public WorkItem this[int index] => (uint)index < (uint)Count ? plan.ItemAt(plan._selected?[index] ?? index) : throw new ArgumentOutOfRangeException(nameof(index));

        public IEnumerator<WorkItem> GetEnumerator()
        {
            for (int i = 0; i < Count; i++)
            {
                yield return this[i];
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
