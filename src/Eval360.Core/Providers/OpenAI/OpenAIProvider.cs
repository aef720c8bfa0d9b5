namespace Eval360.Providers.OpenAI;

/// <summary>
/// The providers that speak OpenAI's Chat Completions and share its client: OpenAI itself, Gemini's OpenAI-compatible
/// endpoint, Ollama and any OpenAI-compatible server. The last two are not the providers whose keys the usual variables
/// hold, so they get a key only when the profile's <c>api_key_env</c> names one (an OpenAI key never goes to a third party).
/// </summary>
internal sealed class OpenAIProvider : ModelProvider
{
    private readonly bool _keyRequired;
    private readonly bool _useMaxCompletionTokens;

    private OpenAIProvider(ProviderTraits traits, bool keyRequired, bool useMaxCompletionTokens = false)
    {
        Traits = traits;
        _keyRequired = keyRequired;
        _useMaxCompletionTokens = useMaxCompletionTokens;
    }

    /// <summary><c>openai/</c>: the output limit as <c>max_completion_tokens</c>, which its reasoning models require.</summary>
    public static OpenAIProvider OpenAI { get; } = new(
        new("openai") { DefaultEndpoint = new Uri("https://api.openai.com/v1/"), KeyVariables = ["OPENAI_API_KEY", "OPENAI_API"] },
        keyRequired: true, useMaxCompletionTokens: true);

    public static OpenAIProvider Gemini { get; } = new(
        new("gemini") { DefaultEndpoint = new Uri("https://generativelanguage.googleapis.com/v1beta/openai/"), KeyVariables = ["GEMINI_API_KEY", "GOOGLE_API"] },
        keyRequired: true);

    public static OpenAIProvider Ollama { get; } = new(new("ollama") { DefaultEndpoint = new Uri("http://localhost:11434/v1/") }, keyRequired: false);

    public static OpenAIProvider Compatible { get; } = new(new("openai-compatible") { RequiresEndpoint = true }, keyRequired: false);

    public override ProviderTraits Traits { get; }

    public override IModelClient CreateClient(ModelProfile profile, ProviderContext context)
    {
        var key = _keyRequired ? RequireKey(profile, context.Credentials) : context.Credentials.KeyFor(profile);
        return OpenAIChatClient.ForOpenAI(profile.Model, EndpointOf(profile), key, _useMaxCompletionTokens, context.Http, context.Time, context.Redact);
    }
}
