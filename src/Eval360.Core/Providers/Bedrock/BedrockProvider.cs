using Eval360.Configuration;

namespace Eval360.Providers.Bedrock;

/// <summary>
/// <c>bedrock/</c>: Amazon Bedrock's Converse API in the profile's region, signed with SigV4 (the AWS SDK's credential
/// chain, no key variables), temperatures up to 1, and a service tier per profile.
/// </summary>
internal sealed class BedrockProvider : ModelProvider
{
    public static BedrockProvider Instance { get; } = new();

    public override ProviderTraits Traits { get; } = new("bedrock") { MaxTemperature = 1.0, RequiresRegion = true };

    public override IModelClient CreateClient(ModelProfile profile, ProviderContext context) =>
        BedrockConverseClient.Create(profile, context.Credentials, context.Http, context.Time);

    /// <summary>A profile that names no service tier is tried in every tier; one that names a tier, in that one.</summary>
    public override IEnumerable<ModelProfile> CapabilityTargets(ModelProfile profile) =>
        profile.ServiceTier is null
            ? ProfileFile.ServiceTiers.Select(tier => profile with { ServiceTier = tier == "default" ? null : tier })
            : [profile];
}
