using System.Globalization;
using System.Net;
using Eval360.Hosting;

namespace Eval360.Dashboard.Hosting;

/// <summary>
/// What the dashboard serves and where it keeps things, from its command line
/// (<c>dotnet Eval360.Dashboard.dll [--port N] [--bind ADDRESS] [--data-path DIR] [--outputs DIR] [--models FILE] [--judges FILE]</c>).
/// Relative paths resolve against <see cref="WorkingDirectory"/>.
/// </summary>
public sealed record DashboardOptions
{
    public int Port { get; init; } = DashboardDefaults.Port;

    public IPAddress BindAddress { get; init; } = IPAddress.Parse(DashboardDefaults.BindAddress);

    public required string WorkingDirectory { get; init; }

    public required string DataPath { get; init; }

    public required string OutputDirectory { get; init; }

    public required string ModelProfile { get; init; }

    public required string JudgeProfile { get; init; }

    /// <summary>The capability cache Test-Eval360ModelCapability writes for the model profiles (the seed's path).</summary>
    public string ModelCapabilityCache => Path.Combine(WorkingDirectory, ".cache", "model_capabilities.json");

    /// <summary>The judges' capability cache (a cache holds one profile file).</summary>
    public string JudgeCapabilityCache => Path.Combine(WorkingDirectory, ".cache", "judge_capabilities.json");

    /// <summary>The largest CSV upload accepted, in bytes.</summary>
    public long MaxUploadBytes { get; init; } = 50L * 1024 * 1024;

    /// <summary>Started by Start-Eval360Dashboard: no console log, one machine-readable ready line, a session of its own.</summary>
    public bool Quiet { get; init; }

    public bool IsLoopback => IPAddress.IsLoopback(BindAddress);

    public string UploadFolder => Path.Combine(DataPath, "uploads");

    public string Database => Path.Combine(DataPath, "dashboard.db");

    public string LogFile => Path.Combine(DataPath, "dashboard.log");

    public const string Usage =
        "usage: dotnet Eval360.Dashboard.dll [--port N (default 8360, 0 for any free port)] [--bind ADDRESS (default 127.0.0.1)] " +
        "[--data-path DIR (default dashboard-data beside the outputs)] [--outputs DIR (default outputs)] " +
        "[--models FILE (default config/models_profiles.jsonl)] [--judges FILE (default config/judge_profiles.jsonl)] " +
        "[--working-directory DIR] [--max-upload-mb N] [--quiet]";

    /// <exception cref="ArgumentException">An unknown option or a bad value; the message says which.</exception>
    public static DashboardOptions Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        bool quiet = false;
        string[] withValue = ["--port", "--bind", "--data-path", "--outputs", "--models", "--judges", "--working-directory", "--max-upload-mb"];
        for (int i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name == "--quiet")
            {
                quiet = true;
            }
            else if (withValue.Contains(name))
            {
                if (i + 1 >= args.Count)
                {
                    throw new ArgumentException($"{name} needs a value");
                }

                values[name] = args[++i];
            }
            else
            {
                throw new ArgumentException($"'{name}' is not an option");
            }
        }

        string Get(string name, string fallback) => values.TryGetValue(name, out var v) ? v : fallback;
        var workingDirectory = Path.GetFullPath(Get("--working-directory", Environment.CurrentDirectory));
        string Resolve(string path) => Path.GetFullPath(Path.Combine(workingDirectory, path));

        if (!int.TryParse(Get("--port", DashboardDefaults.Port.ToString(CultureInfo.InvariantCulture)), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            throw new ArgumentException($"--port '{values["--port"]}' is not a port (0 to 65535; 0 picks a free one)");
        }

        if (!IPAddress.TryParse(Get("--bind", DashboardDefaults.BindAddress), out var bind))
        {
            throw new ArgumentException($"--bind '{values["--bind"]}' is not an IP address (127.0.0.1, ::1, 0.0.0.0, or one of this machine's addresses)");
        }

        long maxUpload = 50;
        if (values.TryGetValue("--max-upload-mb", out var mb) && (!long.TryParse(mb, NumberStyles.None, CultureInfo.InvariantCulture, out maxUpload) || maxUpload is < 1 or > 4096))
        {
            throw new ArgumentException($"--max-upload-mb '{mb}' must be a whole number from 1 to 4096");
        }

        var outputs = Resolve(Get("--outputs", "outputs"));
        return new DashboardOptions
        {
            Port = port,
            BindAddress = bind,
            WorkingDirectory = workingDirectory,
            OutputDirectory = outputs,
            DataPath = values.TryGetValue("--data-path", out var data) ? Resolve(data) : DashboardDefaults.DataPathBeside(outputs),
            ModelProfile = Resolve(Get("--models", Path.Combine("config", "models_profiles.jsonl"))),
            JudgeProfile = Resolve(Get("--judges", Path.Combine("config", "judge_profiles.jsonl"))),
            MaxUploadBytes = maxUpload * 1024 * 1024,
            Quiet = quiet,
        };
    }
}
