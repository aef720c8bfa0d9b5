using Eval360.Configuration;
using Eval360.Execution;
using Eval360.Providers;

namespace Eval360.Tests.Execution;

public sealed class PlanTests
{
    internal static Scenario NewScenario(string prompt = "What is 2+2?", double? temperature = null) => new()
    {
        Prompt = prompt,
        TaskType = "QA",
        TaskCriteria = "Correct",
        GoldenAnswer = "4",
        ExpectedOutputTokens = 20,
        Temperature = temperature,
    };

    internal static ModelProfile NewModel(string id = "sim/swift", string? region = null, double? rpm = null) =>
        ProviderSet.Catalog.TryParseId(id, out var provider, out var model)
            ? new ModelProfile { ModelId = id, Provider = provider, Model = model, Region = region, InputCostPer1K = 0.001, OutputCostPer1K = 0.002, TargetRpm = rpm }
            : throw new ArgumentException(id);

    [Theory]
    [InlineData(0.4, 2, 2.0, new[] { 0.2, 0.3, 0.4, 0.5, 0.6 })]
    [InlineData(0.7, 1, 2.0, new[] { 0.525, 0.7, 0.875 })]
    [InlineData(0.7, 0, 2.0, new[] { 0.7 })]
    [InlineData(1.0, 2, 1.0, new[] { 0.5, 0.75, 1.0 })]
    [InlineData(0.9, 1, 1.0, new[] { 0.675, 0.9, 1.0 })]
    [InlineData(0.5, 5, 1.0, new[] { 0.0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875, 1.0 })]
    [InlineData(0.7, 5, 2.0, new[] { 0.0, 0.175, 0.35, 0.525, 0.7, 0.875, 1.05, 1.225, 1.4, 1.575 })]
    public void Temperature_sweep_follows_the_seed_but_never_goes_below_zero_or_above_the_provider_maximum(double baseTemperature, int variations, double max, double[] expected)
    {
        var temperatures = TemperatureVariants.Expand(baseTemperature, variations, max);
        Assert.Equal(expected, temperatures);
        Assert.All(temperatures, t => Assert.InRange(t, 0, max));
    }

    [Fact]
    public void The_plan_multiplies_experiments_scenarios_temperatures_invocations_and_models()
    {
        var options = new BenchmarkOptions { ExperimentCount = 2, InvocationsPerScenario = 3, TemperatureVariations = 1 };
        var plan = BenchmarkPlan.Build([NewScenario("a"), NewScenario("b")], [NewModel("sim/a"), NewModel("sim/b")], [], options);
        Assert.Equal(2 * 2 * 3 * 3 * 2, plan.Items.Count);
        Assert.Equal(plan.Items.Count, plan.Items.Select(i => i.Key).Distinct().Count());
        Assert.Equal(Enumerable.Range(0, plan.Items.Count), plan.Items.Select(i => i.Ordinal));
        Assert.True(plan.Items.Where(i => i.Experiment == 1).All(i => i.Ordinal < plan.Items.Count / 2), "experiments run in turn");
    }

    [Fact]
    public void The_same_inputs_give_the_same_keys_in_every_build()
    {
        var options = new BenchmarkOptions { ExperimentCount = 2, TemperatureVariations = 2 };
        var first = BenchmarkPlan.Build([NewScenario("a"), NewScenario("b")], [NewModel()], [], options);
        var second = BenchmarkPlan.Build([NewScenario("a"), NewScenario("b")], [NewModel()], [], options with { ExperimentName = "other" });
        Assert.Equal(first.Items.Select(i => i.Key), second.Items.Select(i => i.Key));
    }

    [Fact]
    public void Keys_change_with_any_input_that_changes_the_call()
    {
        var options = new BenchmarkOptions { ExperimentCount = 1, InvocationsPerScenario = 1 };
        string Key(Scenario s, ModelProfile m) => BenchmarkPlan.Build([s], [m], [], options).Items.Single().Key;
        var baseline = Key(NewScenario(), NewModel());
        Assert.NotEqual(baseline, Key(NewScenario("other prompt"), NewModel()));
        Assert.NotEqual(baseline, Key(NewScenario(temperature: 0.2), NewModel()));
        Assert.NotEqual(baseline, Key(NewScenario(), NewModel(region: "us-east-1")));
        Assert.NotEqual(baseline, Key(NewScenario(), NewModel("sim/other")));
    }

