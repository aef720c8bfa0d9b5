using System.Text.RegularExpressions;
using Eval360.Results;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Eval360.Dashboard.Tests;

/// <summary>
/// The seed's dashboard workflow, in a real browser against the built dashboard: upload a CSV, map its columns, define
/// two tasks, pick simulated models and judges, save; set up a second evaluation; queue both and watch them complete
/// live (no reload); meanwhile a run started from PowerShell appears in the list; open a report; load a configuration
/// into a new evaluation; delete one. Screenshots of every tab at 1280×800 and 390×844 go to artifacts/dashboard/.
/// </summary>
[Collection(nameof(DashboardProcesses))]
public sealed class DashboardEndToEndTests
{
    /// <summary>A CSV in the seed workflow example's shape, with cells that are HTML and script (they must show as text).</summary>
    private const string Csv =
        "customer_query,expected_response_type,notes\n" +
        "\"How do I return a product?\",\"Provide clear return policy steps with timeframe and conditions\",plain\n" +
        "\"What are your business hours?\",\"State specific hours, timezone and any holiday exceptions <script>alert('golden')</script>\",\"<img src=x onerror=alert('csv')>\"\n" +
        "\"I'm having trouble with my order\",\"Show empathy, acknowledge the issue, and offer specific troubleshooting steps\",plain\n" +
        "\"Can I change my shipping address?\",\"Explain the window for changes and provide clear instructions\",plain\n";

    [Fact]
    public async Task The_seed_workflow_runs_live_in_a_browser()
    {
        using var work = new WorkFolder().WithSimulator();
        var csv = work.File("support.csv", Csv);
        await using var dashboard = await DashboardUnderTest.StartAsync(work);
        await using var browser = await BrowserSession.OpenAsync();
        await browser.OnFailureAsync("workflow", Path.Combine(work.Data, "dashboard.log"), () => WorkflowAsync(work, csv, dashboard, browser));
    }

