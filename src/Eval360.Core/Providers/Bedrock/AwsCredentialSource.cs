using Amazon.Runtime;
using Amazon.Runtime.Credentials;

namespace Eval360.Providers.Bedrock;

/// <summary>
/// AWS credentials for Bedrock, found once per client: the AWS SDK's default chain (environment variables, the shared
/// config and credentials files with their profiles, SSO and <c>credential_process</c>, web identity, container and
/// instance metadata), which refreshes temporary credentials itself. Keys written only in a <c>.env</c> file count too,
/// below the process environment and above the profiles — where the seed's boto3 found them once <c>load_dotenv</c> had
/// run. Every secret handed out is registered with the <see cref="SecretRedactor"/> before it signs anything.
/// </summary>
internal sealed class AwsCredentialSource
{
    private const string AccessKeyVariable = "AWS_ACCESS_KEY_ID";
    private const string SecretKeyVariable = "AWS_SECRET_ACCESS_KEY";
    private const string SessionTokenVariable = "AWS_SESSION_TOKEN";

    private readonly Lazy<Task<AWSCredentials>> _source;
    private readonly SecretRedactor _redactor;
    private readonly string _modelId;
    private ImmutableCredentials? _registered;

    /// <param name="processEnvironment">What the SDK's chain will read (the real process environment unless a test says otherwise).</param>
    public AwsCredentialSource(string modelId, Credentials credentials, Func<string, string?>? processEnvironment = null)
    {
        _modelId = modelId;
        _redactor = credentials.Redactor;
        // On the pool: the SDK's chain may block while it looks (instance metadata), and a caller must be able to give up.
        _source = new Lazy<Task<AWSCredentials>>(() => Task.Run(() => FindAsync(credentials, processEnvironment ?? Environment.GetEnvironmentVariable)));
    }

    /// <summary>The credentials to sign the next request with; throws an <see cref="FailureKind.Auth"/> failure when there are none.</summary>
    public async Task<AWSCredentials> GetAsync(CancellationToken cancellationToken)
    {
        ImmutableCredentials current;
        try
        {
            var source = await _source.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
            current = await source.GetCredentialsAsync().WaitAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new AmazonClientException("the credentials resolved to nothing (anonymous)");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new ProviderException(FailureKind.Auth, _redactor.Redact(
                $"no usable AWS credentials for {_modelId}: set {AccessKeyVariable} and {SecretKeyVariable} (in the environment or .env), " +
                $"or AWS_PROFILE for a shared profile (after 'aws sso login' for SSO). The AWS SDK said: {Shorten(e.Message)}"), inner: e);
        }

        if (!ReferenceEquals(current, Volatile.Read(ref _registered)))
        {
            _redactor.Add(current.SecretKey);
            if (current.UseToken)
            {
                _redactor.Add(current.Token);
            }

            Volatile.Write(ref _registered, current);
        }

        // Signing with exactly what was registered: a refreshing source could hand the signer newer keys otherwise.
        return current.UseToken
            ? new SessionAWSCredentials(current.AccessKey, current.SecretKey, current.Token)
            : new BasicAWSCredentials(current.AccessKey, current.SecretKey);
    }

    /// <summary>Keys that only a <c>.env</c> file holds; null when the process environment has its own or there are none.</summary>
    internal static AWSCredentials? FromDotEnv(Credentials credentials, Func<string, string?> processEnvironment)
    {
        if (!string.IsNullOrEmpty(processEnvironment(AccessKeyVariable)))
        {
            // The SDK's environment provider reads these itself, first.
            return null;
        }

        var accessKey = credentials.Get(AccessKeyVariable);
        var secretKey = credentials.Get(SecretKeyVariable);
        if (accessKey is null || secretKey is null)
        {
            return null;
        }

        var token = credentials.Get(SessionTokenVariable);
        return token is null ? new BasicAWSCredentials(accessKey, secretKey) : new SessionAWSCredentials(accessKey, secretKey, token);
    }

    private static async Task<AWSCredentials> FindAsync(Credentials credentials, Func<string, string?> processEnvironment) =>
        FromDotEnv(credentials, processEnvironment)
        ?? await DefaultAWSCredentialsIdentityResolver.GetCredentialsAsync().ConfigureAwait(false)
        ?? throw new AmazonClientException("the default credential chain found nothing");

    private static string Shorten(string text)
    {
        var oneLine = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return oneLine.Length <= 400 ? oneLine : oneLine[..400] + "…";
    }
}
