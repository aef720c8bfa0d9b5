namespace Eval360.Providers.Anthropic;

/// <summary><c>anthropic/</c>: Anthropic's Messages API, keyed by <c>ANTHROPIC_API_KEY</c>, temperatures up to 1.</summary>
internal sealed class AnthropicProvider : ModelProvider
{
    public static AnthropicProvider Instance { get; } = new();

    public override ProviderTraits Traits { get; } = new("anthropic")
    {
        MaxTemperature = 1.0,
        DefaultEndpoint = new Uri("https://api.anthropic.com/"),
        KeyVariables = ["ANTHROPIC_API_KEY"],
    };

    public override IModelClient CreateClient(ModelProfile profile, ProviderContext context) =>
        new AnthropicMessagesClient(profile.Model, EndpointOf(profile), RequireKey(profile, context.Credentials), context.Http, context.Time, context.Redact);
}
