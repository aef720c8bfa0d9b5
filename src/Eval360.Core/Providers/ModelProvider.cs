namespace Eval360.Providers;

/// <summary>
/// One provider's registration, the only place that knows it: the traits its profiles are read against (prefix, key
/// variables, limits), how its client is built, which targets a capability check tries, and what a failed probe says
/// about one of its models. <see cref="ProviderSet.All"/> lists every registration.
/// </summary>
internal abstract class ModelProvider
{
    public abstract ProviderTraits Traits { get; }

    /// <summary>
    /// Builds the client for a profile. Throws a <see cref="ProviderException"/> when it cannot be built (no key, no
    /// region): the provider set turns it into a client whose every call fails with that reason.
    /// </summary>
    public abstract IModelClient CreateClient(ModelProfile profile, ProviderContext context);

    /// <summary>Whether the provider rewrites prompts for its models (Bedrock's prompt optimization); see <see cref="CreateOptimizer"/>.</summary>
    public virtual bool OptimizesPrompts => false;

    /// <summary>
    /// The client of the provider's prompt optimization for a profile's model: it streams the provider's analysis of the
    /// prompt as reasoning and the optimized prompt as the answer. Only for providers that <see cref="OptimizesPrompts"/>;
    /// throws a <see cref="ProviderException"/> when it cannot be built, as <see cref="CreateClient"/> does.
    /// </summary>
    public virtual IModelClient CreateOptimizer(ModelProfile profile, ProviderContext context) =>
        throw new ProviderException(FailureKind.Validation, $"{profile.ModelId}: {Traits.Prefix}/ models have no prompt optimization");

    /// <summary>What <c>Test-Eval360ModelCapability</c> tries for a profile: the profile as written, unless the provider knows variants.</summary>
    public virtual IEnumerable<ModelProfile> CapabilityTargets(ModelProfile profile) => [profile];

    /// <summary>What a failed probe of one of this provider's models says about it; <see cref="ProbeFindings.Of"/> unless the provider knows better.</summary>
    public virtual ProbeFinding Classify(ProviderException failure, ModelProfile profile) => ProbeFindings.Of(failure);

    /// <summary>The profile's key (its <c>api_key_env</c>, else the provider's usual variables), or an <see cref="FailureKind.Auth"/> failure naming where to put it.</summary>
    protected static string RequireKey(ModelProfile profile, Credentials credentials) =>
        credentials.KeyFor(profile) ?? throw new ProviderException(FailureKind.Auth,
            $"no API key for {profile.ModelId}: set {profile.ApiKeyEnv ?? string.Join(" or ", profile.Provider.KeyVariables)} in the environment or in .env");

    /// <summary>The profile's <c>endpoint</c>, else the provider's default.</summary>
    protected static Uri EndpointOf(ModelProfile profile) =>
        profile.Endpoint ?? profile.Provider.DefaultEndpoint
        ?? throw new ProviderException(FailureKind.Validation, $"{profile.ModelId} needs an endpoint: set the profile's \"endpoint\"");
}

/// <summary>What every client of a run shares: the credentials (and their redactor), one HTTP connection pool, and the clock.</summary>
internal sealed record ProviderContext(Credentials Credentials, HttpClient Http, TimeProvider Time)
{
    public Func<string, string> Redact => Credentials.Redactor.Redact;
}
