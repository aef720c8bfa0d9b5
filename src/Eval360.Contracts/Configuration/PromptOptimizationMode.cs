namespace Eval360;

/// <summary>How prompts are varied by Bedrock prompt optimisation (the seed's <c>--prompt_optimization_mode</c>).</summary>
public enum PromptOptimizationMode
{
    None,
    OptimizeOnly,
    EvaluateBoth,
}
