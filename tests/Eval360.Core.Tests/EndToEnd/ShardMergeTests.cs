using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using Eval360.Configuration;
using Eval360.Execution;
using Eval360.Providers;
using Eval360.Reporting;
using Eval360.Results;
using Eval360.Statistics;

namespace Eval360.Tests.EndToEnd;

/// <summary>
/// A plan run whole and as four shards (the built-in simulator, with a jury), then merged: the merge is the plan,
/// reads like any run, gives the same figures as the shards read together in any order, and refuses what is not
/// the shards of one plan.
/// </summary>
public sealed partial class ShardMergeTests : IDisposable
{
    private readonly TempDirectory _work = new();

    private static LoadedConfiguration Configuration(int scenarios = 6) => new(
        [.. Enumerable.Range(1, scenarios).Select(i => BenchmarkHarness.Scenario($"Question {i}?", tokens: 24))],
        [Profile("sim/swift-mini", 600), Profile("sim/balanced-pro", null)],
        [Profile("sim/judge-strict", null, ProfileRole.Judge), Profile("sim/judge-lenient", null, ProfileRole.Judge)],
        []);

    private static ModelProfile Profile(string id, double? rpm, ProfileRole role = ProfileRole.Candidate) =>
        ProviderSet.Catalog.TryParseId(id, out var provider, out var model)
            ? new ModelProfile { ModelId = id, Provider = provider, Model = model, Role = role, Region = "sim-local-1", InputCostPer1K = 0.001, OutputCostPer1K = 0.002, TargetRpm = rpm }
            : throw new ArgumentException(id);

    private BenchmarkOptions Options(string name, PlanShard? shard = null, int invocations = 2) => new()
    {
        ExperimentName = name,
        ExperimentCount = 1,
        InvocationsPerScenario = invocations,
        ParallelCalls = 16,
        SleepBetweenInvocations = TimeSpan.Zero,
        OutputDirectory = Path.Combine(_work.Path, "outputs"),
        Shard = shard,
        Report = false,
    };

    private async Task<RunOutcome> RunAsync(BenchmarkOptions options, LoadedConfiguration? configuration = null)
    {
        var benchmark = Benchmark.Create(configuration ?? Configuration(), options, _work.Path);
        var events = Channel.CreateUnbounded<RunEvent>();
        return await benchmark.RunAsync(events.Writer, CancellationToken.None);
    }

    private async Task<List<string>> RunShardsAsync(int count, string name = "sharded")
    {
        var outcomes = await Task.WhenAll(Enumerable.Range(1, count).Select(i => RunAsync(Options(name, new PlanShard(i, count)))));
        return [.. outcomes.Select(o => o.Directory.Path)];
    }

    private static List<InvocationResult> Read(params string[] directories) =>
        [.. directories.SelectMany(d => ResultFiles.Scan(d, new ResultScan()))];

