using Microsoft.Playwright;
using Eval360.Reporting;
using Eval360.Tests.Statistics;

namespace Eval360.Tests.Reporting;

/// <summary>
/// The verdict and the interactive charts in a real browser: the findings and the model-written analysis show as
/// text, a mark's exact values appear on hover, a legend entry hides and shows its series (by mouse and keyboard),
/// tables take the keyboard focus, and nothing from a hostile fixture runs — with no console error.
/// </summary>
public sealed partial class ReportBrowserTests
{
    /// <summary>The browser <c>build.ps1 -Task Test</c> provides (EVAL360_TEST_BROWSER), else Debian's chromium.</summary>
    private static string VerdictBrowser() =>
        Environment.GetEnvironmentVariable("EVAL360_TEST_BROWSER") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    [Fact]
    public async Task The_verdict_tooltips_and_legend_toggles_work_and_nothing_hostile_runs()
    {
        var browserPath = VerdictBrowser();
        Assert.True(File.Exists(browserPath), $"{browserPath} is missing: set EVAL360_TEST_BROWSER to a Chromium, or install one with 'apt-get install -y chromium'");
        using var work = new TempDirectory();
        var hostile = "<script>alert('model')</script><img src=x onerror=alert('img')>";
        var monday = new DateTimeOffset(2025, 7, 14, 23, 30, 0, TimeSpan.Zero);
        var results = new[]
        {
            new ConstructedResults("p/steady") { Region = "us-west-2", Judged = 60, Passed = 54, Score = 4.4, TimeToFirstToken = [0.30, 0.32, 0.35, 0.9], Cost = 0.002, StartedAt = monday },
            new ConstructedResults("bedrock/" + hostile) { Region = "ap-northeast-1", Judged = 60, Passed = 20, Score = 3.1, TimeToFirstToken = [0.1, 0.12], Cost = 0.0005, StartedAt = monday },
            new ConstructedResults("p/steady") { Region = "us-west-2", Judged = 60, Passed = 50, Score = 4.2, TimeToFirstToken = [0.40], Cost = 0.002, RunId = "run2", StartedAt = monday.AddDays(1) },
            new ConstructedResults("p/dear") { Region = "us-west-2", Judged = 60, Passed = 40, Score = 3.8, TimeToFirstToken = [0.8], Cost = 0.01, RunId = "run2", StartedAt = monday.AddDays(1) },
        }.SelectMany(r => r.Generate()).Select(r =>
        {
            r.Prompt = hostile;
            r.Response = hostile;
            return r;
        });
        var file = ReportWriter.Write(results, Path.Combine(work.Path, "report.html"), new ReportOptions
        {
            Analysis = new ReportAnalysis("openai/" + hostile, "Pick p/steady. " + hostile, 0.0012, 800, 120, null, false),
        });

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = browserPath,
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

        // The verdict opens the page, as text; the hostile model id and analysis are text too.
        await Assertions.Expect(page.Locator("nav li").First).ToHaveTextAsync("What we found");
        await Assertions.Expect(page.Locator("section#verdict li").First).ToContainTextAsync("Best overall: p/steady");
        await Assertions.Expect(page.Locator("#analysis")).ToContainTextAsync("Model-written.");
        await Assertions.Expect(page.Locator("#analysis .prose")).ToHaveTextAsync("Pick p/steady. " + hostile);
        await Assertions.Expect(page.Locator("#t-ranking")).ToContainTextAsync("bedrock/<script>");
        await Assertions.Expect(page.Locator("section#runs h2")).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("img").CountAsync());
        Assert.Equal(1, await page.Locator("script").CountAsync());

        // Hover shows a mark's exact values at once: a latency bar, then a bubble (the last drawn is on top).
        var tip = page.Locator("#tip");
        await Assertions.Expect(tip).ToBeHiddenAsync();
        await page.Locator("section#latency svg rect[data-tip]").First.HoverAsync();
        await Assertions.Expect(tip).ToBeVisibleAsync();
        await Assertions.Expect(tip).ToContainTextAsync("median");
        await page.Locator("section#quality svg circle.bubble").Last.HoverAsync();
        await Assertions.Expect(tip).ToContainTextAsync("per response, pass rate");
        await page.Locator("h1").HoverAsync();
        await Assertions.Expect(tip).ToBeHiddenAsync();

        // A legend entry hides its series and shows it again, by click and by keyboard.
        var chart = page.Locator("section#quality figure svg").First;
        var legend = chart.Locator(".legend[data-series=\"0\"]");
        async Task<int> Shown() => await chart.EvaluateAsync<int>(
            "svg => Array.from(svg.querySelectorAll('[data-series=\"0\"]:not(.legend)')).filter(e => getComputedStyle(e).display !== 'none').length");
        int before = await Shown();
        Assert.True(before > 0, "the series has marks");
        await legend.ClickAsync();
        await Assertions.Expect(legend).ToHaveAttributeAsync("aria-pressed", "false");
        Assert.Equal(0, await Shown());
        await legend.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(legend).ToHaveAttributeAsync("aria-pressed", "true");
        Assert.Equal(before, await Shown());

        // Tables take the keyboard focus (to scroll them), and their sort buttons are reachable with Tab.
        var wrap = page.Locator("#t-ranking").Locator("xpath=..");
        await wrap.FocusAsync();
        Assert.Equal("table-wrap", await page.EvaluateAsync<string>("document.activeElement.className"));
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("BUTTON", await page.EvaluateAsync<string>("document.activeElement.tagName"));

        Assert.Empty(problems);
        Assert.Equal([url], requests);
    }
}
