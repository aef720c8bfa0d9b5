using System.Runtime.InteropServices;
using System.Text.Json;
using Eval360.Results;

namespace Eval360.Hosting;

/// <summary>
/// <c>dashboard.json</c> in a dashboard's data folder: where the running dashboard listens and its access token, so
/// <c>Stop-Eval360Dashboard</c> (or another session) can find and stop it. Written by the dashboard when it is ready,
/// readable by its owner only, removed when it stops.
/// </summary>
public static class DashboardEndpoint
{
    public const string FileName = "dashboard.json";

    /// <summary>The line a dashboard started with <c>--quiet</c> prints once it listens, followed by its <see cref="DashboardInfo"/> as JSON.</summary>
    public const string ReadyPrefix = "EVAL360-DASHBOARD-READY ";

    /// <summary>One line of JSON (the ready line must be a single line), in the snake case of Eval360's other files.</summary>
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static string PathIn(string dataPath) => Path.Combine(dataPath, FileName);

    public static string Serialize(DashboardInfo info) => JsonSerializer.Serialize(info, Json);

    public static DashboardInfo? Deserialize(string json) => JsonSerializer.Deserialize<DashboardInfo>(json, Json);

    public static void Write(string dataPath, DashboardInfo info)
    {
        var path = PathIn(dataPath);
        ResultJson.WriteAtomically(path, stream =>
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows) && stream is FileStream file)
            {
                // The URL holds the access token: only the owner may read it.
                File.SetUnixFileMode(file.SafeFileHandle, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            JsonSerializer.Serialize(stream, info, Json);
        });
    }

    /// <summary>The dashboard that wrote <paramref name="dataPath"/>'s file; null when there is none or it cannot be read.</summary>
    public static DashboardInfo? Read(string dataPath)
    {
        try
        {
            return Deserialize(File.ReadAllText(PathIn(dataPath)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    public static void Delete(string dataPath)
    {
        try
        {
            File.Delete(PathIn(dataPath));
        }
        catch (IOException)
        {
            // Gone already, or held open for a moment: the next start overwrites it.
        }
    }
}
