namespace Eval360.Providers;

/// <summary>Amazon Bedrock's Converse API (<c>bedrock/</c>): not implemented yet; every call fails with the reason.</summary>
internal static class BedrockConverseClient
{
    public static IModelClient Create(ModelProfile profile, Credentials credentials, HttpClient http, TimeProvider time) =>
        throw new ProviderException(FailureKind.Validation, $"{profile.Traits.Prefix}/ models are not supported by this version of Eval360 yet");
}
