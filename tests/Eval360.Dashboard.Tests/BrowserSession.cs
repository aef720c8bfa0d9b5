using Microsoft.Playwright;

namespace Eval360.Dashboard.Tests;

/// <summary>
/// A headless Chromium driven by Playwright: the one the test task provisions (EVAL360_TEST_BROWSER), else Debian's
/// /usr/bin/chromium; never a browser download. It records every dialog and page error (a hostile cell or answer that
/// ran as script would show up here) and every main-frame navigation (live updates must need none).
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private BrowserSession(IPlaywright playwright, IBrowser browser, IBrowserContext context, IPage page)
    {
        _playwright = playwright;
        _browser = browser;
        Context = context;
        Page = page;
        page.Dialog += (_, dialog) =>
        {
            lock (Problems)
            {
                Problems.Add("dialog: " + dialog.Message);
            }

            _ = dialog.DismissAsync();
        };
        page.PageError += (_, error) =>
        {
            lock (Problems)
            {
                Problems.Add("page error: " + error);
            }
        };
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !message.Text.Contains("401", StringComparison.Ordinal))
            {
                lock (Problems)
                {
                    Problems.Add("console error: " + message.Text);
                }
            }
        };
        page.FrameNavigated += (_, frame) =>
        {
            if (frame == page.MainFrame)
            {
                Interlocked.Increment(ref _navigations);
            }
        };
    }

    private int _navigations;

    public static string Executable => Environment.GetEnvironmentVariable("EVAL360_TEST_BROWSER") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    public List<string> Problems { get; } = [];

    /// <summary>Main-frame navigations so far (a reload or a form post counts one).</summary>
    public int Navigations => Volatile.Read(ref _navigations);

    public static async Task<BrowserSession> OpenAsync(int width = 1280, int height = 800)
    {
        Assert.True(File.Exists(Executable), $"{Executable} is missing: install chromium (apt-get install -y chromium) or set EVAL360_TEST_BROWSER");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Executable,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        // A loaded 2-core machine is slow; conditions are waited for generously, never slept on.
        context.SetDefaultTimeout(60_000);
        context.SetDefaultNavigationTimeout(90_000);
        Assertions.SetDefaultExpectTimeout(90_000);
        var page = await context.NewPageAsync();
        return new BrowserSession(playwright, browser, context, page);
    }

    /// <param name="fullPage">The whole page; otherwise what the window shows (what a person sees at that size).</param>
    public async Task ScreenshotAsync(string name, bool fullPage = true) =>
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Repository.Artifacts(name + ".png"), FullPage = fullPage });

    /// <summary>The page is usable at this width: nothing but the tables' own scrolling areas is wider than the window.</summary>
    public async Task AssertNoHorizontalOverflowAsync(string where)
    {
        var (page, window) = (await Page.EvaluateAsync<int>("document.documentElement.scrollWidth"), await Page.EvaluateAsync<int>("window.innerWidth"));
        Assert.True(page <= window + 1, $"{where}: the page is {page} px wide in a {window} px window");
    }

    /// <summary>Runs a test's steps; when one fails, a screenshot of where it stood is saved beside the others.</summary>
    /// <param name="log">The dashboard's log file, copied beside the screenshot.</param>
    public async Task OnFailureAsync(string name, string log, Func<Task> steps)
    {
        try
        {
            await steps();
        }
        catch
        {
            await ScreenshotAsync("failed-" + name);
            if (File.Exists(log))
            {
                File.Copy(log, Repository.Artifacts("failed-" + name + ".log"), overwrite: true);
            }

            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Context.CloseAsync();
        await _browser.CloseAsync();
        _playwright.Dispose();
    }
}
