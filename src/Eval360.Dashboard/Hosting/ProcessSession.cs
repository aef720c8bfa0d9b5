using System.Runtime.InteropServices;

namespace Eval360.Dashboard.Hosting;

/// <summary>
/// Detaches the dashboard from the terminal of the PowerShell that started it: Ctrl+C typed there (meant for another
/// command) is sent to the terminal's whole process group, and must not stop the dashboard. On Unix it starts a
/// session of its own (setsid); on Windows the launcher starts it without a console.
/// </summary>
internal static partial class ProcessSession
{
    public static void Detach()
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            // Fails only when already a session or group leader, which a started child is not; either way it is harmless.
            _ = SetSid();
        }
    }

    [LibraryImport("libc", EntryPoint = "setsid")]
    private static partial int SetSid();
}
