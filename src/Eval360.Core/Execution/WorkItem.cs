using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Eval360.Execution;

/// <summary>
/// One invocation to make: a scenario, a model, a temperature, an invocation number, an experiment. Its
/// <see cref="Key"/> depends only on those inputs, so the same plan gives the same keys in every process —
/// resume skips the keys its journal already holds.
/// </summary>
public sealed record WorkItem
{
    public required int Ordinal { get; init; }

    public required int Experiment { get; init; }

    public required int Invocation { get; init; }

    /// <summary>The scenario's content id, with <c>-2</c>, <c>-3</c>… when a file repeats a scenario.</summary>
    public required string ScenarioId { get; init; }

    public required Scenario Scenario { get; init; }

    public required ModelProfile Model { get; init; }

    public required double Temperature { get; init; }

    /// <summary><c>original</c> or <c>optimized</c> (<see cref="PromptVariants"/>): part of the key, so each variant is its own work item.</summary>
    public string PromptVariant { get; init; } = PromptVariants.Original;

    /// <summary>The prompt as prompt optimization rewrote it for the model; null for the original (or before optimization ran).</summary>
    public string? OptimizedPrompt { get; init; }

    /// <summary>What the model is sent: the optimized prompt when there is one, else the scenario's.</summary>
    public string Prompt => OptimizedPrompt ?? Scenario.Prompt;

    /// <summary>The scenario's image, checked once per scenario when the plan was built.</summary>
    internal Configuration.ImageReference? Image { get; init; }

    /// <summary>Computed on each use rather than kept: a plan's items are made on demand and should stay small.</summary>
    public string Key
    {
        get
        {
            var text = string.Join('|', Experiment.ToString(CultureInfo.InvariantCulture), ScenarioId, Model.Key,
                Temperature.ToString("R", CultureInfo.InvariantCulture), PromptVariant, Invocation.ToString(CultureInfo.InvariantCulture));
            return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)), 0, 10).ToLowerInvariant();
        }
    }
}