    [Fact]
    public async Task Four_shards_merged_are_the_plan_and_a_normal_run()
    {
        var whole = await RunAsync(Options("whole"));
        var shards = await RunShardsAsync(4);

        var manifests = shards.Select(RunManifest.Load).ToList();
        Assert.Single(manifests.Select(m => m.PlanId).Distinct());
        Assert.Equal(RunManifest.Load(whole.Directory.Path).PlanId, manifests[0].PlanId);
        Assert.Equal(["1/4", "2/4", "3/4", "4/4"], manifests.Select(m => m.Shard!.ToString()));
        Assert.Equal(whole.Planned, manifests.Sum(m => m.PlannedInvocations));
        var json = File.ReadAllText(Path.Combine(shards[2], RunManifest.FileName));
        Assert.Contains("\"shard\": \"3/4\"", json, StringComparison.Ordinal);
        Assert.Matches("\"plan_id\": \"[0-9a-f]{16}\"", json);
        // Each shard paced swift-mini to a quarter of its 600 RPM.
        Assert.All(Read([.. shards]).Where(r => r.ModelId == "sim/swift-mini"), r => Assert.Equal(150, r.TargetRpm));
        Assert.All(Read(whole.Directory.Path).Where(r => r.ModelId == "sim/swift-mini"), r => Assert.Equal(600, r.TargetRpm));

        var destination = Path.Combine(_work.Path, "merged");
        var merged = new RunMerge(shards.AsEnumerable().Reverse().ToList(), destination).Run();
        Assert.Equal(RunStatus.Completed, merged.Status);
        Assert.Empty(merged.Warnings);

        var wholeKeys = Read(whole.Directory.Path).Select(r => r.Key).Order(StringComparer.Ordinal).ToList();
        var mergedResults = Read(destination);
        Assert.Equal(wholeKeys, mergedResults.Select(r => r.Key).Order(StringComparer.Ordinal));
        Assert.Equal(wholeKeys.Count, File.ReadLines(Path.Combine(destination, InvocationCsv.FileName)).Count() - 1);
        foreach (var file in new[] { "journal.jsonl", "invocations.csv", "unprocessed.json", "summary.json", "report.html", "run.json", "inputs/scenarios.jsonl", "inputs/models.jsonl", "inputs/judges.jsonl" })
        {
            Assert.True(File.Exists(Path.Combine(destination, file)), file);
        }

        var info = RunCatalog.Read(destination);
        Assert.Equal((RunStatus.Completed, wholeKeys.Count, wholeKeys.Count, (string?)null), (info.Status, info.Done, info.Total, info.Shard));
        Assert.Equal(manifests[0].PlanId, info.PlanId);
        var manifest = RunManifest.Load(destination);
        Assert.Equal(["1/4", "2/4", "3/4", "4/4"], manifest.MergedShards!.Select(s => s.Shard.ToString()));
        Assert.Null(manifest.Settings.Shard);

        // Resuming the merged run finds nothing left to do: its plan is the whole plan, and every key is in its journal.
        var resumed = Benchmark.Resume(destination, Path.Combine(_work.Path, "outputs"), _work.Path);
        Assert.Equal(resumed.Plan.Items.Count, resumed.AlreadyFinished);
        Assert.Equal(manifests[0].PlanId, resumed.PlanId);
    }

    [Fact]
    public async Task The_shards_read_together_in_any_order_give_the_same_figures_as_their_merge()
    {
        var shards = await RunShardsAsync(4);
        var destination = Path.Combine(_work.Path, "merged");
        new RunMerge(shards, destination).Run();
        var merged = Read(destination);

        var expected = Figures(merged);
        var random = new Random(7);
        for (int round = 0; round < 5; round++)
        {
            var order = shards.OrderBy(_ => random.Next()).ToArray();
            Assert.Equal(expected, Figures(Read(order)));
            Assert.Equal(expected, Figures(merged.OrderBy(_ => random.Next()).ToList()));
        }

        var fixedOptions = new ReportOptions { Title = "t", GeneratedAt = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero) };
        string Page(IEnumerable<InvocationResult> results)
        {
            var builder = new ReportBuilder();
            builder.AddRange(results);
            return NonceOrId().Replace(builder.Render(fixedOptions), "#");
        }

