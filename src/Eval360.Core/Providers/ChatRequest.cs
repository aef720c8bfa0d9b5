using Eval360.Configuration;

namespace Eval360.Providers;

/// <summary>What one call to a model asks for. Provider clients translate it into their wire format.</summary>
public sealed record ChatRequest
{
    public required string Prompt { get; init; }

    public string? SystemPrompt { get; init; }

    internal ImageReference? Image { get; init; }

    public double? Temperature { get; init; }

    public required int MaxOutputTokens { get; init; }

    /// <summary>When set, ask for JSON that fits this schema (structured output) where the provider supports it.</summary>
    public StructuredOutput? ResponseFormat { get; init; }

    /// <summary>What only the built-in simulator reads; real providers never receive it.</summary>
    public SimulationHint? Simulation { get; init; }
}

/// <summary>A JSON schema the reply must follow, with the name providers require.</summary>
public sealed record StructuredOutput(string Name, BinaryData Schema);

/// <summary>
/// Lets the simulator behave like a model of a given quality: it varies deterministically per work item
/// (<paramref name="Seed"/>) and "knows" the scenario's reference answer, which it degrades by the model's quality.
/// </summary>
public sealed record SimulationHint(int Seed, string Reference);
