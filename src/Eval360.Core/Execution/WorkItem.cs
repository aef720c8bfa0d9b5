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

    public string PromptVariant { get; init; } = "original";

    public string Prompt => Scenario.Prompt;

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
