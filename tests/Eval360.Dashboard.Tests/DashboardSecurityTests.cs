using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Eval360.Dashboard.Tests;

/// <summary>
/// Safe by default: without the token every request is refused (pages, static files, the API, the live stream);
/// forms posted from another site are refused (the SameSite cookie is not sent, and without the antiforgery token a
/// post is refused even with it); and the dashboard listens on 127.0.0.1 only unless told otherwise.
/// </summary>
[Collection(nameof(DashboardProcesses))]
public sealed class DashboardSecurityTests
{
    private static readonly string[] Paths =
        ["/", "/Setup", "/Monitor", "/Evaluations", "/Evaluations/Details?key=x", "/Reports", "/css/dashboard.css", "/js/dashboard.js", "/api/evaluations", "/live/monitor", "/live/evaluations"];

    [Fact]
    public async Task Without_the_token_every_request_is_refused()
    {
        using var work = new WorkFolder().WithSimulator();
        await using var dashboard = await DashboardUnderTest.StartAsync(work);
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(dashboard.Origin) };
        using var client = dashboard.Client();
        foreach (var path in Paths)
        {
            using var response = await anonymous.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{path}: {response.StatusCode} without the token");
            Assert.Contains("access token", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
            using var guessed = await anonymous.GetAsync($"{path}{separator}token={dashboard.Token[..^2]}xx", HttpCompletionOption.ResponseHeadersRead);
            Assert.True(guessed.StatusCode == HttpStatusCode.Unauthorized, $"{path}: {guessed.StatusCode} with a wrong token");

            using var allowed = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
            Assert.True(allowed.StatusCode is HttpStatusCode.OK or HttpStatusCode.Redirect or HttpStatusCode.NotFound, $"{path}: {allowed.StatusCode} with the token");
        }

        using var post = await anonymous.PostAsync("/Monitor?handler=Queue", new FormUrlEncodedContent([new("ids", "x")]));
        Assert.Equal(HttpStatusCode.Unauthorized, post.StatusCode);

        // A page of another name that resolves to 127.0.0.1 (DNS rebinding) is not served, token or not.
        using var rebound = new HttpRequestMessage(HttpMethod.Get, "/api/evaluations");
        rebound.Headers.Host = "attacker.example";
        using var refused = await client.SendAsync(rebound);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
    }

