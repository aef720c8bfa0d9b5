using Amazon;
using Amazon.Runtime;
using Eval360.Configuration;

namespace Eval360.Providers.Bedrock;

/// <summary>
/// <c>bedrock/</c>: Amazon Bedrock's Converse API in the profile's region, signed with SigV4 (the AWS SDK's credential
/// chain, no key variables) or authorised by an Amazon Bedrock API key (<c>AWS_BEARER_TOKEN_BEDROCK</c>), temperatures up
/// to 1, a service tier per profile, and prompt optimization (Agents for Bedrock Runtime's OptimizePrompt).
/// </summary>
internal sealed class BedrockProvider : ModelProvider
{
    public static BedrockProvider Instance { get; } = new();

    public override ProviderTraits Traits { get; } = new("bedrock") { MaxTemperature = 1.0, RequiresRegion = true };

    public override bool OptimizesPrompts => true;

    /// <summary>
    /// Converse with an Amazon Bedrock API key when <c>AWS_BEARER_TOKEN_BEDROCK</c> is set (environment or <c>.env</c>),
    /// as the AWS SDKs prefer it; SigV4 otherwise.
    /// </summary>
    public override IModelClient CreateClient(ModelProfile profile, ProviderContext context)
    {
        var region = RegionOf(profile);
        var authorization = context.Credentials.Get(BedrockAuthorization.BearerTokenVariable) is { } token
            ? BedrockAuthorization.Bearer(token)
            : BedrockAuthorization.SigV4(new AwsCredentialSource(profile.ModelId, context.Credentials), region, context.Redact);
        return new BedrockConverseClient(profile, RuntimeEndpoint(profile, region), authorization, context);
    }

    /// <summary>OptimizePrompt, always signed: Amazon Bedrock API keys do not cover Agents for Bedrock Runtime.</summary>
    public override IModelClient CreateOptimizer(ModelProfile profile, ProviderContext context)
    {
        var region = RegionOf(profile);
        var authorization = BedrockAuthorization.SigV4(new AwsCredentialSource(profile.ModelId, context.Credentials), region, context.Redact);
        return new BedrockPromptOptimizer(profile, AgentRuntimeEndpoint(profile, region), authorization, context);
    }

    /// <summary>A profile that names no service tier is tried in every tier; one that names a tier, in that one.</summary>
    public override IEnumerable<ModelProfile> CapabilityTargets(ModelProfile profile) =>
        profile.ServiceTier is null
            ? ProfileFile.ServiceTiers.Select(tier => profile with { ServiceTier = tier == "default" ? null : tier })
            : [profile];

    /// <summary>
    /// Bedrock refuses a service tier a model does not offer in a region with a <c>ValidationException</c>; refusing the
    /// probe's tiny request that way at the default tier means the model cannot be called there at all (it needs an
    /// inference profile, or does not stream). Anything else is read as for every provider.
    /// </summary>
    public override ProbeFinding Classify(ProviderException failure, ModelProfile profile) => failure.Kind switch
    {
        FailureKind.Validation when profile.ServiceTier is not (null or "default") => ProbeFinding.TierRefused,
        FailureKind.Validation => ProbeFinding.Unavailable,
        _ => base.Classify(failure, profile),
    };

    /// <summary>Bedrock Runtime: the profile's <c>endpoint</c>, else <c>https://bedrock-runtime.{region}.amazonaws.com/</c> (the partition's domain).</summary>
    internal static Uri RuntimeEndpoint(ModelProfile profile, RegionEndpoint region) =>
        WithSlash(profile.Endpoint ?? new Uri($"https://bedrock-runtime.{region.SystemName}.{region.PartitionDnsSuffix}/"));

    /// <summary>
    /// Agents for Bedrock Runtime, whose host differs from Bedrock Runtime's: without an <c>endpoint</c>,
    /// <c>https://bedrock-agent-runtime.{region}.amazonaws.com/</c>; with an AWS one (<c>bedrock-runtime.…</c> or
    /// <c>bedrock-runtime-fips.…</c>), the same host with <c>bedrock-agent-runtime</c> in its place; any other endpoint
    /// (a proxy, a gateway, a local server) as it is, which then serves both.
    /// </summary>
    internal static Uri AgentRuntimeEndpoint(ModelProfile profile, RegionEndpoint region)
    {
        if (profile.Endpoint is not { } endpoint)
        {
            return new Uri($"https://bedrock-agent-runtime.{region.SystemName}.{region.PartitionDnsSuffix}/");
        }

        const string Runtime = "bedrock-runtime";
        var host = endpoint.Host;
        if (host.StartsWith(Runtime + ".", StringComparison.OrdinalIgnoreCase) || host.StartsWith(Runtime + "-fips.", StringComparison.OrdinalIgnoreCase))
        {
            endpoint = new UriBuilder(endpoint) { Host = "bedrock-agent-runtime" + host[Runtime.Length..] }.Uri;
        }

        return WithSlash(endpoint);
    }

    /// <summary>The profile's region as the AWS SDK knows it; a profile without one cannot make a client.</summary>
    private static RegionEndpoint RegionOf(ModelProfile profile)
    {
        if (string.IsNullOrWhiteSpace(profile.Region))
        {
            throw new ProviderException(FailureKind.Validation, $"{profile.ModelId} needs a region: Bedrock profiles must set \"region\"");
        }

        try
        {
            return RegionEndpoint.GetBySystemName(profile.Region.Trim());
        }
        catch (AmazonClientException e)
        {
            throw new ProviderException(FailureKind.Validation, $"{profile.ModelId}: {e.Message}", inner: e);
        }
    }

    private static Uri WithSlash(Uri endpoint) => endpoint.AbsoluteUri.EndsWith('/') ? endpoint : new Uri(endpoint.AbsoluteUri + "/");
}
