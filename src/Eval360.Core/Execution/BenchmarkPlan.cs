namespace Eval360.Execution;

/// <summary>
/// Everything a run will do, expanded: experiments × scenarios × temperatures × invocations × models, in the order
/// they are scheduled (models interleaved, so per-model pacing never idles the pool).
/// </summary>
public sealed class BenchmarkPlan
{
    private BenchmarkPlan(IReadOnlyList<WorkItem> items, IReadOnlyList<ModelProfile> models, IReadOnlyList<ModelProfile> judges, BenchmarkOptions options)
    {
        Items = items;
        Models = models;
        Judges = judges;
        Options = options;
    }

    public IReadOnlyList<WorkItem> Items { get; }

    public IReadOnlyList<ModelProfile> Models { get; }

    /// <summary>The jury; empty for latency-only runs.</summary>
    public IReadOnlyList<ModelProfile> Judges { get; }

    public BenchmarkOptions Options { get; }

    public bool IsSimulated => Models.Concat(Judges).All(m => m.IsSimulated);

    public bool UsesSimulator => Models.Concat(Judges).Any(m => m.IsSimulated);

    public static BenchmarkPlan Build(IReadOnlyList<Scenario> scenarios, IReadOnlyList<ModelProfile> models, IReadOnlyList<ModelProfile> judges, BenchmarkOptions options)
    {
        var scenarioIds = UniqueIds(scenarios);
        var images = scenarios.Select(s => s.ImageUrl is null ? null : Configuration.ImageReference.Resolve(s.ImageUrl, Environment.CurrentDirectory, out _)).ToArray();
        var items = new List<WorkItem>();
        for (int experiment = 1; experiment <= options.ExperimentCount; experiment++)
        {
            for (int s = 0; s < scenarios.Count; s++)
            {
                var scenario = scenarios[s];
                for (int invocation = 1; invocation <= options.InvocationsPerScenario; invocation++)
                {
                    foreach (var model in models)
                    {
                        var temperatures = TemperatureVariants.Expand(scenario.Temperature ?? Scenario.DefaultTemperature, options.TemperatureVariations, model.Traits.MaxTemperature);
                        foreach (var temperature in temperatures)
                        {
                            items.Add(new WorkItem
                            {
                                Ordinal = items.Count,
                                Experiment = experiment,
                                Invocation = invocation,
                                ScenarioId = scenarioIds[s],
                                Scenario = scenario,
                                Model = model,
                                Temperature = temperature,
                                Image = images[s],
                            });
                        }
                    }
                }
            }
        }

        return new BenchmarkPlan(items, models, options.LatencyOnly ? [] : judges, options);
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
}
