using Eval360.Configuration;
using Eval360.Results;
using Microsoft.Extensions.Time.Testing;

namespace Eval360.Tests.Results;

/// <summary>The run catalogue reads run.json files; it never fails on a folder that is not a run or cannot be read.</summary>
public sealed class RunCatalogTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2025, 3, 14, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private void Run(string folder, string json) => _temp.File(Path.Combine(folder, "run.json"), json);

    private static string Manifest(string id, string status, string created, string updated, int done = 3, int total = 8, string extra = "") => $$"""
        {
          "run_id": "{{id}}", "experiment_name": "nightly", "status": "{{status}}", "created_at": "{{created}}",
          "updated_at": "{{updated}}", "planned_invocations": {{total}}, "finished": {{done}}, "failed": 1,
          "spent_usd": 0.25, "models": ["sim/swift", "sim/scholar"], "judges": ["sim/judge"]{{extra}}
        }
        """;

    [Fact]
    public void Lists_runs_newest_first_and_skips_what_is_not_a_readable_run()
    {
        Run("nightly-aaaa1111", Manifest("aaaa1111", "completed", "2025-03-14T09:00:00Z", "2025-03-14T09:05:00Z", 8, 8, """, "ended_at": "2025-03-14T09:05:00Z" """));
        Run("nightly-bbbb2222", Manifest("bbbb2222", "running", "2025-03-14T11:59:00Z", "2025-03-14T11:59:59Z"));
        Run("nightly-cccc3333", Manifest("cccc3333", "running", "2025-03-14T10:00:00Z", "2025-03-14T10:01:00Z"));
        Run("nightly-dddd4444", Manifest("dddd4444", "budget_exhausted", "2025-03-14T08:00:00Z", "2025-03-14T08:10:00Z", extra: """, "ended_at": "2025-03-14T08:10:00Z" """));
        _temp.File("notes/readme.txt", "not a run");
        Run("broken-eeee5555", "{ \"run_id\": ");
        Run("other-tool", """{"name": "something else"}""");

        var listing = RunCatalog.List(_temp.Path, new FakeTimeProvider(Now));

        Assert.Equal(["bbbb2222", "cccc3333", "aaaa1111", "dddd4444"], listing.Runs.Select(r => r.RunId));
        var live = listing.Runs[0];
        Assert.Equal((RunStatus.Running, 3, 8, 1), (live.Status, live.Done, live.Total, live.Failed));
        Assert.Null(live.FinishedAt);
        Assert.Equal("sim/swift, sim/scholar", live.Models.ToString());
        Assert.Equal(["sim/judge"], live.Judges);
        Assert.Equal(Path.Combine(_temp.Path, "nightly-bbbb2222"), live.Directory);
        // Marked running but silent for two hours: its process is gone.
        Assert.Equal(RunStatus.Interrupted, listing.Runs[1].Status);
        Assert.True(listing.Runs[1].Resumable);
        Assert.Equal((RunStatus.Completed, new DateTimeOffset(2025, 3, 14, 9, 5, 0, TimeSpan.Zero)), (listing.Runs[2].Status, listing.Runs[2].FinishedAt));
        Assert.Equal(RunStatus.BudgetExhausted, listing.Runs[3].Status);

        Assert.Equal(3, listing.Skipped.Count);
        Assert.True(listing.Skipped.Single(s => s.Path.EndsWith("notes", StringComparison.Ordinal)).Foreign);
        Assert.Contains("cannot be read", listing.Skipped.Single(s => s.Path.EndsWith("broken-eeee5555", StringComparison.Ordinal)).Reason);
        Assert.Contains("not an Eval360 run manifest", listing.Skipped.Single(s => s.Path.EndsWith("other-tool", StringComparison.Ordinal)).Reason);
    }

    [Fact]
    public void A_run_directory_given_directly_lists_that_run()
    {
        Run("nightly-aaaa1111", Manifest("aaaa1111", "cancelled", "2025-03-14T09:00:00Z", "2025-03-14T09:05:00Z"));
        var listing = RunCatalog.List(Path.Combine(_temp.Path, "nightly-aaaa1111"), new FakeTimeProvider(Now));
        Assert.Equal(RunStatus.Cancelled, Assert.Single(listing.Runs).Status);
        Assert.Empty(listing.Skipped);
    }

    [Fact]
    public void A_live_run_is_interrupted_only_after_thirty_seconds_of_silence()
    {
        var updated = Now.AddSeconds(-30);
        Assert.Equal(RunStatus.Running, RunCatalog.EffectiveStatus(RunStatus.Running, updated, Now));
        Assert.Equal(RunStatus.Interrupted, RunCatalog.EffectiveStatus(RunStatus.Running, updated, Now.AddSeconds(1)));
        Assert.Equal(RunStatus.Completed, RunCatalog.EffectiveStatus(RunStatus.Completed, updated, Now.AddDays(1)));
    }

    [Fact]
    public void Models_of_older_run_files_come_from_the_input_snapshot()
    {
        Run("old-aaaa1111", """{"run_id": "aaaa1111", "experiment_name": "old", "status": "completed", "created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-01-01T00:00:00Z"}""");
        _temp.File("old-aaaa1111/inputs/models.jsonl", "{\"model_id\": \"openai/gpt-4o\", \"input_token_cost\": 1}\n{\"model_id\": \"sim/swift\"}\n");
        var run = Assert.Single(RunCatalog.List(_temp.Path, new FakeTimeProvider(Now)).Runs);
        Assert.Equal(["openai/gpt-4o", "sim/swift"], run.Models);
        Assert.Empty(run.Judges);
    }

    [Fact]
    public void Run_json_keeps_the_contract_names_and_reads_back_its_resumes()
    {
        var folder = Path.Combine(_temp.Path, "nightly-aaaa1111");
        Directory.CreateDirectory(folder);
        var manifest = new RunManifest
        {
            RunId = "aaaa1111",
            ExperimentName = "nightly",
            CreatedAt = Now.AddMinutes(-5),
            PlannedInvocations = 8,
            Finished = 3,
            Failed = 1,
            Resumes = [new RunResume(Now.AddMinutes(-1), [new SettingChange("ParallelCalls", "8", "2")])],
        };
        manifest.Save(folder, Now);

        using (var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "run.json"))))
        {
            var root = json.RootElement;
            Assert.Equal("running", root.GetProperty("status").GetString());
            Assert.Equal(3, root.GetProperty("done").GetInt32());
            Assert.Equal(8, root.GetProperty("total").GetInt32());
            Assert.Equal(1, root.GetProperty("failed").GetInt32());
            Assert.Equal(Now, root.GetProperty("updated_at").GetDateTimeOffset());
            Assert.Equal(3, root.GetProperty("finished").GetInt32());
            Assert.Equal(8, root.GetProperty("planned_invocations").GetInt32());
        }

        var read = RunManifest.Load(folder);
        var resume = Assert.Single(read.Resumes);
        Assert.Equal(Now.AddMinutes(-1), resume.At);
        Assert.Equal(new SettingChange("ParallelCalls", "8", "2"), Assert.Single(resume.Changed));
        Assert.Equal((3, 8), (read.Done, read.Total));
    }

    [Fact]
    public void A_missing_folder_is_an_error_naming_it()
    {
        var missing = Path.Combine(_temp.Path, "nope");
        var e = Assert.Throws<DirectoryNotFoundException>(() => RunCatalog.List(missing));
        Assert.Contains(missing, e.Message);
    }
}