    [Fact]
    public async Task The_token_becomes_an_HttpOnly_SameSite_Strict_cookie_and_leaves_the_address_bar()
    {
        using var work = new WorkFolder().WithSimulator();
        await using var dashboard = await DashboardUnderTest.StartAsync(work);
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(dashboard.Origin) };
        using var response = await client.GetAsync("/Evaluations?token=" + dashboard.Token + "&filter=Failed");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/Evaluations?filter=Failed", response.Headers.Location!.OriginalString);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(dashboard.Token, cookie, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_form_posted_from_another_site_or_without_the_antiforgery_token_is_refused()
    {
        using var work = new WorkFolder().WithSimulator();
        work.File("questions.csv", "prompt,golden_answer\nWhat is 2+2?,4\n");
        await using var dashboard = await DashboardUnderTest.StartAsync(work);
        await using var browser = await BrowserSession.OpenAsync();
        var page = browser.Page;
        await browser.OnFailureAsync("cross-site", Path.Combine(work.Data, "dashboard.log"), async () =>
        {
            await page.GotoAsync(dashboard.Info.Url);
            var setup = new SetupPage(page, dashboard.Origin);
            await setup.OpenAsync();
            await setup.NameAsync("Target");
            await setup.UploadAsync(work.Combine("questions.csv"), 1);
            await setup.TaskAsync(0, "QA", "Correct", "0.3");
            await setup.PickAsync("model", "sim/swift-mini");
            await setup.PickAsync("judge", "sim/judge-fair");
            await setup.SaveAsync("Target");
            var id = await page.Locator("table.queueable tr[data-name='Target'] input[type=checkbox]").GetAttributeAsync("value");

            // An attacker's pages, one on another site, one on this host at another port (same site, other origin):
            // each posts the Monitor's queue form for the saved evaluation. Playwright serves them; no server is needed.
            var form = $"<form id=f method=post action='{dashboard.Origin}/Monitor?handler=Queue'><input name=ids value='{id}'></form>";
            foreach (var (attacker, expected) in new[] { ("http://attacker.example/", HttpStatusCode.Unauthorized), ("http://127.0.0.1:9/", HttpStatusCode.BadRequest) })
            {
                var attack = await browser.Context.NewPageAsync();
                await attack.RouteAsync(attacker + "**", route => route.FulfillAsync(new() { ContentType = "text/html", Body = $"<!DOCTYPE html><title>attack</title>{form}" }));
                await attack.GotoAsync(attacker + "attack");
                var response = await attack.RunAndWaitForResponseAsync(
                    () => attack.Locator("#f").EvaluateAsync("f => f.submit()"),
                    r => r.Url.StartsWith(dashboard.Origin + "/Monitor", StringComparison.Ordinal));
                Assert.Equal((int)expected, response.Status);
                await attack.CloseAsync();
            }

            // The evaluation was not queued by either.
            await page.GotoAsync(dashboard.Origin + "/Monitor");
            await Expect(page.Locator("table.queueable tr[data-name='Target'] .badge")).ToHaveTextAsync("Saved");
            await Expect(page.Locator("#queue")).ToContainTextAsync("The queue is empty");
        });

        // With the session cookie but without the antiforgery token, from a script: refused too.
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = new Uri(dashboard.Origin) };
        using var post = new HttpRequestMessage(HttpMethod.Post, "/Monitor?handler=Queue") { Content = new FormUrlEncodedContent([new("ids", "anything")]) };
        post.Headers.Add("Cookie", $"eval360_dashboard_{dashboard.Info.Port}={dashboard.Token}");
        using var refused = await client.SendAsync(post);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        // Shutdown takes the token as a bearer header only: a cookie (which a cross-site form could carry) is not enough.
        using var shutdown = new HttpRequestMessage(HttpMethod.Post, "/api/shutdown");
        shutdown.Headers.Add("Cookie", $"eval360_dashboard_{dashboard.Info.Port}={dashboard.Token}");
        using var notStopped = await client.SendAsync(shutdown);
        Assert.Equal(HttpStatusCode.Unauthorized, notStopped.StatusCode);
        Assert.False(dashboard.Process.HasExited);
    }

    [Fact]
    public async Task It_listens_on_127_0_0_1_only_unless_given_another_address()
    {
        // 127.0.0.2 is another address of this machine (the loopback range): a socket bound to 127.0.0.1 alone does not
        // answer there, one bound to every interface does. No traffic leaves the machine.
        using var work = new WorkFolder().WithSimulator();
        await using (var dashboard = await DashboardUnderTest.StartAsync(work))
        {
            Assert.Equal("127.0.0.1", dashboard.Info.BindAddress);
            Assert.Equal(SocketError.ConnectionRefused, await ConnectAsync("127.0.0.2", dashboard.Info.Port));
            Assert.Equal(SocketError.Success, await ConnectAsync("127.0.0.1", dashboard.Info.Port));
            Assert.DoesNotContain("WARNING", dashboard.Errors, StringComparison.Ordinal);
        }

        await using var everywhere = await DashboardUnderTest.StartAsync(work, bind: "0.0.0.0");
        Assert.Equal(SocketError.Success, await ConnectAsync("127.0.0.2", everywhere.Info.Port));
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.2:{everywhere.Info.Port}") };
        client.DefaultRequestHeaders.Authorization = new("Bearer", everywhere.Token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/evaluations")).StatusCode);
        await WaitForAsync(() => everywhere.Errors.Contains("WARNING: The dashboard listens on 0.0.0.0", StringComparison.Ordinal), everywhere.Errors);
    }

    private static async Task<SocketError> ConnectAsync(string address, int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(IPAddress.Parse(address), port);
            return SocketError.Success;
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode;
        }
    }

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "not seen within 30 s: " + what);
            await Task.Delay(50);
        }
    }
}
