using System.Diagnostics.Tracing;

namespace Eval360.Calls;

/// <summary>
/// The clock readings behind each measured call's times, as events of the <c>Eval360-CallTiming</c> event source: when
/// the request left and when its first token's bytes were read, on the run's clock (<see cref="TimeProvider"/>
/// timestamps: the monotonic <see cref="System.Diagnostics.Stopwatch"/> clock, which other processes on the machine
/// share). Nothing is written unless a listener enables the source (<c>dotnet-trace</c>, an <see cref="EventListener"/>);
/// the bench uses it to split its timing-fidelity figure between the client and the server.
/// </summary>
[EventSource(Name = "Eval360-CallTiming")]
internal sealed class CallTimingEvents : EventSource
{
    public static CallTimingEvents Log { get; } = new();

    private CallTimingEvents()
    {
    }

    /// <summary>A call that produced a first token: its work-item key, when the request left and when the token was read.</summary>
    [Event(1, Level = EventLevel.Informational)]
    public void FirstToken(string key, long sentTimestamp, long firstTokenTimestamp) => WriteEvent(1, key, sentTimestamp, firstTokenTimestamp);
}
