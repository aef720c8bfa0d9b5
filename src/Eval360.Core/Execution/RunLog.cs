using System.Globalization;
using System.Threading.Channels;
using Eval360.Results;
using Microsoft.Extensions.Logging;

namespace Eval360.Execution;

/// <summary>A line of the run's log, for the cmdlet to write to the verbose or debug stream.</summary>
public sealed record RunLogged(LogLevel Level, string Message) : RunEvent;

/// <summary>
/// The logger of one run, and the only place the engine's log lines go: each line is masked with the run's secret
/// redactor, timestamped on the run's clock and written to <c>run.log</c> (<see cref="RunLogFile"/>), and handed to
/// whoever drains the run's events (<see cref="RunLogged"/>, from <see cref="Benchmark.EventLogLevel"/> up), never
/// written to PowerShell from here. The event is dropped rather than waited for when the reader is far behind; the
/// file has every line.
/// </summary>
internal sealed class RunLog : ILogger, IDisposable
{
    private readonly RunLogFile _file;
    private readonly Func<string, string> _redact;
    private readonly ChannelWriter<RunEvent> _events;
    private readonly LogLevel _eventLevel;
    private readonly TimeProvider _time;
    private int _failureReported;

    /// <param name="redact">Masks secrets: the run's <c>SecretRedactor.Redact</c>.</param>
    /// <param name="eventLevel">The lowest level handed to <paramref name="events"/>; <see cref="LogLevel.None"/> for none.</param>
    public RunLog(string path, Func<string, string> redact, ChannelWriter<RunEvent> events, LogLevel eventLevel, TimeProvider time, long maxBytes = RunLogFile.MaxBytes)
    {
        _file = new RunLogFile(path, maxBytes);
        _redact = redact;
        _events = events;
        _eventLevel = eventLevel;
        _time = time;
    }

    public bool IsEnabled(LogLevel logLevel) => logLevel is >= LogLevel.Debug and < LogLevel.None;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        var message = formatter(state, exception);
        if (exception is not null)
        {
            message += $" ({exception.GetType().Name}: {exception.Message})";
        }

        message = _redact(message);
        var now = _time.GetLocalNow();
        _file.Write(string.Create(CultureInfo.InvariantCulture, $"{now:yyyy-MM-dd'T'HH:mm:ss.fffzzz} {LevelName(logLevel),-5} {eventId.Name ?? eventId.Id.ToString(CultureInfo.InvariantCulture)}: {message}"));
        if (_file.Failure is { } failure && Interlocked.Exchange(ref _failureReported, 1) == 0)
        {
            _events.TryWrite(new RunWarning($"{failure}; the run goes on without its log.", "RunLogFailed"));
        }

        if (logLevel >= _eventLevel)
        {
            _events.TryWrite(new RunLogged(logLevel, string.Create(CultureInfo.InvariantCulture, $"{now:HH:mm:ss} {message}")));
        }
    }

    public void Dispose() => _file.Dispose();

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Debug => "DEBUG",
        LogLevel.Information => "INFO",
        LogLevel.Warning => "WARN",
        LogLevel.Error => "ERROR",
        _ => "CRIT",
    };
}
