using System.ClientModel;
using System.ClientModel.Primitives;
using Azure.AI.OpenAI;
using Eval360.Providers.OpenAI;

namespace Eval360.Providers.Azure;

/// <summary>
/// <c>azure/&lt;deployment&gt;</c>: an Azure OpenAI deployment through the official Azure.AI.OpenAI client — its
/// <c>/openai/deployments/{name}</c> paths, <c>api-key</c> header and <c>api-version</c> — over the OpenAI chat client,
/// which reads the stream. The endpoint is the profile's, else <c>AZURE_OPENAI_ENDPOINT</c>; any <c>api_version</c>
/// works, not only the ones the SDK knows (the query parameter is set on each request).
/// </summary>
internal sealed class AzureProvider : ModelProvider
{
    private const string EndpointVariable = "AZURE_OPENAI_ENDPOINT";

    public static AzureProvider Instance { get; } = new();

    public override ProviderTraits Traits { get; } = new("azure") { KeyVariables = ["AZURE_OPENAI_API_KEY", "AZURE_API_KEY"] };

    public override IModelClient CreateClient(ModelProfile profile, ProviderContext context)
    {
        var key = RequireKey(profile, context.Credentials);
        var endpointText = profile.Endpoint?.AbsoluteUri ?? context.Credentials.Setting(EndpointVariable)
            ?? throw new ProviderException(FailureKind.Auth, $"no endpoint for {profile.ModelId}: set the profile's endpoint or {EndpointVariable} (https://<resource>.openai.azure.com/)");
        if (!Uri.TryCreate(endpointText, UriKind.Absolute, out var endpoint))
        {
            throw new ProviderException(FailureKind.Validation, $"{EndpointVariable} is not an absolute URL");
        }

        var options = OpenAIChatClient.Configure(new AzureOpenAIClientOptions(AzureOpenAIClientOptions.ServiceVersion.V2024_10_21), context.Http);
        if (profile.ApiVersion is not null)
        {
            options.AddPolicy(new ApiVersionPolicy(profile.ApiVersion), PipelinePosition.PerCall);
        }

        var client = new AzureOpenAIClient(endpoint, new ApiKeyCredential(key), options).GetChatClient(profile.Model);
        return new OpenAIChatClient(client, profile.Model, endpoint, useMaxCompletionTokens: false, context.Http, context.Time, context.Redact);
    }

    /// <summary>Sets the request's <c>api-version</c> query parameter to the profile's.</summary>
    private sealed class ApiVersionPolicy(string version) : PipelinePolicy
    {
        public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            Apply(message);
            ProcessNext(message, pipeline, currentIndex);
        }

        public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            Apply(message);
            return ProcessNextAsync(message, pipeline, currentIndex);
        }

        private void Apply(PipelineMessage message)
        {
            var uri = message.Request.Uri!;
            var query = System.Web.HttpUtility.ParseQueryString(uri.Query);
            query["api-version"] = version;
            message.Request.Uri = new UriBuilder(uri) { Query = query.ToString() }.Uri;
        }
    }
}
