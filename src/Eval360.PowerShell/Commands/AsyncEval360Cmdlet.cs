using System.Management.Automation;
using System.Threading.Channels;
using Eval360.Configuration;
using Eval360.Execution;
using Microsoft.Extensions.Logging;

namespace Eval360.PowerShell.Commands;

/// <summary>
/// Runs engine work on a background task and does everything PowerShell-facing here, on the pipeline thread: the
/// work writes <see cref="RunEvent"/>s into a channel that this class drains (WriteObject, WriteWarning), and a timer
/// in the same loop refreshes progress. Ctrl+C (StopProcessing) cancels the work promptly; the loop then waits for it
/// to put its finished results on disk before the pipeline stops.
/// </summary>
public abstract class AsyncEval360Cmdlet : Eval360Cmdlet, IDisposable
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _outputGone = new();

    protected override void StopProcessing()
    {
        _outputGone.Cancel();
        _stopping.Cancel();
    }

    /// <summary>Runs <paramref name="work"/> and handles its events here until it ends; returns its result or rethrows its exception.</summary>
    /// <param name="onStopped">Given the work's result when the pipeline was stopped (Ctrl+C) and the work ended cleanly, just before the pipeline stops.</param>
    protected T RunAndDrain<T>(Func<ChannelWriter<RunEvent>, CancellationToken, CancellationToken, Task<T>> work, Action<RunEvent> handle, Action? onTick = null, Action<T>? onStopped = null)
    {
        var events = Channel.CreateBounded<RunEvent>(new BoundedChannelOptions(1024) { SingleReader = true });
        var task = Task.Run(() => work(events.Writer, _stopping.Token, _outputGone.Token));
        _ = task.ContinueWith(t => events.Writer.TryComplete(), TaskScheduler.Default);

        bool pipelineStopped = false;
        var reader = events.Reader;
        long nextTick = 0;
        while (true)
        {
            if (Environment.TickCount64 >= nextTick)
            {
                nextTick = Environment.TickCount64 + (long)ProgressInterval.TotalMilliseconds;
                if (!pipelineStopped)
                {
                    Guard(ref pipelineStopped, onTick);
                }
            }

            var waiting = reader.WaitToReadAsync().AsTask();
            if (!waiting.Wait(ProgressInterval))
            {
                continue;
            }

            if (!waiting.Result)
            {
                break;
            }

            while (reader.TryRead(out var item))
            {
                if (!pipelineStopped)
                {
                    Guard(ref pipelineStopped, () => handle(item));
                }
            }
        }

        if (pipelineStopped || _stopping.IsCancellationRequested)
        {
            // Let the work finish writing what it has (it was cancelled and ends quickly), then stop the pipeline.
            task.ContinueWith(_ => { }, TaskScheduler.Default).Wait();
            if (task.IsCompletedSuccessfully)
            {
                onStopped?.Invoke(task.Result);
            }

            throw new PipelineStoppedException();
        }

        return task.GetAwaiter().GetResult();
    }

    /// <summary>
    /// The engine's log lines this cmdlet's caller wants: Debug and up with -Debug (or $DebugPreference), Information
    /// and up with -Verbose (or $VerbosePreference), else none (run.log has them all the same).
    /// </summary>
    protected LogLevel LogLevelWanted => Wants("Debug", "DebugPreference") ? LogLevel.Debug
        : Wants("Verbose", "VerbosePreference") ? LogLevel.Information
        : LogLevel.None;

    /// <summary>A line of the engine's log, here on the pipeline thread: the verbose stream, or the debug stream for debug lines.</summary>
    protected void WriteLogged(RunLogged logged)
    {
        if (logged.Level >= LogLevel.Information)
        {
            WriteVerbose(logged.Message);
        }
        else
        {
            WriteDebug(logged.Message);
        }
    }

    private bool Wants(string parameter, string preference) =>
        MyInvocation.BoundParameters.TryGetValue(parameter, out var given)
            ? given is SwitchParameter { IsPresent: true } or true
            : GetVariableValue(preference) is ActionPreference wanted && wanted is not (ActionPreference.SilentlyContinue or ActionPreference.Ignore);

    /// <summary>
    /// A warning while the pipeline is stopping: the warning stream when PowerShell still takes it, else straight to
    /// the host, which a stopping pipeline no longer lets the warning stream reach.
    /// </summary>
    protected void WriteStopWarning(string message)
    {
        try
        {
            WriteWarning(message);
        }
        catch (PipelineStoppedException)
        {
            Host.UI.WriteWarningLine(message);
        }
    }

    /// <summary>The run settings the user gave (name → value); the others keep their defaults, or on resume their saved values.</summary>
    protected List<KeyValuePair<string, object?>> GivenSettings()
    {
        var given = new List<KeyValuePair<string, object?>>();
        foreach (var setting in RunSettings.All)
        {
            if (MyInvocation.BoundParameters.TryGetValue(setting.Name, out var value))
            {
                given.Add(KeyValuePair.Create<string, object?>(setting.Name, value is SwitchParameter flag ? flag.IsPresent : value));
            }
        }

        return given;
    }

    /// <summary>A run id stays as it is; anything that looks like a path is resolved against the PowerShell location.</summary>
    protected string ResolveRunReference(string reference) =>
        reference.IndexOfAny(['/', '\\', '.']) >= 0 || Directory.Exists(ResolvePath(reference)) ? ResolvePath(reference) : reference;

    private void Guard(ref bool pipelineStopped, Action? action)
    {
        try
        {
            action?.Invoke();
        }
        catch (PipelineStoppedException)
        {
            pipelineStopped = true;
            StopProcessing();
        }
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _outputGone.Dispose();
        GC.SuppressFinalize(this);
    }
}
