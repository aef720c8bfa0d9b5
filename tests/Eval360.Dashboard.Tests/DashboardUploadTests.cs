using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Eval360.Dashboard.Tests;

/// <summary>
/// Uploads are read by the engine's CSV reader: a broken file is reported line by line, and saving names the line and
/// column of every scenario the rules refuse; an upload over the size limit is refused; stored files get generated
/// names under the data folder, whatever the upload was called.
/// </summary>
[Collection(nameof(DashboardProcesses))]
public sealed class DashboardUploadTests
{
    [Fact]
    public async Task A_broken_CSV_is_reported_by_line_and_an_oversized_one_is_refused()
    {
        using var work = new WorkFolder().WithSimulator();
        var broken = work.File("broken <img src=x onerror=alert(1)>.csv",
            "prompt,golden_answer,notes\n" +
            "\"What is 2+2?\",4,ok\n" +
            "\"Missing a cell\",4\n" +
            "\"\",empty prompt,ok\n" +
            "\"Unclosed quote,4,ok\n");
        var big = work.File("big.csv", "prompt,golden_answer\n" + string.Concat(Enumerable.Repeat("\"" + new string('x', 1000) + "\",y\n", 1100)));
        await using var dashboard = await DashboardUnderTest.StartAsync(work, more: ["--max-upload-mb", "1"]);
        await using var browser = await BrowserSession.OpenAsync();
        var page = browser.Page;
        await browser.OnFailureAsync("upload", Path.Combine(work.Data, "dashboard.log"), async () =>
        {
            await page.GotoAsync(dashboard.Info.Url);
            var setup = new SetupPage(page, dashboard.Origin);
            await setup.OpenAsync();
            await setup.NameAsync("Broken");
            await page.Locator("input[name='DataFile']").SetInputFilesAsync(broken);
            await page.GetByRole(AriaRole.Button, new() { Name = "Upload", Exact = true }).ClickAsync();
            await Expect(page.Locator(".flash")).ToContainTextAsync("has problems");
            await Expect(page.Locator(".data-file")).ToHaveTextAsync("broken <img src=x onerror=alert(1)>.csv");
            await Expect(page.Locator("ul.csv-problems")).ToContainTextAsync("Line 3: has 2 cells but the header has 3 columns");
            await Expect(page.Locator("ul.csv-problems")).ToContainTextAsync("Line 5:");

            await setup.TaskAsync(0, "QA", "Correct", "7");
            await setup.PickAsync("model", "sim/swift-mini");
            await setup.PickAsync("judge", "sim/judge-fair");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save configuration" }).ClickAsync();
            var problems = page.Locator("#problems");
            await Expect(problems).ToContainTextAsync("Not saved");
            await Expect(problems).ToContainTextAsync("broken <img src=x onerror=alert(1)>.csv line 3: has 2 cells but the header has 3 columns");
            await Expect(problems).ToContainTextAsync("broken <img src=x onerror=alert(1)>.csv line 4, column prompt: must not be empty");
            await Expect(problems).ToContainTextAsync("Task 1: temperature: is '7', must be a number between 0 and 2");
            await browser.ScreenshotAsync("setup-problems-1280");

            await page.Locator("input[name='DataFile']").SetInputFilesAsync(big);
            await page.GetByRole(AriaRole.Button, new() { Name = "Upload", Exact = true }).ClickAsync();
            await Expect(page.Locator(".flash-problem")).ToContainTextAsync("uploads are limited to 1 MiB");
            await Expect(page.Locator(".data-file")).ToHaveTextAsync("broken <img src=x onerror=alert(1)>.csv");
        });

        Assert.Equal(0, await page.Locator("img").CountAsync());
        var stored = Directory.GetFiles(Path.Combine(work.Data, "uploads"));
        var file = Assert.Single(stored);
        Assert.Matches("^[0-9a-f]{32}\\.csv$", Path.GetFileName(file));
        Assert.True(browser.Problems.Count == 0, string.Join(Environment.NewLine, browser.Problems));
    }
}
