using System.Globalization;
using System.Runtime.InteropServices;

namespace Eval360.Hosting;

/// <summary>
/// A .NET installation: the <c>dotnet</c> host and the shared frameworks beside it. The dashboard is a
/// framework-dependent ASP.NET Core application, so it runs only where <c>Microsoft.AspNetCore.App</c> is installed;
/// this finds the host (<c>DOTNET_ROOT</c>, the process itself when it is <c>dotnet</c>, <c>PATH</c>, the usual
/// install folders) and says exactly what to install when the runtime is missing.
/// </summary>
public sealed class DotNetHost
{
    /// <summary>The dashboard targets net8.0 and rolls forward to any later major: 8, 9, 10 and on all run it.</summary>
    public const int MinimumAspNetCoreMajor = 8;

    public const string AspNetCoreFramework = "Microsoft.AspNetCore.App";

    private const string CoreFramework = "Microsoft.NETCore.App";

    private DotNetHost(string muxer)
    {
        Muxer = muxer;
        Root = Path.GetDirectoryName(muxer)!;
    }

    /// <summary>The <c>dotnet</c> executable.</summary>
    public string Muxer { get; }

    /// <summary>The installation folder (holds <c>shared/</c>).</summary>
    public string Root { get; }

    private static string ExecutableName => RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "dotnet.exe" : "dotnet";

    /// <summary>The .NET installation whose ASP.NET Core runtime can run the dashboard.</summary>
    /// <exception cref="DotNetRuntimeMissingException">No <c>dotnet</c> host, or none with ASP.NET Core 8.0 or later.</exception>
    public static DotNetHost FindForDashboard()
    {
        var searched = new List<string>();
        DotNetHost? firstFound = null;
        foreach (var candidate in Candidates())
        {
            searched.Add(candidate);
            if (!File.Exists(candidate))
            {
                continue;
            }

            var host = new DotNetHost(candidate);
            if (host.HasAspNetCore())
            {
                return host;
            }

            firstFound ??= host;
        }

        throw firstFound is null
            ? new DotNetRuntimeMissingException(
                $"Start-Eval360Dashboard needs the .NET host (dotnet) with the ASP.NET Core Runtime {MinimumAspNetCoreMajor}.0 or later, and no dotnet was found (looked for {string.Join(", ", searched.Distinct(StringComparer.Ordinal))}). {InstallAdvice}")
            : new DotNetRuntimeMissingException(
                $"Start-Eval360Dashboard needs the ASP.NET Core Runtime {MinimumAspNetCoreMajor}.0 or later, and the .NET installation at {firstFound.Root} has none ({firstFound.DescribeFrameworks()}). {InstallAdvice}");
    }

    /// <summary>What to install, for every platform, and how to point Eval360 at an installation elsewhere.</summary>
    public static string InstallAdvice =>
        "Install the ASP.NET Core Runtime (10.0, the current long-term support release, is recommended): on Windows " +
        "'winget install Microsoft.DotNet.AspNetCore.10'; on Debian or Ubuntu 'sudo apt-get install aspnetcore-runtime-10.0'; " +
        "on Fedora or RHEL 'sudo dnf install aspnetcore-runtime-10.0'; on macOS or any Linux without a package " +
        "'./dotnet-install.sh --runtime aspnetcore --channel 10.0' (script from https://dot.net/v1/dotnet-install.sh); or " +
        "download it from https://dotnet.microsoft.com/download/dotnet/10.0. If .NET is installed in a folder of its own, " +
        "set DOTNET_ROOT to that folder. Then run Start-Eval360Dashboard again.";

    /// <summary>The installed versions of a shared framework, newest first (prerelease suffixes ignored for ordering).</summary>
    public IReadOnlyList<Version> Versions(string framework)
    {
        var folder = Path.Combine(Root, "shared", framework);
        if (!Directory.Exists(folder))
        {
            return [];
        }

        return [.. Directory.EnumerateDirectories(folder)
            .Select(d => Version.TryParse(Path.GetFileName(d).Split('-')[0], out var v) ? v : null)
            .OfType<Version>()
            .OrderDescending()];
    }

    public bool HasAspNetCore() => Versions(AspNetCoreFramework).Any(v => v.Major >= MinimumAspNetCoreMajor);

    private string DescribeFrameworks()
    {
        var found = new[] { CoreFramework, AspNetCoreFramework }
            .SelectMany(f => Versions(f).Select(v => $"{f} {v.ToString(3)}"))
            .ToList();
        return found.Count == 0 ? "it has no shared framework at all" : "it has " + string.Join(", ", found);
    }

    /// <summary>Where a dotnet host may be, most specific first.</summary>
    private static IEnumerable<string> Candidates()
    {
        foreach (var variable in new[] { "DOTNET_ROOT_" + RuntimeInformation.ProcessArchitecture.ToString().ToUpperInvariant(), "DOTNET_ROOT" })
        {
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } root)
            {
                // An explicit installation is the one to use: nothing else is tried.
                yield return Path.Combine(root, ExecutableName);
                yield break;
            }
        }

        if (Environment.ProcessPath is { } self && Path.GetFileName(self).Equals(ExecutableName, StringComparison.OrdinalIgnoreCase))
        {
            yield return self;
        }

        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var path = Path.Combine(directory, ExecutableName);
            if (File.Exists(path))
            {
                // /usr/bin/dotnet is usually a link into the installation folder, which is where shared/ lives.
                yield return new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
            }
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            yield return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ProgramFiles), "dotnet", ExecutableName);
        }
        else
        {
            foreach (var folder in new[] { "/usr/share/dotnet", "/usr/lib/dotnet", "/usr/local/share/dotnet", "/opt/dotnet", "/snap/dotnet/current" })
            {
                yield return Path.Combine(folder, ExecutableName);
            }
        }

        yield return Path.Combine(home, ".dotnet", ExecutableName);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Muxer} (ASP.NET Core {Versions(AspNetCoreFramework).FirstOrDefault()})");
}

/// <summary>The dashboard cannot start: no .NET host with the ASP.NET Core runtime. The message says what to install.</summary>
public sealed class DotNetRuntimeMissingException(string message) : Exception(message);
