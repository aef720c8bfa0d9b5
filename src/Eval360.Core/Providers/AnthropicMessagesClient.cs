namespace Eval360.Providers;

/// <summary>Anthropic's Messages API (<c>anthropic/</c>): not implemented yet; every call fails with the reason.</summary>
internal static class AnthropicMessagesClient
{
    public static IModelClient Create(ModelProfile profile, Credentials credentials, HttpClient http, TimeProvider time) =>
        throw new ProviderException(FailureKind.Validation, $"{profile.Traits.Prefix}/ models are not supported by this version of Eval360 yet");
}
