using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace Eval360.Hosting;

/// <summary>What a dashboard is started with (<c>Start-Eval360Dashboard</c>'s parameters, paths already resolved).</summary>
public sealed record DashboardLaunch
{
    /// <summary><c>Eval360.Dashboard.dll</c> as the module ships it.</summary>
    public required string Assembly { get; init; }

    /// <summary>0 for any free port.</summary>
    public int Port { get; init; } = DashboardDefaults.Port;

    public string BindAddress { get; init; } = DashboardDefaults.BindAddress;

    public required string DataPath { get; init; }

    public required string OutputDirectory { get; init; }

    public required string ModelProfile { get; init; }

    public required string JudgeProfile { get; init; }

    /// <summary>Where <c>.env</c> is read from and relative paths resolve (the PowerShell location).</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>How long the dashboard may take to start listening.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(90);
}

/// <summary>The dashboard's defaults, in one place for the cmdlet and the dashboard itself.</summary>
public static class DashboardDefaults
{
    public const int Port = 8360;

    public const string BindAddress = "127.0.0.1";

    /// <summary>The data folder's name, beside the outputs folder.</summary>
    public const string DataFolderName = "dashboard-data";

    /// <summary>The default data folder: <see cref="DataFolderName"/> next to <paramref name="outputDirectory"/>.</summary>
    public static string DataPathBeside(string outputDirectory) =>
        Path.Combine(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(outputDirectory))) ?? ".", DataFolderName);
}

/// <summary>
/// Starts the dashboard as a child process of its own (<c>dotnet Eval360.Dashboard.dll</c>) and stops it. The child
/// keeps running when the PowerShell session ends; it is found again through <see cref="DashboardEndpoint"/>.
/// </summary>
public static class DashboardLauncher
{
    /// <summary>Exit code of a dashboard whose data folder another dashboard is using.</summary>
    public const int ExitDataFolderInUse = 3;

    /// <summary>Exit code of a dashboard that could not listen on its address and port.</summary>
    public const int ExitCannotListen = 4;

    /// <summary>Starts a dashboard and waits until it listens.</summary>
    /// <exception cref="DotNetRuntimeMissingException">No ASP.NET Core runtime to run it.</exception>
    /// <exception cref="DashboardStartException">It did not start; the message says why.</exception>
    public static async Task<DashboardInfo> StartAsync(DashboardLaunch launch, CancellationToken cancellationToken)
    {
        if (!File.Exists(launch.Assembly))
        {
            throw new DashboardStartException($"The dashboard is not installed with this module: {launch.Assembly} is missing. Rebuild the module (build.ps1 -Task Build) or reinstall it.", 0);
        }

        var host = DotNetHost.FindForDashboard();
        var start = new ProcessStartInfo(host.Muxer)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            WorkingDirectory = launch.WorkingDirectory,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in Arguments(launch))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new DashboardStartException($"{host.Muxer} could not be started.", 0);
        var errors = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (errors)
                {
                    errors.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(launch.StartTimeout);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false) is { } line)
            {
                if (line.StartsWith(DashboardEndpoint.ReadyPrefix, StringComparison.Ordinal)
                    && DashboardEndpoint.Deserialize(line[DashboardEndpoint.ReadyPrefix.Length..]) is { } info)
                {
                    // From here on nothing is read from the child: it writes no more to stdout (its log is a file),
                    // and the pipe closing with this session is harmless to it.
                    return info;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Kill(process);
            throw new DashboardStartException(string.Create(CultureInfo.InvariantCulture,
                $"The dashboard did not start listening within {launch.StartTimeout.TotalSeconds:0} s; it was stopped. {Said(errors)}"), 0);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            throw;
        }

        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        var exit = process.ExitCode;
        throw new DashboardStartException(string.Create(CultureInfo.InvariantCulture, $"The dashboard stopped before it was ready (exit code {exit}). {Said(errors)}"), exit);
    }

    /// <summary>
    /// Asks a dashboard to stop (its run in flight is cancelled with everything finished on disk, and resumes at the next
    /// start), waits up to <paramref name="grace"/>, then ends the process if it is still there.
    /// </summary>
    /// <returns>True when it stopped by itself; false when it had to be killed or did not answer.</returns>
    public static async Task<bool> StopAsync(DashboardInfo info, TimeSpan grace, CancellationToken cancellationToken)
    {
        var process = Find(info);
        if (process is null)
        {
            return true;
        }

        using (process)
        {
            bool asked = await AskToStopAsync(info, cancellationToken).ConfigureAwait(false);
            if (asked)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                wait.CancelAfter(grace);
                try
                {
                    await process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
                    return true;
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // Fall through: it did not stop in time.
                }
            }

            Kill(process);
            if (DashboardEndpoint.Read(info.DataPath)?.ProcessId == info.ProcessId)
            {
                // A killed dashboard could not remove its own file.
                DashboardEndpoint.Delete(info.DataPath);
            }

            return false;
        }
    }

    /// <summary>The dashboard's process, when it still runs (a process id reused by another program is not it).</summary>
    public static Process? Find(DashboardInfo info)
    {
        try
        {
            var process = Process.GetProcessById(info.ProcessId);
            // A process that started well after the dashboard said it was ready is another program with the same id.
            if (process.HasExited || process.StartTime.ToUniversalTime() > info.StartedAt.UtcDateTime.AddMinutes(1))
            {
                process.Dispose();
                return null;
            }

            return process;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static async Task<bool> AskToStopAsync(DashboardInfo info, CancellationToken cancellationToken)
    {
        var url = new Uri(info.Url);
        var token = System.Web.HttpUtility.ParseQueryString(url.Query)["token"];
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(url, "/api/shutdown"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private static IEnumerable<string> Arguments(DashboardLaunch launch) =>
    [
        launch.Assembly,
        "--port", launch.Port.ToString(CultureInfo.InvariantCulture),
        "--bind", launch.BindAddress,
        "--data-path", launch.DataPath,
        "--outputs", launch.OutputDirectory,
        "--models", launch.ModelProfile,
        "--judges", launch.JudgeProfile,
        "--working-directory", launch.WorkingDirectory,
        "--quiet",
    ];

    private static string Said(StringBuilder errors)
    {
        string text;
        lock (errors)
        {
            text = errors.ToString().Trim();
        }

        return text.Length == 0 ? string.Empty : "It said: " + text;
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // It ended by itself meanwhile.
        }
    }
}

/// <summary>The dashboard did not start; the message says why and what to do.</summary>
public sealed class DashboardStartException(string message, int exitCode) : Exception(message)
{
    /// <summary>The dashboard's exit code (<see cref="DashboardLauncher.ExitDataFolderInUse"/>…); 0 when it did not get that far.</summary>
    public int ExitCode { get; } = exitCode;
}
