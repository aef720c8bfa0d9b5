using System.Diagnostics;

namespace Eval360.Reporting;

/// <summary>
/// Opens a report with the program the desktop associates with <c>.html</c> files, quietly: on a machine without a
/// desktop (no <c>DISPLAY</c> or <c>WAYLAND_DISPLAY</c> on Linux) nothing is started, and an opener's own output never
/// reaches the console. Says why when the report could not be opened, so the caller can point at the file instead.
/// </summary>
public static class ReportOpener
{
    /// <summary>How long to wait for <c>xdg-open</c> to hand the file over (it returns at once when a browser takes it).</summary>
    private static readonly TimeSpan HandOver = TimeSpan.FromSeconds(10);

    /// <returns>Null when the report was handed to a program; otherwise why it was not.</returns>
    public static string? TryOpen(string path)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsFreeBSD())
        {
            // Windows and macOS always have a desktop and a default program for .html.
            try
            {
                using var shell = Process.Start(new ProcessStartInfo(path) { UseShellExecute = true });
                return null;
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                return $"no program opens .html files here: {e.Message}";
            }
        }

        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DISPLAY")) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("WAYLAND_DISPLAY")))
        {
            return "no desktop: neither DISPLAY nor WAYLAND_DISPLAY is set";
        }

        var opener = FindOnPath("xdg-open");
        if (opener is null)
        {
            return "xdg-open is not installed (Debian and Ubuntu: apt-get install xdg-utils)";
        }

        var start = new ProcessStartInfo(opener) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(path);
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(HandOver))
        {
            return null;
        }

        if (process.ExitCode == 0)
        {
            return null;
        }

        var reason = errors.Wait(TimeSpan.FromSeconds(1)) ? errors.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() : null;
        return $"xdg-open failed with exit code {process.ExitCode}{(reason is null ? string.Empty : ": " + reason)}";
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, name))
            .FirstOrDefault(File.Exists);
}
