using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;

namespace Eval360.Providers.Bedrock;

/// <summary>
/// How a Bedrock request says who sends it: a SigV4 signature (service <c>bedrock</c>) with credentials from the AWS
/// SDK's chain, made afresh for every attempt; or an Amazon Bedrock API key (<c>AWS_BEARER_TOKEN_BEDROCK</c>) sent as
/// <c>Authorization: Bearer</c>, which the AWS SDKs prefer to SigV4 for Bedrock Runtime when the variable is set. API keys
/// cover Bedrock Runtime only: Agents for Bedrock Runtime (prompt optimization) always signs.
/// </summary>
internal abstract class BedrockAuthorization
{
    /// <summary>The variable holding an Amazon Bedrock API key, as the AWS SDKs name it.</summary>
    public const string BearerTokenVariable = "AWS_BEARER_TOKEN_BEDROCK";

    private const string SigningService = "bedrock";

    /// <summary>What the request proves itself with, for messages (<c>SigV4</c> or <c>an Amazon Bedrock API key</c>).</summary>
    public abstract string Scheme { get; }

    /// <summary>Adds the authorization headers to <paramref name="message"/>, whose JSON body is <paramref name="body"/>.</summary>
    public abstract Task AuthorizeAsync(HttpRequestMessage message, byte[] body, CancellationToken cancellationToken);

    public static BedrockAuthorization SigV4(AwsCredentialSource credentials, RegionEndpoint region, Func<string, string> redact) =>
        new Signature(credentials, region, redact);

    /// <param name="token">Registered with the run's redactor already (<see cref="Credentials.Get"/>).</param>
    public static BedrockAuthorization Bearer(string token) => new BearerToken(token);

    private sealed class Signature(AwsCredentialSource credentials, RegionEndpoint region, Func<string, string> redact) : BedrockAuthorization
    {
        public override string Scheme => "SigV4";

        public override async Task AuthorizeAsync(HttpRequestMessage message, byte[] body, CancellationToken cancellationToken)
        {
            var signing = await credentials.GetAsync(cancellationToken).ConfigureAwait(false);
            var unsigned = new AWSSigningRequest { HttpMethod = message.Method, RequestUri = message.RequestUri, Content = body };
            unsigned.Headers["Content-Type"] = "application/json";
            var parameters = new AWSSigV4Parameters { Credentials = signing, Region = region, Service = SigningService };
            AWSSigningResult signature;
            try
            {
                signature = await AWSSigV4Signer.SignAsync(unsigned, parameters, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ArgumentException or AmazonClientException)
            {
                throw new ProviderException(FailureKind.Auth, redact($"the request could not be signed: {e.Message}"), inner: e);
            }

            foreach (var (name, value) in signature.Headers)
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }
    }

    private sealed class BearerToken(string token) : BedrockAuthorization
    {
        public override string Scheme => "an Amazon Bedrock API key";

        public override Task AuthorizeAsync(HttpRequestMessage message, byte[] body, CancellationToken cancellationToken)
        {
            message.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            return Task.CompletedTask;
        }
    }
}
