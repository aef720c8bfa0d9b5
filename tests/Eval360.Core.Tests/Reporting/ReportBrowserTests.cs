using Microsoft.Playwright;
using Eval360.Reporting;

namespace Eval360.Tests.Reporting;

/// <summary>
/// The report in a real browser (a Chromium, Chrome or Edge driven by Playwright): it renders without a console error,
/// loads nothing, runs no script from the data, shows its charts, sorts its tables and switches theme.
/// </summary>
public sealed partial class ReportBrowserTests
{
    /// <summary>
    /// The browser executable, chosen (or provisioned) by <c>build.ps1 -Task Test</c> through
    /// <c>tools/TestBrowser.ps1</c>; set it yourself to run this test on its own.
    /// </summary>
    public const string BrowserVariable = "EVAL360_TEST_BROWSER";

    [Fact]
    public async Task The_report_renders_cleanly_and_its_controls_work_in_chromium()
    {
        var chromium = Environment.GetEnvironmentVariable(BrowserVariable);
        Assert.True(!string.IsNullOrEmpty(chromium) && File.Exists(chromium),
            $"{BrowserVariable} ('{chromium}') names no browser: run build.ps1 -Task Test, which finds or installs one, or set it to a Chromium, Chrome or Edge executable.");
        using var work = new TempDirectory();
        var hostile = "<script>alert('prompt')</script>\"><img src=x onerror=alert('img')>";
        var results = new SyntheticResults
        {
            Models = ["openai/fast-mini", "bedrock/" + hostile, "sim/swift-mini"],
            Regions = ["us-east-1", "eu-west-1"],
            Temperatures = [0.3, 0.7],
            UserMetrics = ["brand voice"],
            Prompt = hostile,
            Response = hostile,
            ErrorMessage = hostile,
        }.Generate(3000).Select(r =>
        {
            r.Simulated = r.ModelId.StartsWith("sim/", StringComparison.Ordinal);
            return r;
        });
        var file = ReportWriter.Write(results, Path.Combine(work.Path, "report.html"));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var problems = new List<string>();
        var requests = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                problems.Add($"console {message.Type}: {message.Text}");
            }
        };
        page.PageError += (_, error) => problems.Add("page error: " + error);
        page.Dialog += (_, dialog) =>
        {
            problems.Add("dialog: " + dialog.Message);
            _ = dialog.DismissAsync();
        };
        page.Request += (_, request) => requests.Add(request.Url);

        var url = new Uri(file.FullName).AbsoluteUri;
        await page.GotoAsync(url, new PageGotoOptions { WaitUntil = WaitUntilState.Load });

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Eval360 report: synthetic");
        await Assertions.Expect(page.Locator("#simulated")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#simulated")).ToContainTextAsync("PARTLY SIMULATED");
        foreach (var id in new[] { "ranking", "latency", "throughput", "cost", "quality", "jury", "reliability", "regions", "temperature" })
        {
            await Assertions.Expect(page.Locator($"section#{id} h2")).ToBeVisibleAsync();
        }

        // Every chart is laid out with a real size.
        var charts = page.Locator("svg.chart");
        int count = await charts.CountAsync();
        Assert.True(count >= 15, $"{count} charts");
        for (int i = 0; i < count; i++)
        {
            var box = await charts.Nth(i).BoundingBoxAsync();
            Assert.True(box is { Width: > 100, Height: > 20 }, $"chart {i} is not laid out");
        }

        // The hostile model id is text on the page, not an element.
        Assert.Equal(0, await page.Locator("img").CountAsync());
        await Assertions.Expect(page.Locator("#t-ranking")).ToContainTextAsync("bedrock/<script>");

        // The model names are the row headers; a click on a column sorts by its exact values, a second click reverses.
        var models = await page.Locator("#t-ranking tbody tr th").AllTextContentsAsync();
        Assert.Contains("openai/fast-mini · us-east-1", models);
        var header = page.Locator("#t-ranking thead th", new PageLocatorOptions { HasText = "TTFT p50" });
        var column = await header.EvaluateAsync<int>("th => th.cellIndex");
        async Task<List<double>> Column() =>
            [.. (await page.Locator($"#t-ranking tbody tr td:nth-child({column + 1})").EvaluateAllAsync<string[]>("cells => cells.map(c => c.dataset.sort)"))
                .Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture))];
        await header.Locator("button").ClickAsync();
        await Assertions.Expect(header).ToHaveAttributeAsync("aria-sort", "ascending");
        var ascending = await Column();
        Assert.Equal(ascending.Order(), ascending);
        await header.Locator("button").ClickAsync();
        await Assertions.Expect(header).ToHaveAttributeAsync("aria-sort", "descending");
        var descending = await Column();
        Assert.Equal(descending.OrderDescending(), descending);
        Assert.NotEqual(ascending, descending);

        // The theme switch changes the page's colours.
        var light = await page.EvaluateAsync<string>("getComputedStyle(document.body).backgroundColor");
        await page.Locator("#theme").ClickAsync();
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("data-theme", "dark");
        Assert.NotEqual(light, await page.EvaluateAsync<string>("getComputedStyle(document.body).backgroundColor"));

        // The data tables open.
        var details = page.Locator("section#latency details").First;
        await details.Locator("summary").ClickAsync();
        await Assertions.Expect(details.Locator("table")).ToBeVisibleAsync();

        Assert.Empty(problems);
        Assert.Equal([url], requests);
        Assert.Equal("Eval360 report: synthetic", await page.TitleAsync());
    }
}
