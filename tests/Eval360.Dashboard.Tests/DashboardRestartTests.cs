using System.Net.Http.Json;
using System.Text.Json;
using Eval360.FakeProviders;
using Eval360.Hosting;
using Eval360.Results;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Eval360.Dashboard.Tests;

/// <summary>
/// Nothing is lost when the dashboard's process dies: killed (SIGKILL) during a run, started again on the same data
/// folder, the evaluation shows interrupted, resumes, and completes; the fake provider (which counts every request)
/// sees no invocation that was already in the journal asked again. The provider's answers are hostile HTML: they
/// render as text.
/// </summary>
[Collection(nameof(DashboardProcesses))]
public sealed class DashboardRestartTests
{
    private const int Prompts = 12;
    private const int ParallelCalls = 2;
    private const string HostileAnswer = "<img src=x onerror=alert('model')><script>alert('model2')</script> answer";

    [Fact]
    public async Task A_killed_dashboard_resumes_its_evaluation_without_repeating_finished_work()
    {
        await using var fake = await FakeOpenAIServer.StartAsync();
        fake.Behaviors["slow-candidate"] = new ModelBehavior { FirstTokenDelay = TimeSpan.FromMilliseconds(400), Reply = HostileAnswer };
        fake.Behaviors["fake-judge"] = new ModelBehavior { JudgeDefaultScore = 4 };
        using var work = new WorkFolder();
        work.File("config/models.jsonl", $"{{\"model_id\": \"openai-compatible/slow-candidate\", \"region\": \"local\", \"endpoint\": \"{fake.BaseUrl}\", \"input_token_cost\": 0.001, \"output_token_cost\": 0.002}}\n");
        work.File("config/judges.jsonl", $"{{\"model_id\": \"openai-compatible/fake-judge\", \"region\": \"local\", \"endpoint\": \"{fake.BaseUrl}\", \"input_cost_per_1k\": 0.001, \"output_cost_per_1k\": 0.002}}\n");
        var csv = work.File("questions.csv", "question,answer\n" + string.Join("\n", Enumerable.Range(1, Prompts).Select(i => $"Q{i:00}: what is {i} squared?,{i * i}")) + "\n");

        var first = await DashboardUnderTest.StartAsync(work);
        var journal = string.Empty;
        HashSet<string> finishedAtKill;
        await using (first)
        {
            await using var browser = await BrowserSession.OpenAsync();
            await browser.OnFailureAsync("restart-before", Path.Combine(work.Data, "dashboard.log"), async () =>
            {
                var page = browser.Page;
                await page.GotoAsync(first.Info.Url);
                var setup = new SetupPage(page, first.Origin);
                await setup.OpenAsync();
                await setup.NameAsync("Squares");
                await setup.UploadAsync(csv, Prompts);
                await setup.TaskAsync(0, "Arithmetic", "The exact number", "0");
                await setup.PickAsync("model", "openai-compatible/slow-candidate");
                await setup.PickAsync("judge", "openai-compatible/fake-judge");
                await setup.SettingAsync("InvocationsPerScenario", "1");
                await setup.SettingAsync("ExperimentCount", "1");
                await setup.SettingAsync("SleepBetweenInvocations", "0");
                await setup.SettingAsync("ParallelCalls", ParallelCalls.ToString(System.Globalization.CultureInfo.InvariantCulture));
                await setup.SaveAsync("Squares");
                await page.Locator("table.queueable tr[data-name='Squares'] input[type=checkbox]").CheckAsync();
                await page.GetByRole(AriaRole.Button, new() { Name = "Add to execution queue" }).ClickAsync();
                await Expect(page.Locator("#running .run-title")).ToContainTextAsync("Squares");
            });

            // Kill it once some, but not all, invocations are on disk.
            var deadline = DateTime.UtcNow.AddMinutes(3);
            while (true)
            {
                journal = Directory.EnumerateFiles(work.Outputs, "journal.jsonl", SearchOption.AllDirectories).FirstOrDefault() ?? string.Empty;
                if (journal.Length > 0 && ResultFiles.Read(Path.GetDirectoryName(journal)!, out _).Count >= 3)
                {
                    break;
                }

                Assert.True(DateTime.UtcNow < deadline, "no three invocations were finished within 3 minutes");
                await Task.Delay(50);
            }

            first.Kill();
            finishedAtKill = ResultFiles.Read(Path.GetDirectoryName(journal)!, out _).Select(r => r.Prompt).ToHashSet(StringComparer.Ordinal);
            Assert.InRange(finishedAtKill.Count, 3, Prompts - 1);
        }

        // Started again on the same data folder: the evaluation was interrupted, and resumes to completion.
        await using var second = await DashboardUnderTest.StartAsync(work);
        using var api = second.Client();
        var deadlineAfter = DateTime.UtcNow.AddMinutes(4);
        while (true)
        {
            var rows = await api.GetFromJsonAsync<JsonElement>("/api/evaluations");
            var squares = rows.EnumerateArray().Single(r => r.GetProperty("name").GetString() == "Squares");
            if (squares.GetProperty("state").GetString() == "Completed")
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadlineAfter, $"Squares did not complete after the restart: {squares}");
            await Task.Delay(200);
        }

        var results = ResultFiles.Read(Path.GetDirectoryName(journal)!, out _);
        Assert.Equal(Prompts, results.Count);
        Assert.Equal(Prompts, results.Select(r => r.Key).Distinct(StringComparer.Ordinal).Count());