    [Fact]
    public void A_repeated_scenario_gets_its_own_id()
    {
        var plan = BenchmarkPlan.Build([NewScenario(), NewScenario()], [NewModel()], [], new BenchmarkOptions { ExperimentCount = 1, InvocationsPerScenario = 1 });
        Assert.Equal(2, plan.Items.Select(i => i.Key).Distinct().Count());
        Assert.Equal(plan.Items[0].ScenarioId + "-2", plan.Items[1].ScenarioId);
    }

    [Fact]
    public void Latency_only_plans_have_no_jury()
    {
        var plan = BenchmarkPlan.Build([NewScenario()], [NewModel()], [NewModel("sim/judge")], new BenchmarkOptions { LatencyOnly = true });
        Assert.Empty(plan.Judges);
    }

    [Theory]
    [InlineData(0, "ParallelCalls")]
    [InlineData(1, "PassThreshold")]
    [InlineData(2, "TemperatureVariations")]
    [InlineData(3, "ExperimentName")]
    public void Options_out_of_range_are_reported_by_name(int which, string parameter)
    {
        var options = which switch
        {
            0 => new BenchmarkOptions { ParallelCalls = 0 },
            1 => new BenchmarkOptions { PassThreshold = 5 },
            2 => new BenchmarkOptions { TemperatureVariations = 6 },
            _ => new BenchmarkOptions { ExperimentName = "a/b" },
        };
        Assert.Contains(options.Validate(), f => f.Path == parameter);
    }

    [Fact]
    public void What_if_describes_calls_and_cost_per_model_and_judge()
    {
        var plan = BenchmarkPlan.Build([NewScenario()], [NewModel("sim/a")], [NewModel("sim/judge") with { Role = ProfileRole.Judge }],
            new BenchmarkOptions { ExperimentCount = 1, InvocationsPerScenario = 2, SleepBetweenInvocations = TimeSpan.Zero });
        var text = PlanDescription.Describe(plan);
        Assert.Contains("would make 2 model calls and 2 judge calls", text);
        Assert.Contains("sim/a", text);
        Assert.Matches(@"(?m)^  the jury \(each judge scores every answer\):\r?\n  sim/judge ", text);
        Assert.Contains("simulated", text);
    }

    [Fact]
    public void What_if_tells_one_model_in_two_regions_apart_and_fits_120_columns()
    {
        const string sonnet = "bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0";
        var plan = BenchmarkPlan.Build([NewScenario()], [NewModel(sonnet, "us-west-2"), NewModel(sonnet, "ap-northeast-1")], [],
            new BenchmarkOptions { ExperimentCount = 1, InvocationsPerScenario = 1, SleepBetweenInvocations = TimeSpan.Zero, LatencyOnly = true });
        var rows = PlanDescription.Describe(plan).Split(Environment.NewLine).Where(l => l.Contains("bedrock/", StringComparison.Ordinal)).ToList();

        // 52 characters shortened to 44: the provider, then the end (family, size, version).
        Assert.Equal(
        [
            "  bedrock/…pic.claude-sonnet-4-5-20250929-v1:0 us-west-2           1",
            "  bedrock/…pic.claude-sonnet-4-5-20250929-v1:0 ap-northeast-1      1",
        ], rows.Select(r => r[..68]));
        var table = PlanDescription.Describe(plan).Split(Environment.NewLine).SkipWhile(l => !l.Contains("model / judge", StringComparison.Ordinal)).TakeWhile(l => l.Length > 0).ToList();
        Assert.Equal(4, table.Count);   // header, two rows, total
        Assert.All(table, l => Assert.True(l.Length <= 120, l));
    }
}
