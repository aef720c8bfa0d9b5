using Eval360.Configuration;
using Eval360.Execution;

namespace Eval360.Tests.Execution;

/// <summary>-Shard i/n: which work items a shard runs, how it paces, and what names its plan.</summary>
public sealed class ShardTests
{
    private static BenchmarkPlan Plan(BenchmarkOptions options) => BenchmarkPlan.Build(
        [PlanTests.NewScenario("a"), PlanTests.NewScenario("b"), PlanTests.NewScenario("c", temperature: 0.4)],
        [PlanTests.NewModel("sim/swift"), PlanTests.NewModel("sim/balanced", region: "r2")],
        [],
        options);

    private static readonly BenchmarkOptions Whole = new() { ExperimentCount = 2, InvocationsPerScenario = 2, TemperatureVariations = 1 };

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(7)]
    public void Shards_are_disjoint_and_together_are_the_whole_plan(int count)
    {
        var whole = Plan(Whole);
        Assert.Equal(3 * 2 * 3 * 2 * 2, whole.Items.Count);
        var shards = Enumerable.Range(1, count).Select(i => Plan(Whole with { Shard = new PlanShard(i, count) })).ToList();

        var keys = shards.SelectMany(s => s.Items.Select(i => i.Key)).ToList();
        Assert.Equal(whole.Items.Count, keys.Count);
        Assert.Equal(whole.Items.Select(i => i.Key).Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));
        foreach (var (shard, index) in shards.Select((s, i) => (s, i + 1)))
        {
            Assert.All(shard.Items, item => Assert.Equal(index, PlanShard.Of(item.Key, count)));
            Assert.Equal(whole.Items.Count, shard.WholePlanCount);
            // A shard keeps the plan's order (and each item its place in the whole plan).
            Assert.Equal(shard.Items.Select(i => i.Ordinal).Order(), shard.Items.Select(i => i.Ordinal));
            Assert.All(shard.Items, item => Assert.Equal(whole.Items[item.Ordinal].Key, item.Key));
        }
    }

    [Fact]
    public void Experiments_of_a_shard_run_one_after_another()
    {
        var shard = Plan(Whole with { Shard = new PlanShard(2, 3) });
        var (first1, count1) = shard.ExperimentItems(1);
        var (first2, count2) = shard.ExperimentItems(2);
        Assert.Equal(0, first1);
        Assert.Equal(count1, first2);
        Assert.Equal(shard.Items.Count, count1 + count2);
        Assert.All(Enumerable.Range(first1, count1), i => Assert.Equal(1, shard.Items[i].Experiment));
        Assert.All(Enumerable.Range(first2, count2), i => Assert.Equal(2, shard.Items[i].Experiment));
        Assert.Equal((Whole.InvocationsPerScenario * 3 * 3 * 2, Whole.InvocationsPerScenario * 3 * 3 * 2), (Plan(Whole).ExperimentItems(2).First, Plan(Whole).ExperimentItems(2).Count));
    }

    [Fact]
    public void A_key_falls_in_the_same_shard_everywhere()
    {
        // The first 16 hex digits as a number, modulo n, plus one: 0x0123456789abcdef is 81985529216486895, which is
        // 3 modulo 4, 0 modulo 3 and 6 modulo 7 (worked out with Python's integers).
        Assert.Equal(4, PlanShard.Of("0123456789abcdef0123", 4));
        Assert.Equal(1, PlanShard.Of("0123456789abcdef0123", 3));
        Assert.Equal(7, PlanShard.Of("0123456789abcdef0123", 7));
        Assert.Equal(1, PlanShard.Of("anything", 1));
        Assert.Equal(PlanShard.Of("not-a-hex-key", 5), PlanShard.Of("not-a-hex-key", 5));
    }

    [Theory]
    [InlineData("3/8", 3, 8)]
    [InlineData(" 1 / 1 ", 1, 1)]
    [InlineData("10000/10000", 10000, 10000)]
    public void A_shard_is_written_i_slash_n(string text, int index, int count)
    {
        var shard = PlanShard.Parse(text);
        Assert.Equal((index, count), (shard.Index, shard.Count));
        Assert.Equal($"{index}/{count}", shard.ToString());
    }

    [Theory]
    [InlineData("0/4")]
    [InlineData("5/4")]
    [InlineData("3")]
    [InlineData("a/b")]
    [InlineData("1/0")]
    [InlineData("-1/4")]
    [InlineData("1/10001")]
    [InlineData("1/2/3")]
    public void Anything_else_is_refused_with_what_to_write(string text)
    {
        var e = Assert.Throws<FormatException>(() => PlanShard.Parse(text));
        Assert.Contains("use i/n", e.Message, StringComparison.Ordinal);
        Assert.Contains("is not a shard i/n", RunSettings.Shard.Check(text), StringComparison.Ordinal);
    }

    [Fact]
    public void The_setting_is_part_of_the_plan_and_its_default_is_the_whole_plan()
    {
        Assert.Equal(SettingKind.Plan, RunSettings.Shard.Kind);
        Assert.Null(RunSettings.Shard.Default);
        Assert.Null(RunSettings.Shard.Check("2/4"));
        Assert.Equal("2/4", RunSettings.Shard.Format(RunSettings.Apply(new BenchmarkOptions(), [new("Shard", "2/4")]).Shard));
        Assert.DoesNotContain(RunSettings.Shard, RunSettings.PlanShaping);
        Assert.DoesNotContain(RunSettings.ExperimentName, RunSettings.PlanShaping);
        Assert.Contains(RunSettings.InvocationsPerScenario, RunSettings.PlanShaping);
        Assert.DoesNotContain(RunSettings.ParallelCalls, RunSettings.PlanShaping);
    }

    [Fact]
    public void A_shard_paces_models_and_judges_to_a_share_of_their_targets()
    {
        var judge = PlanTests.NewModel("sim/judge", rpm: 60) with { Role = ProfileRole.Judge };
        var model = PlanTests.NewModel("sim/swift", rpm: 120) with { TargetTpm = 8000 };
        var plan = BenchmarkPlan.Build([PlanTests.NewScenario()], [model], [judge], new BenchmarkOptions { Shard = new PlanShard(2, 4) });
        Assert.Equal(30, plan.Models[0].TargetRpm);
        Assert.Equal(2000, plan.Models[0].TargetTpm);
        Assert.Equal(15, plan.Judges[0].TargetRpm);
        Assert.All(plan.Items, item => Assert.Equal(30, item.Model.TargetRpm));
        var unpaced = BenchmarkPlan.Build([PlanTests.NewScenario()], [PlanTests.NewModel()], [], new BenchmarkOptions { Shard = new PlanShard(1, 4) });
        Assert.Null(unpaced.Models[0].TargetRpm);
    }

    [Fact]
    public async Task Four_shards_of_a_120_rpm_model_each_send_30_a_minute_on_fake_time()
    {
        var plan = BenchmarkPlan.Build([PlanTests.NewScenario()], [PlanTests.NewModel(rpm: 120)], [], new BenchmarkOptions { Shard = new PlanShard(3, 4) });
        var grants = await Calls.PacingTests.PaceAsync(plan.Models[0], workers: 8, TimeSpan.FromMinutes(4), TimeSpan.FromSeconds(1));
        for (int minute = 0; minute < 4; minute++)
        {
            Assert.InRange(grants.Count(g => g >= TimeSpan.FromMinutes(minute) && g < TimeSpan.FromMinutes(minute + 1)), 29, 31);
        }

        var gaps = grants.Zip(grants.Skip(1), (a, b) => b - a).ToList();
        Assert.All(gaps, gap => Assert.Equal(2.0, gap.TotalSeconds, 0.05));
    }

    [Fact]
    public void The_plan_id_names_the_inputs_and_plan_settings_not_the_shard_the_name_or_how_it_runs()
    {
        string Id(BenchmarkOptions options, double price = 0.001, string prompt = "a") => PlanIdentity.Of(
            [PlanTests.NewScenario(prompt)], [PlanTests.NewModel() with { InputCostPer1K = price }], [], options);

        var id = Id(Whole);
        Assert.Matches("^[0-9a-f]{16}$", id);
        Assert.Equal(id, Id(Whole with { Shard = new PlanShard(1, 4) }));
        Assert.Equal(id, Id(Whole with { Shard = new PlanShard(4, 4) }));
        Assert.Equal(id, Id(Whole with { ExperimentName = "nightly" }));
        Assert.Equal(id, Id(Whole with { ParallelCalls = 64, SleepBetweenInvocations = TimeSpan.Zero, MaxRetries = 0, MaxCost = 3 }));
        Assert.NotEqual(id, Id(Whole with { InvocationsPerScenario = 3 }));
        Assert.NotEqual(id, Id(Whole with { LatencyOnly = true }));
        Assert.NotEqual(id, Id(Whole with { PassThreshold = 4 }));
        Assert.NotEqual(id, Id(Whole, price: 0.002));
        Assert.NotEqual(id, Id(Whole, prompt: "b"));
    }
}
