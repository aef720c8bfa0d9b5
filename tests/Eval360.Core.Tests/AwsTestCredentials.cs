using System.Runtime.CompilerServices;
using Eval360.FakeProviders;

namespace Eval360.Tests;

/// <summary>
/// The AWS key pair of the whole test process. The fake Bedrock servers expect it, and the real AWS SDK credential chain
/// finds it where it finds a user's: in <c>AWS_ACCESS_KEY_ID</c>, <c>AWS_SECRET_ACCESS_KEY</c> and <c>AWS_SESSION_TOKEN</c>.
/// </summary>
internal static class AwsTestCredentials
{
    public const string AccessKeyId = "AKIAEVAL360TESTKEY01";

    public const string SecretAccessKey = "Eval360TestSecret/0123456789abcdefghijKL";

    public const string SessionToken = "Eval360TestSessionToken0123456789abcdefghijklmnopqrstuvwxyz==";

    /// <summary>Set before any test runs, so the SDK's chain (which caches what it finds) never sees anything else.</summary>
    [ModuleInitializer]
    internal static void Initialize()
    {
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", AccessKeyId);
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", SecretAccessKey);
        Environment.SetEnvironmentVariable("AWS_SESSION_TOKEN", SessionToken);

        // Should the chain ever look past the environment, it must not call the instance metadata service.
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
    }

    /// <summary>A fake Bedrock that knows this process's key pair (or, with <paramref name="secret"/>, another secret).</summary>
    public static Task<FakeBedrockServer> StartFakeAsync(string? secret = null) => FakeBedrockServer.StartAsync(new FakeBedrockOptions
    {
        AccessKeyId = AccessKeyId,
        SecretAccessKey = secret ?? SecretAccessKey,
        SessionToken = SessionToken,
    });
}