        // The fake saw each invocation finished before the kill exactly once; the rest at least once, and at most the
        // ones in flight at the kill twice.
        var candidateCalls = fake.Requests
            .Where(r => r.Model == "slow-candidate" && r.BodyJson is { } body && body.Contains("squared", StringComparison.Ordinal))
            .GroupBy(r => PromptOf(r.BodyJson!))
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        Assert.Equal(Prompts, candidateCalls.Count);
        foreach (var prompt in finishedAtKill)
        {
            Assert.True(candidateCalls[prompt] == 1, $"'{prompt}' was finished before the kill but asked {candidateCalls[prompt]} times");
        }

        Assert.InRange(candidateCalls.Values.Sum(), Prompts, Prompts + ParallelCalls);

        await using var browserAfter = await BrowserSession.OpenAsync();
        await browserAfter.OnFailureAsync("restart-after", Path.Combine(work.Data, "dashboard.log"), async () =>
        {
            var page = browserAfter.Page;
            await page.GotoAsync(second.Info.Url);
            await page.GotoAsync(second.Origin + "/Evaluations");
            await page.Locator("#live-evaluations tr[data-name='Squares'] a").First.ClickAsync();
            var history = page.Locator("#history");
            await Expect(history.Locator("li.event-interrupted")).ToContainTextAsync("interrupted: the dashboard stopped during the run");
            await Expect(history.Locator("li.event-resumed")).ToContainTextAsync($"{finishedAtKill.Count} of {Prompts} invocations were already on disk");
            await Expect(page.Locator("h1 .badge")).ToHaveTextAsync("Completed");

            // The provider's hostile answer is shown as text, and ran nowhere.
            await Expect(page.Locator("table.answers td.response").First).ToContainTextAsync("<img src=x onerror=alert('model')><script>alert('model2')</script>");
            Assert.Equal(0, await page.Locator("table.answers img").CountAsync());
            await browserAfter.ScreenshotAsync("details-after-restart-1280");
        });
        Assert.True(browserAfter.Problems.Count == 0, string.Join(Environment.NewLine, browserAfter.Problems));
    }

    [Fact]
    public async Task A_dashboard_asked_to_stop_ends_its_run_cleanly_and_resumes_it_at_the_next_start()
    {
        using var work = new WorkFolder().WithSimulator();
        var csv = work.File("questions.csv", "prompt,golden_answer\n" + string.Join("\n", Enumerable.Range(1, 8).Select(i => $"What is {i} squared?,{i * i}")) + "\n");
        var first = await DashboardUnderTest.StartAsync(work);
        await using (first)
        {
            await using var browser = await BrowserSession.OpenAsync();
            await browser.OnFailureAsync("stop-before", Path.Combine(work.Data, "dashboard.log"), async () =>
            {
                var page = browser.Page;
                await page.GotoAsync(first.Info.Url);
                var setup = new SetupPage(page, first.Origin);
                await setup.OpenAsync();
                await setup.NameAsync("Stopped");
                await setup.UploadAsync(csv, 8);
                await setup.TaskAsync(0, "Arithmetic", "The exact number", "0");
                await setup.PickAsync("model", "sim/scholar-ultra");
                await setup.PickAsync("judge", "sim/judge-fair");
                await setup.SettingAsync("InvocationsPerScenario", "2");
                await setup.SettingAsync("ExperimentCount", "1");
                await setup.SettingAsync("SleepBetweenInvocations", "0.5");
                await setup.SettingAsync("ParallelCalls", "1");
                await setup.SaveAsync("Stopped");
                await page.Locator("table.queueable tr[data-name='Stopped'] input[type=checkbox]").CheckAsync();
                await page.GetByRole(AriaRole.Button, new() { Name = "Add to execution queue" }).ClickAsync();
                await Expect(page.Locator("#running .done")).Not.ToHaveTextAsync("0 / 16");
            });

            // What Stop-Eval360Dashboard does: the API with the token as a bearer header, then wait for the process.
            Assert.True(await DashboardLauncher.StopAsync(first.Info, TimeSpan.FromSeconds(60), CancellationToken.None), "the dashboard did not stop by itself");
            Assert.Equal(0, first.Process.ExitCode);
        }

        Assert.False(File.Exists(Path.Combine(work.Data, "dashboard.json")));
        var run = Assert.Single(Eval360.Results.RunCatalog.List(work.Outputs).Runs);
        Assert.Equal(RunStatus.Cancelled, run.Status);
        Assert.InRange(run.Done, 1, 15);

        await using var second = await DashboardUnderTest.StartAsync(work);
        using var api = second.Client();
        var deadline = DateTime.UtcNow.AddMinutes(4);
        while (Eval360.Results.RunCatalog.Read(run.Directory).Status != RunStatus.Completed)
        {
            Assert.True(DateTime.UtcNow < deadline, "the stopped evaluation did not resume to completion");
            await Task.Delay(200);
        }

        var rows = await api.GetFromJsonAsync<JsonElement>("/api/evaluations");
        Assert.Equal("Completed", rows.EnumerateArray().Single(r => r.GetProperty("name").GetString() == "Stopped").GetProperty("state").GetString());
        Assert.Equal(16, ResultFiles.Read(run.Directory, out _).Select(r => r.Key).Distinct(StringComparer.Ordinal).Count());
        var manifest = await File.ReadAllTextAsync(Path.Combine(run.Directory, "run.json"));
        Assert.Contains("\"resumes\"", manifest, StringComparison.Ordinal);
    }

    /// <summary>The user message of a chat completions request body.</summary>
    private static string PromptOf(string body)
    {
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("messages").EnumerateArray()
            .Where(m => m.GetProperty("role").GetString() == "user")
            .Select(m => m.GetProperty("content") is { ValueKind: JsonValueKind.String } text ? text.GetString()! : m.GetProperty("content")[0].GetProperty("text").GetString()!)
            .Last();
    }
}
