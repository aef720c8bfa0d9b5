namespace Eval360;

/// <summary>A prompt as Amazon Bedrock's prompt optimization rewrote it for a target model (<c>Optimize-Eval360Prompt</c>).</summary>
public sealed class PromptOptimization
{
    /// <summary>The model the prompt was optimized for, as a <c>model_id</c> (<c>bedrock/amazon.nova-pro-v1:0</c>).</summary>
    public string TargetModel { get; set; } = string.Empty;

    public string? Region { get; set; }

    /// <summary>The prompt as given.</summary>
    public string Original { get; set; } = string.Empty;

    /// <summary>The prompt as the service rewrote it for the target model.</summary>
    public string Optimized { get; set; } = string.Empty;

    /// <summary>What the service said about the original prompt before rewriting it; null when it said nothing.</summary>
    public string? Analysis { get; set; }

    public override string ToString() => Optimized;
}
