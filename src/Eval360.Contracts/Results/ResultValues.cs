namespace Eval360;

/// <summary>
/// The values of <see cref="InvocationResult.Status"/>, part of the public contract. Kept as strings (not an enum) so
/// that <c>ConvertTo-Json</c>, <c>Export-Csv</c> and scripts comparing with <c>-eq 'Succeeded'</c> see the same text.
/// </summary>
public static class InvocationStatus
{
    /// <summary>The model answered.</summary>
    public const string Succeeded = "Succeeded";

    /// <summary>The model did not answer (see <see cref="InvocationResult.ErrorCode"/>).</summary>
    public const string Failed = "Failed";

    public static bool IsSucceeded(this InvocationResult result) =>
        string.Equals(result.Status, Succeeded, StringComparison.Ordinal);
}

/// <summary>The values of <see cref="InvocationResult.EvalType"/>, part of the public contract (the seed's <c>eval_type</c>).</summary>
public static class EvalTypes
{
    /// <summary>The full evaluation: latency, cost and a jury's verdict.</summary>
    public const string Judged = "360";

    /// <summary>Latency-only mode: timed and priced, never judged.</summary>
    public const string LatencyOnly = "latency";

    public static bool IsLatencyOnly(this InvocationResult result) =>
        string.Equals(result.EvalType, LatencyOnly, StringComparison.Ordinal);
}
