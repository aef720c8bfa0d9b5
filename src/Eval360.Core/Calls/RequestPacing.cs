namespace Eval360.Calls;

/// <summary>How long a call waited for its turn under the profile's pacing; never part of its latency.</summary>
internal readonly record struct PacingTicket(TimeSpan Waited)
{
    public bool Throttled => Waited > TimeSpan.Zero;
}

/// <summary>Paces requests to each model×region (target RPM/TPM). Acquire before every attempt, retries included.</summary>
internal interface IRequestPacer
{
    ValueTask<PacingTicket> AcquireAsync(ModelProfile profile, int estimatedTokens, CancellationToken cancellationToken);

    /// <summary>Corrects token pacing once a call's real usage is known.</summary>
    void ReportUsage(ModelProfile profile, int estimatedTokens, long actualTokens);

    /// <summary>Requests per minute sent to the profile's model and region so far; null before two requests.</summary>
    double? ActualRpm(ModelProfile profile);
}