    private static async Task WorkflowAsync(WorkFolder work, string csv, DashboardUnderTest dashboard, BrowserSession browser)
    {
        var page = browser.Page;
        await page.GotoAsync(dashboard.Info.Url);
        Assert.DoesNotContain("token=", page.Url, StringComparison.Ordinal);

        // Evaluation A: upload, map columns, two tasks, models and judges, settings, save.
        var setup = new SetupPage(page, dashboard.Origin);
        await setup.OpenAsync();
        await setup.NameAsync("Support-A");
        await setup.UploadAsync(csv, rows: 4);
        await Expect(page.Locator("table.preview")).ToContainTextAsync("<img src=x onerror=alert('csv')>");
        await setup.MapColumnsAsync("customer_query", "expected_response_type");
        await setup.TaskAsync(0, "Accuracy", "Provide factually correct information based on company policies", "0.2");
        await setup.AddTaskAsync(2);
        await setup.TaskAsync(1, "Helpfulness", "Be helpful, clear, and customer-friendly", "0.5", "professional tone, empathetic language");
        await setup.PickAsync("model", "sim/balanced-pro");
        await setup.PickAsync("model", "sim/scholar-ultra");
        await setup.PickAsync("judge", "sim/judge-fair");
        await setup.PickAsync("judge", "sim/judge-lenient");
        await setup.SettingAsync("InvocationsPerScenario", "1");
        await setup.SettingAsync("ExperimentCount", "1");
        await setup.SettingAsync("SleepBetweenInvocations", "0.2");
        await setup.SettingAsync("ParallelCalls", "2");
        await browser.ScreenshotAsync("setup-1280");
        await setup.SaveAsync("Support-A");

        // Evaluation B: one task, one model, latency and quality.
        await setup.OpenAsync();
        await Expect(page.Locator("input[name='Form.Name']")).ToHaveValueAsync(string.Empty);
        await setup.NameAsync("Support-B");
        await setup.UploadAsync(csv, rows: 4);
        await setup.TaskAsync(0, "Brand Voice", "Professional, on-brand answers", "0.4", "brand consistency");
        await setup.PickAsync("model", "sim/swift-mini");
        await setup.PickAsync("judge", "sim/judge-strict");
        await setup.SettingAsync("InvocationsPerScenario", "2");
        await setup.SettingAsync("ExperimentCount", "1");
        await setup.SettingAsync("SleepBetweenInvocations", "0.2");
        await setup.SettingAsync("ParallelCalls", "1");
        await setup.SaveAsync("Support-B");

        // Queue both; from here the Monitor page is never reloaded.
        await page.Locator("table.queueable tr[data-name='Support-A'] input[type=checkbox]").CheckAsync();
        await page.Locator("table.queueable tr[data-name='Support-B'] input[type=checkbox]").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add to execution queue" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToContainTextAsync("Queued 2 evaluations");
        await Expect(page.Locator("#live-monitor[data-connected='true']")).ToHaveCountAsync(1);
        int navigations = browser.Navigations;

        await Expect(page.Locator("#running .run")).ToBeVisibleAsync();
        await Expect(page.Locator("#running .run-title")).ToContainTextAsync("Support-");
        await Expect(page.Locator("#running table.models tbody tr")).Not.ToHaveCountAsync(0);
        await browser.ScreenshotAsync("monitor-running-1280");

        // Meanwhile, a run from PowerShell into the same outputs folder: it appears in an Evaluations tab that is
        // already open, without a reload.
        var evaluationsTab = await browser.Context.NewPageAsync();
        await evaluationsTab.GotoAsync(dashboard.Origin + "/Evaluations");
        await Expect(evaluationsTab.Locator("#live-evaluations[data-connected='true']")).ToHaveCountAsync(1);
        int tabNavigations = 0;
        evaluationsTab.FrameNavigated += (_, frame) => tabNavigations += frame == evaluationsTab.MainFrame ? 1 : 0;
        var quickstart = Repository.PathOf("runs/quickstart.jsonl");
        var fromPowerShell = Task.Run(() =>
        {
            using var shell = new HostedPowerShell(work.Path);
            shell.Run($"Invoke-Eval360Benchmark '{quickstart}' -ModelProfile ./config/models.jsonl -JudgeProfile ./config/judges.jsonl -OutputDirectory ./outputs " +
                "-ExperimentName ps-run -InvocationsPerScenario 1 -ExperimentCount 1 -SleepBetweenInvocations 0 -ParallelCalls 4 | Out-Null");
        });

        await Expect(page.Locator("#recent tr[data-name='Support-A'] .badge")).ToHaveTextAsync("Completed", new() { Timeout = 240_000 });
        await Expect(page.Locator("#recent tr[data-name='Support-B'] .badge")).ToHaveTextAsync("Completed", new() { Timeout = 240_000 });
        await Expect(page.Locator("#running .idle")).ToBeVisibleAsync();
        Assert.Equal(navigations, browser.Navigations);
        await browser.ScreenshotAsync("monitor-done-1280");
        await fromPowerShell;
        await Expect(evaluationsTab.Locator("#live-evaluations tr[data-name='ps-run'] .badge")).ToHaveTextAsync("Completed");
        await Expect(evaluationsTab.Locator("#live-evaluations tr[data-name='Support-B'] .badge")).ToHaveTextAsync("Completed");
        Assert.Equal(0, tabNavigations);
        await evaluationsTab.CloseAsync();

        // The Evaluations tab lists the dashboard's evaluations and the PowerShell run, with the seed's columns.
        await page.GotoAsync(dashboard.Origin + "/Evaluations");
        var list = page.Locator("#live-evaluations");
        await Expect(list.Locator("tr[data-name='ps-run']")).ToContainTextAsync("PowerShell");
        await Expect(list.Locator("tr[data-name='Support-A']")).ToContainTextAsync("Accuracy, Helpfulness");
        await Expect(list.Locator("tr[data-name='Support-A']")).ToContainTextAsync("support.csv");
        await Expect(list.Locator("tr[data-name='Support-A']")).ToContainTextAsync("0.2, 0.5");
        await Expect(list.Locator("tr[data-name='Support-A']")).ToContainTextAsync("professional tone, empathetic language");
        await Expect(list.Locator("tr[data-name='Support-A'] .badge")).ToHaveTextAsync("Completed");
        await browser.ScreenshotAsync("evaluations-1280");
        await page.GotoAsync(dashboard.Origin + "/Evaluations?filter=Failed");
        await Expect(page.Locator("#live-evaluations")).ToContainTextAsync("No evaluations match this filter");
        await page.GotoAsync(dashboard.Origin + "/Evaluations?filter=Successful");
        await Expect(page.Locator("#live-evaluations tr[data-name='Support-B']")).ToHaveCountAsync(1);

        // Details: models and judges as tables, results, request rates, answers (the hostile golden answer echoed by
        // the simulator shows as text), history.
        await page.Locator("#live-evaluations tr[data-name='Support-A'] a").First.ClickAsync();
        await Expect(page.Locator("h1")).ToContainTextAsync("Support-A");
        await Expect(page.Locator("table.profiles").First).ToContainTextAsync("sim/scholar-ultra");
        await Expect(page.Locator("table.profiles").Nth(1)).ToContainTextAsync("sim/judge-lenient");
        await Expect(page.Locator("table.rpm")).ToContainTextAsync("sim/balanced-pro");
        await Expect(page.Locator("#unprocessed")).ToBeVisibleAsync();
        await Expect(page.Locator("table.answers")).ToContainTextAsync("<script>alert('golden')</script>");
        await Expect(page.Locator("#history")).ToContainTextAsync("started run");
        await browser.ScreenshotAsync("details-1280");

        // Open the report: shown in the page, sandboxed.
        await page.GetByRole(AriaRole.Link, new() { Name = "View report" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Reports");
        var frame = page.Locator("iframe.report");
        await Expect(frame).ToHaveAttributeAsync("sandbox", "allow-scripts");
        await Expect(page.FrameLocator("iframe.report").Locator("h1")).ToHaveTextAsync("Eval360 report: Support-A");
        await browser.ScreenshotAsync("reports-1280");

        // Load config into a new evaluation.
        await page.GotoAsync(dashboard.Origin + "/Evaluations");
        await page.Locator("#live-evaluations tr[data-name='Support-A'] a").First.ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Load config" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Set up an evaluation");
        await Expect(page.Locator("input[name='Form.Name']")).ToHaveValueAsync("Support-A-copy");
        await Expect(page.Locator("input[name='Form.Tasks[1].TaskType']")).ToHaveValueAsync("Helpfulness");
        await Expect(page.Locator("table.picker[data-role='model'] tr:has(td:text-is('sim/scholar-ultra')) input")).ToBeCheckedAsync();
        await Expect(page.Locator(".data-file")).ToHaveTextAsync("support.csv");
        await Expect(page.Locator("input[name='Form.Settings[SleepBetweenInvocations]']")).ToHaveValueAsync("0.2");

        // Delete one, after confirming.
        await page.GotoAsync(dashboard.Origin + "/Evaluations");
        await page.Locator("#live-evaluations tr[data-name='Support-B'] a").First.ClickAsync();
        var runDirectory = await page.Locator("dl.overview code").TextContentAsync();
        Assert.True(Directory.Exists(runDirectory), runDirectory);
        await page.GetByRole(AriaRole.Link, new() { Name = "Delete…" }).ClickAsync();
        await Expect(page.Locator("h1")).ToContainTextAsync("Delete this evaluation?");
        await page.Locator("#confirm-delete").ClickAsync();
        await Expect(page.Locator(".flash").First).ToContainTextAsync("1 evaluation was deleted");
        await Expect(page.Locator("#live-evaluations tr[data-name='Support-B']")).ToHaveCountAsync(0);
        await Expect(page.Locator("#live-evaluations tr[data-name='Support-A']")).ToHaveCountAsync(1);
        Assert.False(Directory.Exists(runDirectory), $"{runDirectory} was not deleted");

        // Every run the dashboard made is an ordinary run directory.
        var runs = RunCatalog.List(work.Outputs).Runs;
        Assert.Contains(runs, r => r.ExperimentName == "Support-A" && r.Status == RunStatus.Completed && r.Done == 16 && r.Report is not null);
        Assert.Contains(runs, r => r.ExperimentName == "ps-run");
        Assert.Equal(16, ResultFiles.Read(runs.Single(r => r.ExperimentName == "Support-A").Directory, out _).Count);

        // Each tab at a desktop and a phone size.
        foreach (var (width, height) in new[] { (1280, 800), (390, 844) })
        {
            await page.SetViewportSizeAsync(width, height);
            foreach (var tab in new[] { "Setup", "Monitor", "Evaluations", "Reports" })
            {
                await page.GotoAsync($"{dashboard.Origin}/{tab}");
                await Expect(page.Locator("nav.tabs a[aria-current='page']")).ToHaveTextAsync(tab);
                await browser.AssertNoHorizontalOverflowAsync($"{tab} at {width}x{height}");
                await browser.ScreenshotAsync($"{tab.ToLowerInvariant()}-{width}x{height}", fullPage: false);
            }
        }

        Assert.True(browser.Problems.Count == 0, string.Join(Environment.NewLine, browser.Problems));
        Assert.Equal(0, await page.Locator("img[src='x']").CountAsync());
    }
}

/// <summary>Dashboard tests start processes and browsers: on a 2-core machine they run one at a time.</summary>
[CollectionDefinition(nameof(DashboardProcesses), DisableParallelization = true)]
public sealed class DashboardProcesses;
