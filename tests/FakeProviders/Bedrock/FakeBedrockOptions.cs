namespace Eval360.FakeProviders;

/// <summary>Start-up options of a <see cref="FakeBedrockServer"/>.</summary>
public sealed class FakeBedrockOptions
{
    /// <summary>The loopback port; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>The one access key id the fake knows; others are refused with <c>UnrecognizedClientException</c>.</summary>
    public string AccessKeyId { get; init; } = "AKIDEXAMPLE";

    /// <summary>The secret requests must be signed with; a wrong one gets <c>InvalidSignatureException</c>.</summary>
    public string SecretAccessKey { get; init; } = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    /// <summary>When set, requests must carry it, signed, in <c>x-amz-security-token</c>; when null any token is accepted.</summary>
    public string? SessionToken { get; init; }

    /// <summary>
    /// When set, an Amazon Bedrock API key: model requests may carry <c>Authorization: Bearer</c> with it instead of a
    /// SigV4 signature (a different bearer token is refused). <c>/optimize-prompt</c>, an Agents for Bedrock Runtime
    /// operation, takes SigV4 only, as the real service does.
    /// </summary>
    public string? BearerToken { get; init; }

    /// <summary>The signing name in the credential scope Bedrock Runtime expects.</summary>
    public string Service { get; init; } = "bedrock";

    /// <summary>How far <c>X-Amz-Date</c> may be from the fake's clock.</summary>
    public TimeSpan MaxClockSkew { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Keep a <see cref="BedrockServedRequest"/> per request (image bytes included).</summary>
    public bool RecordRequests { get; init; } = true;

    /// <summary>Recording stops (requests are still served and counted) after this many.</summary>
    public int MaxRecordedRequests { get; init; } = 100_000;

    /// <summary>See <see cref="FakeServerOptions.SpinWaitThreshold"/>.</summary>
    public TimeSpan SpinWaitThreshold { get; init; } = TimeSpan.FromMilliseconds(1);

    /// <summary>The behaviour of model ids with no entry in <see cref="Behaviors"/>.</summary>
    public ModelBehavior? DefaultBehavior { get; init; }

    /// <summary>Initial behaviours by model id (copied into <see cref="FakeBedrockServer.Behaviors"/>).</summary>
    public IReadOnlyDictionary<string, ModelBehavior>? Behaviors { get; init; }
}