        Assert.Equal(Page(merged), Page(Read([.. shards.AsEnumerable().Reverse()])));
        Assert.Equal(Page(merged), Page(merged.OrderBy(_ => random.Next())));
    }

    [Fact]
    public async Task Answers_pair_up_alike_over_the_plan_run_whole_its_shards_and_their_merge()
    {
        var whole = await RunAsync(Options("whole"));
        var shards = await RunShardsAsync(4);
        var destination = Path.Combine(_work.Path, "merged");
        new RunMerge(shards, destination).Run();
        var plan = RunManifest.Load(whole.Directory.Path).PlanId;
        Assert.NotNull(plan);

        // Every result names the plan, in the journal and in invocations.csv, whichever machine ran it.
        Assert.All(Read(whole.Directory.Path), r => Assert.Equal(plan, r.PlanId));
        Assert.All(shards.SelectMany(s => ResultFiles.Read(Path.Combine(s, InvocationCsv.FileName), out _)), r => Assert.Equal(plan, r.PlanId));
        Assert.All(Read(destination), r => Assert.Equal(plan, r.PlanId));

        // 6 scenarios × 2 invocations × 1 experiment: 12 items both models answered, however the plan ran. The simulator
        // answers and judges by work item, so the comparisons are the same to the last digit.
        var expected = Comparisons(Read(whole.Directory.Path));
        Assert.Equal(12, Assert.Single(expected, c => c.Metric == JuryStatistic.PassedMetric).Items);
        Assert.Equal(Figures(expected), Figures(Comparisons(Read([.. shards]))));
        Assert.Equal(Figures(expected), Figures(Comparisons(Read(destination))));
    }

    [Fact]
    public async Task A_run_whose_results_name_no_plan_is_resumed_without_one_so_its_answers_still_pair()
    {
        var run = await RunAsync(Options("older"));
        // As a version before results named their plan left it: cancelled half way, no result naming the plan.
        var journal = run.Directory.Journal;
        var kept = File.ReadLines(journal).Take(run.Planned / 2).Select(line =>
        {
            var result = System.Text.Json.Nodes.JsonNode.Parse(line)!.AsObject();
            Assert.True(result.Remove(nameof(InvocationResult.PlanId)));
            return result.ToJsonString();
        }).ToList();
        File.WriteAllLines(journal, kept);
        var manifest = RunManifest.Load(run.Directory.Path);
        manifest.Status = RunStatus.Cancelled;
        manifest.Finished = kept.Count;
        manifest.Save(run.Directory.Path, DateTimeOffset.UtcNow);

        var resumed = Benchmark.Resume(run.Directory.Path, _work.Path, _work.Path);
        Assert.Equal(manifest.PlanId, resumed.PlanId);
        Assert.Null(resumed.ResultsPlanId);
        var outcome = await resumed.RunAsync(Channel.CreateUnbounded<RunEvent>().Writer, CancellationToken.None);
        Assert.Equal(RunStatus.Completed, outcome.Status);

        var results = Read(run.Directory.Path);
        Assert.Equal(run.Planned, results.Count);
        Assert.All(results, r => Assert.Null(r.PlanId));
        Assert.Equal(12, Assert.Single(Comparisons(results), c => c.Metric == JuryStatistic.PassedMetric).Items);
    }

    /// <summary>The two models compared, as Compare-Eval360Model compares them.</summary>
    private static IReadOnlyList<ModelComparison> Comparisons(IReadOnlyList<InvocationResult> results)
    {
        var statistics = new ResultStatistics();
        statistics.AddRange(results);
        var models = statistics.JudgedModels();
        Assert.Equal(2, models.Count);
        return statistics.Compare(models[0], models[1]);
    }

    private static string Figures(IReadOnlyList<ModelComparison> comparisons) =>
        JsonSerializer.Serialize(comparisons, new JsonSerializerOptions { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals });

    /// <summary>Every figure the summaries, the judges and the agreement give, as text to the last bit.</summary>
    private static string Figures(IReadOnlyList<InvocationResult> results)
    {
        var statistics = new ResultStatistics();
        statistics.AddRange(results);
        var judges = statistics.Judges.Values.OrderBy(j => j.JudgeModelId, StringComparer.Ordinal)
            .Select(j => new { j.JudgeModelId, j.Verdicts, j.MeanScore, j.PassRate, j.Agreement, j.MeanLatency, j.Cost });
        return JsonSerializer.Serialize(new { Summaries = statistics.Summaries(), Judges = judges, Agreement = statistics.Agreement() }, new JsonSerializerOptions { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals });
    }

    /// <summary>The page's random nonce and the element ids numbered from it, the only parts that differ between renders.</summary>
    [GeneratedRegex("nonce-[A-Za-z0-9+/=]+|nonce=\"[^\"]*\"")]
    private static partial Regex NonceOrId();

    [Fact]
    public async Task A_missing_shard_a_repeated_one_and_another_plan_are_refused()
    {
        var shards = await RunShardsAsync(3);
        var other = await RunAsync(Options("other", new PlanShard(2, 3), invocations: 3));
        string Destination() => Path.Combine(_work.Path, "merged-" + Guid.NewGuid().ToString("N"));

        var missing = Assert.Throws<RunMergeException>(() => new RunMerge([shards[0], shards[2]], Destination()).Run());
        Assert.Equal(MergeRefusal.ShardMissing, missing.Refusal);
        Assert.Contains("Shard 2/3 of plan", missing.Message, StringComparison.Ordinal);
        Assert.Contains("-Shard 2/3", missing.Message, StringComparison.Ordinal);

        var repeated = Assert.Throws<RunMergeException>(() => new RunMerge([shards[0], shards[1], shards[1], shards[2]], Destination()).Run());
        Assert.Equal(MergeRefusal.ShardRepeated, repeated.Refusal);

        var mixed = Assert.Throws<RunMergeException>(() => new RunMerge([shards[0], other.Directory.Path, shards[2]], Destination()).Run());
        Assert.Equal(MergeRefusal.DifferentPlans, mixed.Refusal);
        Assert.Contains(other.Directory.Path, mixed.Message, StringComparison.Ordinal);

        var whole = await RunAsync(Options("whole"));
        var notShard = Assert.Throws<RunMergeException>(() => new RunMerge([whole.Directory.Path], Destination()).Run());
        Assert.Equal(MergeRefusal.NotAShard, notShard.Refusal);

        var taken = Directory.CreateDirectory(Destination()).FullName;
        File.WriteAllText(Path.Combine(taken, "keep.txt"), "mine");
        var occupied = Assert.Throws<RunMergeException>(() => new RunMerge(shards, taken).Run());
        Assert.Equal(MergeRefusal.DestinationNotEmpty, occupied.Refusal);
        Assert.Equal(["keep.txt"], Directory.GetFiles(taken).Select(Path.GetFileName));

        // Nothing is left behind by a refused merge.
        Assert.Equal(Directory.GetDirectories(_work.Path).Order(), new[] { Path.Combine(_work.Path, "outputs"), taken }.Order());
    }

    [Fact]
    public async Task A_work_item_twice_or_in_the_wrong_shard_is_refused()
    {
        var shards = await RunShardsAsync(2);
        var journal1 = Path.Combine(shards[0], RunJournal.FileName);
        var journal2 = Path.Combine(shards[1], RunJournal.FileName);
        var firstLine = File.ReadLines(journal1).First();

        File.AppendAllText(journal1, firstLine + "\n");
        var twice = Assert.Throws<RunMergeException>(() => new RunMerge(shards, Path.Combine(_work.Path, "m1")).Run());
        Assert.Equal(MergeRefusal.DuplicateKey, twice.Refusal);
        Assert.Contains("twice in the journal of shard 1/2", twice.Message, StringComparison.Ordinal);

        File.WriteAllLines(journal1, File.ReadLines(journal1).SkipLast(1).ToList());
        File.AppendAllText(journal2, firstLine + "\n");
        var wrong = Assert.Throws<RunMergeException>(() => new RunMerge(shards, Path.Combine(_work.Path, "m2")).Run());
        Assert.Equal(MergeRefusal.KeyOutsideShard, wrong.Refusal);
        Assert.Contains("which belongs to shard 1/2", wrong.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_work.Path, "m2")));
    }

    [Fact]
    public async Task An_unfinished_shard_makes_an_unfinished_merge_that_resume_can_finish()
    {
        var shards = await RunShardsAsync(2);
        var manifest = RunManifest.Load(shards[1]);
        var journal = Path.Combine(shards[1], RunJournal.FileName);
        var kept = File.ReadLines(journal).Take(3).ToList();
        File.WriteAllLines(journal, kept);
        manifest.Status = RunStatus.Cancelled;
        manifest.Finished = kept.Count;
        manifest.Save(shards[1], DateTimeOffset.UtcNow);

        var destination = Path.Combine(_work.Path, "merged");
        var merged = new RunMerge(shards, destination).Run();
        Assert.Equal(RunStatus.Cancelled, merged.Status);
        Assert.Contains(merged.Warnings, w => w.Contains("shard 2/2", StringComparison.Ordinal) && w.Contains("-Resume", StringComparison.Ordinal));

        var resumed = Benchmark.Resume(destination, _work.Path, _work.Path);
        var outcome = await resumed.RunAsync(Channel.CreateUnbounded<RunEvent>().Writer, CancellationToken.None);
        Assert.Equal(RunStatus.Completed, outcome.Status);
        Assert.Equal(resumed.Plan.Items.Count, Read(destination).Select(r => r.Key).Distinct().Count());
        // What the resume made names the plan, as the shards' results do.
        Assert.All(Read(destination), r => Assert.Equal(manifest.PlanId, r.PlanId));
    }

    public void Dispose() => _work.Dispose();
}
