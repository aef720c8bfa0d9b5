using System.Diagnostics;
using System.Text;
using Eval360.Hosting;

namespace Eval360.Dashboard.Tests;

/// <summary>
/// The built dashboard (module/Eval360/dashboard) as its own process, started the way Start-Eval360Dashboard starts it
/// and killable like any process. Its work folder holds the profiles, the outputs and the data folder.
/// </summary>
public sealed class DashboardUnderTest : IAsyncDisposable
{
    private readonly StringBuilder _errors = new();

    private DashboardUnderTest(Process process, DashboardInfo info)
    {
        Process = process;
        Info = info;
    }

    public static string Assembly => Path.Combine(Repository.Root, "module", "Eval360", "dashboard", "Eval360.Dashboard.dll");

    public Process Process { get; }

    public DashboardInfo Info { get; }

    /// <summary>The URL without its token: <c>http://127.0.0.1:PORT</c>.</summary>
    public string Origin => Info.Url.Split('/', 4) is var parts ? $"{parts[0]}//{parts[2]}" : Info.Url;

    public string Token => Info.Url.Split("token=")[1];

    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString();
            }
        }
    }

    public static async Task<DashboardUnderTest> StartAsync(WorkFolder work, string bind = "127.0.0.1", params string[] more)
    {
        Assert.True(File.Exists(Assembly), $"{Assembly} is missing: build the module first (build.ps1 -Task Build)");
        var start = new ProcessStartInfo(DotNetHost.FindForDashboard().Muxer)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = work.Path,
        };
        string[] arguments =
        [
            Assembly, "--port", "0", "--bind", bind, "--quiet",
            "--working-directory", work.Path, "--outputs", work.Outputs, "--data-path", work.Data,
            "--models", work.Models, "--judges", work.Judges, .. more,
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        var pending = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (pending)
                {
                    pending.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith(DashboardEndpoint.ReadyPrefix, StringComparison.Ordinal))
            {
                var dashboard = new DashboardUnderTest(process, DashboardEndpoint.Deserialize(line[DashboardEndpoint.ReadyPrefix.Length..])!);
                process.ErrorDataReceived += (_, e) =>
                {
                    if (e.Data is not null)
                    {
                        lock (dashboard._errors)
                        {
                            dashboard._errors.AppendLine(e.Data);
                        }
                    }
                };
                lock (pending)
                {
                    dashboard._errors.Append(pending);
                }

                return dashboard;
            }
        }

        await process.WaitForExitAsync();
        throw new InvalidOperationException($"the dashboard exited with {process.ExitCode} before it was ready: {pending}");
    }

    /// <summary>An HTTP client that sends the token as a bearer header (the API's way for scripts).</summary>
    public HttpClient Client()
    {
        // Redirects are not followed: HttpClient would drop the Authorization header on the way.
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(Origin), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
        return client;
    }

    /// <summary>Ends the process at once (SIGKILL): no shutdown code runs, as when a machine goes down.</summary>
    public void Kill()
    {
        Process.Kill(entireProcessTree: true);
        Process.WaitForExit(30_000);
    }

    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            await Process.WaitForExitAsync();
        }

        Process.Dispose();
    }
}

/// <summary>A test's own folder: profiles, a CSV, the outputs folder and the dashboard's data folder.</summary>
public sealed class WorkFolder : IDisposable
{
    public WorkFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "eval360-dashboard-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
        Models = Combine("config", "models.jsonl");
        Judges = Combine("config", "judges.jsonl");
    }

    public string Path { get; }

    public string Outputs => Combine("outputs");

    public string Data => Combine("dashboard-data");

    public string Models { get; }

    public string Judges { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public string File(string relative, string content)
    {
        var path = Combine(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    /// <summary>The quick start's simulated models and judges as this folder's profiles.</summary>
    public WorkFolder WithSimulator()
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Models)!);
        System.IO.File.Copy(Repository.PathOf("config/quickstart.models.jsonl"), Models, overwrite: true);
        System.IO.File.Copy(Repository.PathOf("config/quickstart.judges.jsonl"), Judges, overwrite: true);
        return this;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>Paths in the repository, found from the test's own location.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    /// <summary>Where the dashboard tests leave screenshots (git-ignored).</summary>
    public static string Artifacts(string name)
    {
        var folder = Path.Combine(Root, "artifacts", "dashboard");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name);
    }

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Eval360.PowerShell.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Eval360.PowerShell.sln not found above " + AppContext.BaseDirectory);
    }
}
