namespace Eval360.FakeProviders;

/// <summary>How the fake ended a request.</summary>
public enum ServedOutcome
{
    /// <summary>A full reply (including one that stalled, or that omitted [DONE] or the finish chunk on purpose).</summary>
    Completed,

    /// <summary>Refused: 400 validation, 401 auth, 404 path, 405 method, or a rejected response_format.</summary>
    Rejected,

    /// <summary>An injected <see cref="ModelBehavior.Status"/>.</summary>
    StatusFault,

    /// <summary>An injected mid-stream error event (a 500 for a non-streaming request).</summary>
    MidStreamError,

    /// <summary>An injected connection abort.</summary>
    Dropped,

    /// <summary>The client went away before the reply was complete.</summary>
    ClientDisconnected,

    /// <summary>The server was disposed while the request was running.</summary>
    ServerStopped,

    /// <summary>A bug in the fake; see <see cref="ServedRequest.ServerError"/>.</summary>
    ServerError,
}
