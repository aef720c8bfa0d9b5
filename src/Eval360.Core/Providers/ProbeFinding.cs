namespace Eval360.Providers;

/// <summary>What a failed probe (the minimal request of the access and capability checks) says about a model.</summary>
public enum ProbeFinding
{
    /// <summary>It is there: it refused only the probe's tiny request (validation, content filter, an odd finish) or broke off while answering.</summary>
    Reachable,

    /// <summary>It is there but throttled already (HTTP 429): it stays in, and its calls will wait and retry.</summary>
    Throttled,

    /// <summary>
    /// The model refused the profile's service tier in its region (Bedrock's <c>ValidationException</c> for a tier the
    /// model does not offer there): the default tier may still answer.
    /// </summary>
    TierRefused,

    /// <summary>A server error or overload: ask again; a model that fails every attempt so is unavailable.</summary>
    TryAgain,

    /// <summary>It cannot be used: no or wrong key, no such model, or nothing answers (refused, DNS, TLS, timed out).</summary>
    Unavailable,
}

/// <summary>
/// The one place that decides which probe failures leave a model out. A provider that knows more (Bedrock refusing a
/// service tier) refines it in its registration, <see cref="ModelProvider.Classify"/>.
/// </summary>
internal static class ProbeFindings
{
    public static ProbeFinding Of(ProviderException failure) => failure.Kind switch
    {
        FailureKind.Throttled => ProbeFinding.Throttled,
        FailureKind.Server or FailureKind.Overloaded => ProbeFinding.TryAgain,
        FailureKind.Validation or FailureKind.ContentFilter or FailureKind.UnexpectedFinish or FailureKind.EmptyResponse
            or FailureKind.StreamInterrupted or FailureKind.Stalled => ProbeFinding.Reachable,
        _ => ProbeFinding.Unavailable,
    };
}
