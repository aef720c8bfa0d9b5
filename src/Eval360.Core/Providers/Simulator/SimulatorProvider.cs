namespace Eval360.Providers.Simulator;

/// <summary><c>sim/</c>: the built-in simulator, no key and no network; everything it reports is marked simulated.</summary>
internal sealed class SimulatorProvider : ModelProvider
{
    public static SimulatorProvider Instance { get; } = new();

    public override ProviderTraits Traits { get; } = new("sim") { Simulated = true };

    public override IModelClient CreateClient(ModelProfile profile, ProviderContext context) =>
        new SimulatedModelClient(profile.Model, context.Time);
}
