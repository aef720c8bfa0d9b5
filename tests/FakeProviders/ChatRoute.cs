namespace Eval360.FakeProviders;

/// <summary>The URL shape a request came in on.</summary>
public enum ChatRoute
{
    /// <summary>A path the fake does not serve (answered 404); recorded to make a wrong base URL easy to see.</summary>
    Unmatched,

    /// <summary><c>POST /v1/chat/completions</c>, with <c>Authorization: Bearer</c>.</summary>
    OpenAI,

    /// <summary><c>POST /v1beta/openai/chat/completions</c>, Gemini's OpenAI-compatible endpoint.</summary>
    Gemini,

    /// <summary><c>POST /openai/deployments/{deployment}/chat/completions?api-version=…</c>, with an <c>api-key</c> header.</summary>
    AzureDeployment,

    /// <summary><c>POST /openai/v1/chat/completions</c>, Azure's v1 API (api-key or Bearer, no api-version).</summary>
    AzureV1,

    /// <summary><c>POST /v1/messages</c>, Anthropic's Messages API, with <c>x-api-key</c> and <c>anthropic-version</c>.</summary>
    AnthropicMessages,

    /// <summary><c>POST /model/{modelId}/converse-stream</c> or <c>/converse</c> on a <see cref="FakeBedrockServer"/> (SigV4).</summary>
    BedrockConverse,
}
