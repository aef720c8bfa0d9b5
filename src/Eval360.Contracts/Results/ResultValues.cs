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

/// <summary>The values of <see cref="InvocationResult.PromptVariant"/>, part of the public contract.</summary>
public static class PromptVariants
{
    /// <summary>The scenario's own prompt.</summary>
    public const string Original = "original";

    /// <summary>The prompt as Amazon Bedrock's prompt optimization rewrote it for the model (<c>-PromptOptimization</c>).</summary>
    public const string Optimized = "optimized";

    /// <summary>What summaries and the report append to a model's name for its optimized variant, as the seed does.</summary>
    public const string OptimizedSuffix = "_Prompt_Optimized";

    public static bool IsOptimized(this InvocationResult result) =>
        string.Equals(result.PromptVariant, Optimized, StringComparison.Ordinal);

    /// <summary>The model as summaries and the report name it: its id, with <c>_Prompt_Optimized</c> for the optimized variant.</summary>
    public static string ModelLabel(this InvocationResult result) =>
        result.IsOptimized() ? result.ModelId + OptimizedSuffix : result.ModelId;
}
