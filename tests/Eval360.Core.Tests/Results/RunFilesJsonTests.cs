using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Eval360.Configuration;
using Eval360.Results;

namespace Eval360.Tests.Results;

/// <summary>
/// run.json, unprocessed.json and summary.json are written with source-generated metadata (no reflection in a fresh
/// process); their text must be what the same options write by reflection, and what the contract names.
/// </summary>
public sealed class RunFilesJsonTests
{
    private static readonly JsonSerializerOptions ByReflection = new(ResultJson.Indented) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

    private static readonly DateTimeOffset At = new(2026, 12, 4, 10, 30, 0, TimeSpan.Zero);

    private static RunManifest Manifest() => new()
    {
        RunId = "20261204-103000-ab12",
        ExperimentName = "nightly",
        Status = RunStatus.Completed,
        CreatedAt = At,
        UpdatedAt = At.AddMinutes(3),
        EndedAt = At.AddMinutes(3),
        // A fixed name: the default is the time it is read at, which a serialization a second later would differ by.
        Settings = new BenchmarkOptions { ExperimentName = "nightly", Shard = new PlanShard(3, 8) },
        PlanId = "0123456789abcdef",
        MergedShards = [new MergedShard(new PlanShard(1, 2), "r1", "/runs/r1", RunStatus.Completed, 12)],
        SourceFiles = ["scenarios.jsonl"],
        Models = ["openai/gpt-4o"],
        Judges = ["sim/judge-strict"],
        PlannedInvocations = 24,
        Finished = 24,
        Failed = 1,
        SpentUsd = 0.125,
        ExcludedModels = [new ExcludedModel("bedrock/x", "us-east-1", "Candidate", "AccessDenied", "no access")],
        ServiceTierFallbacks = [new ServiceTierFallback("bedrock/y", "us-west-2", "Candidate", "flex", ServiceTierFallback.Dropped, "refused")],
        Resumes = [new RunResume(At.AddMinutes(1), [new SettingChange("parallel_calls", "4", "8")])],
        JuryId = "20261204-103000-ab12",
        Rejudged = [new RejudgedRun("r0", null, "/runs/r0")],
    };

    [Fact]
    public void Run_json_is_what_reflection_writes_and_names_the_contract_fields()
    {
        var generated = JsonSerializer.Serialize(Manifest(), ResultJson.Indented);
        Assert.Equal(JsonSerializer.Serialize(Manifest(), ByReflection), generated);
        Assert.Contains("\"status\": \"completed\"", generated);
        Assert.Contains("\"plan_id\": \"0123456789abcdef\"", generated);
        Assert.Contains("\"shard\": \"3/8\"", generated);
        Assert.Contains("\"done\": 24", generated);
        Assert.Contains("\"total\": 24", generated);
        Assert.DoesNotContain("\"stop_reason\"", generated);

        var read = JsonSerializer.Deserialize<RunManifest>(generated, ResultJson.Indented)!;
        Assert.Equal(JsonSerializer.Serialize(Manifest(), ByReflection), JsonSerializer.Serialize(read, ByReflection));
    }

    [Fact]
    public void Unprocessed_and_summary_json_are_what_reflection_writes()
    {
        List<UnprocessedRecord> records =
        [
            new("k1", 1, 2, "s1", "openai/gpt-4o", null, new UnprocessedScenario("Why?", "QA", "Correct", "Because", 0.7),
                "api_failure", "throttled", "429", 3, At, [new JudgeFailure("sim/judge", "no verdict")]),
        ];
        Assert.Equal(JsonSerializer.Serialize(records, ByReflection), JsonSerializer.Serialize(records, ResultJson.Indented));

        IReadOnlyList<ModelSummary> summaries =
        [
            new()
            {
                ModelId = "openai/gpt-4o", Provider = "openai", Rank = 1, CompositeScore = 81.5, PassRate = 0.75,
                MeanScores = new Dictionary<string, double> { ["Correctness"] = 4.25, ["Completeness"] = double.NaN },
                DominatedBy = NameList.From(["a/b", "c/d"]), Invocations = 4, Succeeded = 4, Judged = 4, Passed = 3,
            },
        ];
        var generated = JsonSerializer.Serialize(summaries, ResultJson.Indented);
        Assert.Equal(JsonSerializer.Serialize(summaries, ByReflection), generated);
        Assert.Contains("\"mean_scores\": {", generated);
        Assert.Contains("\"Completeness\": \"NaN\"", generated);
    }
}
