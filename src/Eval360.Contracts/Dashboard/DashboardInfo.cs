namespace Eval360;

/// <summary>
/// A running Eval360 dashboard (<c>Start-Eval360Dashboard</c>): where to open it and the process that serves it. The
/// URL carries the access token the dashboard requires on every request; treat it like a password.
/// </summary>
public sealed class DashboardInfo
{
    /// <summary>The address to open, with its access token (<c>http://127.0.0.1:8360/?token=…</c>).</summary>
    public string Url { get; init; } = string.Empty;

    /// <summary>The dashboard's own process (a child process; it keeps running after the PowerShell session ends).</summary>
    public int ProcessId { get; init; }

    /// <summary>The TCP port it listens on.</summary>
    public int Port { get; init; }

    /// <summary>The address it listens on: 127.0.0.1 unless <c>-BindAddress</c> said otherwise.</summary>
    public string BindAddress { get; init; } = string.Empty;

    /// <summary>The folder of its database, uploads and log (<c>-DataPath</c>).</summary>
    public string DataPath { get; init; } = string.Empty;

    /// <summary>The outputs folder its runs are written to and listed from.</summary>
    public string OutputDirectory { get; init; } = string.Empty;

    public DateTimeOffset StartedAt { get; init; }

    public override string ToString() => Url;
}
