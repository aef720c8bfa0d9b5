using System.Collections;
using Eval360.Configuration;

namespace Eval360.Execution;

/// <summary>
/// Everything a run will do: experiments × scenarios × invocations × models × temperatures, in the order they are
/// scheduled (models interleaved, so per-model pacing never idles the pool). The work items are not stored: item
/// <c>i</c> is computed from its index when asked for, so a plan of a million invocations costs what a plan of ten does.
/// A run of one shard (<see cref="BenchmarkOptions.Shard"/>) plans only the items whose key falls in it (their
/// places in the whole plan are kept, four bytes each) and paces its models to 1/n of their targets.
/// </summary>
public sealed class BenchmarkPlan
{
    private readonly IReadOnlyList<Scenario> _scenarios;
    private readonly string[] _scenarioIds;
    private readonly ImageReference?[] _images;
    private readonly double[][][] _temperatures;
    private readonly int[][] _modelStart;
    private readonly int[] _invocationSize;
    private readonly int[] _scenarioStart;

    /// <summary>A shard's items, by their place in the whole plan (ascending); null when the run is the whole plan.</summary>
    private readonly int[]? _selected;

    private BenchmarkPlan(IReadOnlyList<Scenario> scenarios, IReadOnlyList<ModelProfile> models, IReadOnlyList<ModelProfile> judges, BenchmarkOptions options)
    {
        _scenarios = scenarios;
        Models = options.Shard is { } shard ? models.Select(shard.ShareOf).ToList() : models;
        Judges = options.LatencyOnly ? [] : options.Shard is { } judgeShard ? judges.Select(judgeShard.ShareOf).ToList() : judges;
        Options = options;
        _scenarioIds = UniqueIds(scenarios);
        _images = scenarios.Select(s => s.ImageUrl is null ? null : ImageReference.Resolve(s.ImageUrl, Environment.CurrentDirectory, out _)).ToArray();
        _temperatures = scenarios
            .Select(s => models.Select(m => TemperatureVariants.Expand(s.Temperature ?? Scenario.DefaultTemperature, options.TemperatureVariations, m.Provider.MaxTemperature).ToArray()).ToArray())
            .ToArray();

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
                _modelStart[s][m + 1] = _modelStart[s][m] + _temperatures[s][m].Length;
            }

            _invocationSize[s] = _modelStart[s][models.Count];
            _scenarioStart[s + 1] = _scenarioStart[s] + _invocationSize[s] * options.InvocationsPerScenario;
        }

        PerExperiment = _scenarioStart[scenarios.Count];
        if (options.Shard is { } selection)
        {
            var selected = new List<int>();
            for (int i = 0; i < WholePlanCount; i++)
            {
                if (selection.Contains(ItemAt(i).Key))
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

    public static BenchmarkPlan Build(IReadOnlyList<Scenario> scenarios, IReadOnlyList<ModelProfile> models, IReadOnlyList<ModelProfile> judges, BenchmarkOptions options) =>
        new(scenarios, models, judges, options);

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

        return new WorkItem
        {
            Ordinal = index,
            Experiment = experiment + 1,
            Invocation = invocation + 1,
            ScenarioId = _scenarioIds[s],
            Scenario = _scenarios[s],
            Model = Models[m],
            Temperature = _temperatures[s][m][rest - _modelStart[s][m]],
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
