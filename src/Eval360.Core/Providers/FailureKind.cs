namespace Eval360.Providers;

/// <summary>Why a call failed. Each kind has a stable snake_case code that results and <c>unprocessed.json</c> carry.</summary>
public enum FailureKind
{
    /// <summary>HTTP 429 or a provider's throttling exception.</summary>
    Throttled,

    /// <summary>The provider is overloaded (Anthropic's 529, Bedrock's ServiceUnavailable).</summary>
    Overloaded,

    /// <summary>HTTP 5xx.</summary>
    Server,

    /// <summary>An attempt took longer than its time limit.</summary>
    Timeout,

    /// <summary>The stream started but no chunk arrived for the stall limit.</summary>
    Stalled,

    /// <summary>The stream broke off, or the provider sent an error event, before it finished.</summary>
    StreamInterrupted,

    /// <summary>The connection could not be made or was reset.</summary>
    Network,

    /// <summary>HTTP 401/403: missing, wrong or unauthorised key.</summary>
    Auth,

    /// <summary>HTTP 404: no such model or deployment.</summary>
    NotFound,

    /// <summary>HTTP 400/422: the provider rejected the request.</summary>
    Validation,

    /// <summary>The provider's content filter blocked the prompt or the answer.</summary>
    ContentFilter,

    /// <summary>The model cannot take this input (an image for a text-only model).</summary>
    UnsupportedInput,

    /// <summary>The stream ended with a finish reason Eval360 does not know.</summary>
    UnexpectedFinish,

    /// <summary>The model finished without producing any text.</summary>
    EmptyResponse,

    /// <summary>The reply could not be understood (not the provider's protocol).</summary>
    InvalidResponse,

    /// <summary>A judge answered, but not with usable scores.</summary>
    JudgeUnparseable,

    /// <summary>A judge obeyed the injection canary, an instruction inside the data it grades (a verdict-level code, never a call's).</summary>
    InjectionSuspected,

    /// <summary>The run was cancelled while the call was in flight.</summary>
    Cancelled,

    /// <summary>The model answered, but no judge gave a usable verdict (a result-level code, never a call's).</summary>
    JuryUnavailable,
}

public static class FailureKinds
{
    /// <summary>The stable code: <c>throttled</c>, <c>stream_interrupted</c>, <c>judge_unparseable</c>…</summary>
    public static string Code(this FailureKind kind) => kind switch
    {
        FailureKind.Throttled => "throttled",
        FailureKind.Overloaded => "overloaded",
        FailureKind.Server => "server",
        FailureKind.Timeout => "timeout",
        FailureKind.Stalled => "stalled",
        FailureKind.StreamInterrupted => "stream_interrupted",
        FailureKind.Network => "network",
        FailureKind.Auth => "auth",
        FailureKind.NotFound => "not_found",
        FailureKind.Validation => "validation",
        FailureKind.ContentFilter => "content_filter",
        FailureKind.UnsupportedInput => "unsupported_input",
        FailureKind.UnexpectedFinish => "unexpected_finish",
        FailureKind.EmptyResponse => "empty_response",
        FailureKind.InvalidResponse => "invalid_response",
        FailureKind.JudgeUnparseable => "judge_unparseable",
        FailureKind.InjectionSuspected => "injection_suspected",
        FailureKind.Cancelled => "cancelled",
        FailureKind.JuryUnavailable => "jury_unavailable",
        _ => "unknown",
    };

    /// <summary>Failures worth another attempt: the same request may well succeed a moment later.</summary>
    public static bool IsTransient(this FailureKind kind) => kind is FailureKind.Throttled or FailureKind.Overloaded
        or FailureKind.Server or FailureKind.Timeout or FailureKind.Stalled or FailureKind.StreamInterrupted or FailureKind.Network;

    /// <summary>Classifies an HTTP status the way every provider means it.</summary>
    public static FailureKind FromStatus(int status) => status switch
    {
        429 => FailureKind.Throttled,
        529 => FailureKind.Overloaded,
        401 or 403 => FailureKind.Auth,
        404 => FailureKind.NotFound,
        408 => FailureKind.Timeout,
        >= 500 => FailureKind.Server,
        _ => FailureKind.Validation,
    };
}
