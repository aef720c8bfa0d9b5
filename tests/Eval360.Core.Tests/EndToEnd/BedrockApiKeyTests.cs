using Eval360.Execution;
using Eval360.FakeProviders;
using Eval360.Providers.Bedrock;

namespace Eval360.Tests.EndToEnd;

/// <summary>
/// Amazon Bedrock API keys: <c>AWS_BEARER_TOKEN_BEDROCK</c> (here from <c>.env</c>) authorises Converse as
/// <c>Authorization: Bearer</c> with no SigV4 signature, as the AWS SDKs do; prompt optimization, which API keys do not
/// cover, still signs; and the key reaches no file or message.
/// </summary>
public sealed class BedrockApiKeyTests
{
    private const string Token = "bedrock-api-key-ABSKQmVkcm9ja0FQSUtleS1leGFtcGxlMDEyMzQ1Njc4OQ==";
    private const string Model = "amazon.nova-lite-v1:0";

    private static ModelProfile Profile(FakeBedrockServer fake, string model = Model, ProfileRole role = ProfileRole.Candidate) => new()
    {
        ModelId = $"bedrock/{model}",
        Provider = BedrockProvider.Instance.Traits,
        Model = model,
        Role = role,
        Region = "us-east-1",
        InputCostPer1K = 0.001,
        OutputCostPer1K = 0.002,
        Endpoint = fake.Origin,
    };

    private static Task<FakeBedrockServer> StartAsync() => FakeBedrockServer.StartAsync(new FakeBedrockOptions
    {
        AccessKeyId = AwsTestCredentials.AccessKeyId,
        SecretAccessKey = AwsTestCredentials.SecretAccessKey,
        SessionToken = AwsTestCredentials.SessionToken,
        BearerToken = Token,
    });

    [Fact]
    public async Task With_an_api_key_every_converse_call_carries_the_bearer_token_and_no_signature()
    {
        await using var harness = await BenchmarkHarness.StartAsync();
        await using var bedrock = await StartAsync();
        harness.DotEnv($"AWS_BEARER_TOKEN_BEDROCK={Token}\n");

        // A server that quotes the key back in its error: the message is kept, the key masked.
        bedrock.Behaviors["leaky.model-v1:0"] = new ModelBehavior { Status = 500, ErrorMessage = $"could not check the key {Token}" };
        var run = await harness.RunAsync([BenchmarkHarness.Scenario()], [Profile(bedrock), Profile(bedrock, "leaky.model-v1:0")],
            [Profile(bedrock, "judge.model-v1:0", ProfileRole.Judge)], BenchmarkHarness.Options());

        var leaky = Assert.Single(run.Warnings, w => w.Id == "ModelInaccessible");
        Assert.Contains("could not check the key ***", leaky.Message);
        var result = run.Single();
        Assert.True(result.Status == "Succeeded", $"{result.ErrorCode}: {result.ErrorMessage}");
        Assert.True(result.Passed);
        var converse = bedrock.Requests.Where(r => r.Operation == "converse-stream" && r.ModelId != "leaky.model-v1:0").ToList();
        Assert.Equal(4, converse.Count); // two probes, the answer, the judge
        Assert.All(converse, r =>
        {
            Assert.Equal(("Bearer", true), (r.AuthScheme, r.BearerAccepted));
            Assert.Equal($"Bearer {Token}", r.Headers["Authorization"]);
            Assert.False(r.Headers.ContainsKey("X-Amz-Date"));
            Assert.False(r.Headers.ContainsKey("X-Amz-Security-Token"));
            Assert.False(r.Headers.ContainsKey("X-Amz-Content-SHA256"));
            Assert.Null(r.AccessKeyId);
        });
        AssertNowhere(Token, run);
    }

    [Fact]
    public async Task Prompt_optimization_signs_with_sigv4_even_when_converse_uses_the_api_key()
    {
        await using var harness = await BenchmarkHarness.StartAsync();
        await using var bedrock = await StartAsync();
        harness.DotEnv($"AWS_BEARER_TOKEN_BEDROCK={Token}\n");
        var run = await harness.RunAsync([BenchmarkHarness.Scenario()], [Profile(bedrock)], [],
            BenchmarkHarness.Options() with { LatencyOnly = true, PromptOptimization = PromptOptimizationMode.OptimizeOnly });

        Assert.Equal("optimized", run.Single().PromptVariant);
        var optimization = Assert.Single(bedrock.Requests, r => r.Operation == "optimize-prompt");
        Assert.Equal(("SigV4", true), (optimization.AuthScheme, optimization.SignatureVerified));
        Assert.All(bedrock.Requests.Where(r => r.Operation == "converse-stream"), r => Assert.Equal("Bearer", r.AuthScheme));
        AssertNowhere(Token, run);
    }

    [Fact]
    public async Task A_refused_api_key_leaves_the_model_out_saying_auth_and_never_quoting_the_key()
    {
        await using var harness = await BenchmarkHarness.StartAsync();
        await using var bedrock = await StartAsync();
        const string Wrong = "bedrock-api-key-ABSKV3JvbmdLZXlGb3JUaGVGYWtlQmVkcm9jazAxMjM0NTY3ODk=";
        harness.DotEnv($"AWS_BEARER_TOKEN_BEDROCK={Wrong}\n");
        var e = await Assert.ThrowsAsync<BenchmarkException>(() => harness.RunAsync([BenchmarkHarness.Scenario()], [Profile(bedrock)], [],
            BenchmarkHarness.Options() with { LatencyOnly = true }));

        Assert.Matches("auth: HTTP 403 UnrecognizedClientException", e.Message);
        Assert.DoesNotContain(Wrong, e.Message);
        Assert.Equal(("Bearer", false), (bedrock.Requests[0].AuthScheme, bedrock.Requests[0].BearerAccepted));
        foreach (var file in Directory.EnumerateFiles(harness.WorkingDirectory, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".env", StringComparison.Ordinal)))
        {
            Assert.DoesNotContain(Wrong, File.ReadAllText(file));
        }
    }

    private static void AssertNowhere(string secret, RunResult run)
    {
        foreach (var file in Directory.EnumerateFiles(run.Outcome.Directory.Path, "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain(secret, File.ReadAllText(file));
        }

        Assert.All(run.Warnings, w => Assert.DoesNotContain(secret, w.Message));
    }
}
