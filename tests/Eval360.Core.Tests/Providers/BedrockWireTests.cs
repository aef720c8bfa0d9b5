using System.Text;
using Amazon.Runtime;
using Eval360.Calls;
using Eval360.FakeProviders;
using Eval360.Providers;
using Eval360.Providers.Bedrock;

namespace Eval360.Tests.Providers;

/// <summary>The Bedrock client's pieces on their own: the event reader, error classification, credentials, redaction; and the fake's signature check.</summary>
public sealed class BedrockWireTests
{
    private static byte[] Event(string type, string json) => BedrockEventStream.Event(type, Encoding.UTF8.GetBytes(json));

    private static async Task<List<ChatChunk>> ReadAsync(params byte[][] messages)
    {
        var chunks = new List<ChatChunk>();
        using var stream = new MemoryStream(messages.SelectMany(m => m).ToArray());
        await foreach (var chunk in BedrockEventReader.ReadAsync(stream, sentImage: false, s => s, CancellationToken.None))
        {
            chunks.Add(chunk);
        }

        return chunks;
    }

    private static readonly byte[] Start = Event("messageStart", """{"role":"assistant","p":"abc"}""");
    private static readonly byte[] Stop = Event("messageStop", """{"stopReason":"end_turn","p":"ab"}""");
    private static readonly byte[] Metadata = Event("metadata", """{"usage":{"inputTokens":11,"outputTokens":2,"totalTokens":13},"metrics":{"latencyMs":120},"p":"a"}""");

    [Fact]
    public async Task Text_reasoning_and_tool_input_deltas_the_stop_reason_and_usage_become_chunks()
    {
        var chunks = await ReadAsync(
            Start,
            Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"reasoningContent":{"text":"hmm"}},"p":"x"}"""),
            Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"reasoningContent":{"signature":"c2ln"}}}"""),
            Event("contentBlockStop", """{"contentBlockIndex":0}"""),
            Event("contentBlockDelta", """{"contentBlockIndex":1,"delta":{"text":"Hel"}}"""),
            Event("contentBlockDelta", """{"contentBlockIndex":1,"delta":{"text":"lo"}}"""),
            Event("contentBlockStart", """{"contentBlockIndex":2,"start":{"toolUse":{"toolUseId":"t1","name":"verdict"}}}"""),
            Event("contentBlockDelta", """{"contentBlockIndex":2,"delta":{"toolUse":{"input":"{\"a\":"}}}"""),
            Event("contentBlockDelta", """{"contentBlockIndex":2,"delta":{"toolUse":{"input":"1}"}}}"""),
            Event("someFutureEvent", """{"whatever":[1,2,3]}"""),
            Stop,
            Metadata);
        Assert.Equal(
            [ChatChunk.Reasoning("hmm"), ChatChunk.Answer("Hel"), ChatChunk.Answer("lo"), ChatChunk.Answer("{\"a\":"), ChatChunk.Answer("1}"),
             ChatChunk.Finish("end_turn"), ChatChunk.Usage(11, 2), ChatChunk.End],
            chunks);
    }

    [Fact]
    public async Task A_stream_without_metadata_still_ends_and_one_without_message_stop_is_interrupted()
    {
        var chunks = await ReadAsync(Start, Event("contentBlockDelta", """{"delta":{"text":"x"}}"""), Stop);
        Assert.Equal([ChatChunk.Answer("x"), ChatChunk.Finish("end_turn"), ChatChunk.End], chunks);

        var e = await Assert.ThrowsAsync<ProviderException>(() => ReadAsync(Start, Event("contentBlockDelta", """{"delta":{"text":"x"}}""")));
        Assert.Equal(FailureKind.StreamInterrupted, e.Kind);
    }

    [Fact]
    public async Task A_message_cut_in_half_is_an_interruption_and_a_bad_checksum_is_an_invalid_response()
    {
        var cut = await Assert.ThrowsAsync<ProviderException>(() => ReadAsync(Start, Stop[..(Stop.Length - 5)]));
        Assert.Equal(FailureKind.StreamInterrupted, cut.Kind);

        var corrupt = (byte[])Stop.Clone();
        corrupt[20] ^= 0x40;
        var bad = await Assert.ThrowsAsync<ProviderException>(() => ReadAsync(Start, corrupt));
        Assert.Equal(FailureKind.InvalidResponse, bad.Kind);
        Assert.Contains("Checksum", bad.Message, StringComparison.OrdinalIgnoreCase);

        var garbage = await Assert.ThrowsAsync<ProviderException>(() => ReadAsync(Encoding.UTF8.GetBytes("<html>not an event stream</html>")));
        Assert.Equal(FailureKind.InvalidResponse, garbage.Kind);
    }

    [Theory]
    [InlineData("throttlingException", "Too many tokens", FailureKind.Throttled)]
    [InlineData("modelStreamErrorException", "stream broke", FailureKind.StreamInterrupted)]
    [InlineData("internalServerException", "oops", FailureKind.Server)]
    [InlineData("serviceUnavailableException", "busy", FailureKind.Overloaded)]
    [InlineData("validationException", "Input is too long", FailureKind.Validation)]
    [InlineData("validationException", "Output blocked by content filtering policy", FailureKind.ContentFilter)]
    public async Task Exception_events_are_classified_by_their_type(string type, string message, FailureKind expected)
    {
        var e = await Assert.ThrowsAsync<ProviderException>(() => ReadAsync(Start,
            BedrockEventStream.Exception(type, Encoding.UTF8.GetBytes($$"""{"message":"{{message}}"}"""))));
        Assert.Equal(expected, e.Kind);
        Assert.Contains(type, e.Message);
        Assert.Contains(message, e.Message);
    }

    [Theory]
    [InlineData("ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/", 429, FailureKind.Throttled)]
    [InlineData("ModelNotReadyException", 429, FailureKind.Overloaded)]
    [InlineData("ServiceUnavailableException", 503, FailureKind.Overloaded)]
    [InlineData("InternalServerException", 500, FailureKind.Server)]
    [InlineData("ModelErrorException", 424, FailureKind.Server)]
    [InlineData("ModelTimeoutException", 408, FailureKind.Timeout)]
    [InlineData("AccessDeniedException", 403, FailureKind.Auth)]
    [InlineData("com.amazon.coral.service#UnrecognizedClientException", 403, FailureKind.Auth)]
    [InlineData("InvalidSignatureException", 403, FailureKind.Auth)]
    [InlineData("ExpiredTokenException", 403, FailureKind.Auth)]
    [InlineData("ResourceNotFoundException", 404, FailureKind.NotFound)]
    [InlineData("ValidationException", 400, FailureKind.Validation)]
    [InlineData(null, 429, FailureKind.Throttled)]
    [InlineData(null, 502, FailureKind.Server)]
    [InlineData("SomethingNewException", 503, FailureKind.Server)]
    public void Http_errors_are_classified_by_exception_name_then_status(string? type, int status, FailureKind expected) =>
        Assert.Equal(expected, BedrockErrors.Classify(type, status, "message", sentImage: false));

    [Fact]
    public void A_validation_error_about_the_image_is_unsupported_input_only_when_an_image_was_sent()
    {
        Assert.Equal(FailureKind.UnsupportedInput, BedrockErrors.Classify("ValidationException", 400, "This model doesn't support image input.", sentImage: true));
        Assert.Equal(FailureKind.Validation, BedrockErrors.Classify("ValidationException", 400, "This model doesn't support image input.", sentImage: false));
    }

    [Theory]
    [InlineData("end_turn", null)]
    [InlineData("tool_use", null)]
    [InlineData("max_tokens", null)]
    [InlineData("stop_sequence", null)]
    [InlineData("model_context_window_exceeded", null)]
    [InlineData("guardrail_intervened", FailureKind.ContentFilter)]
    [InlineData("content_filtered", FailureKind.ContentFilter)]
    [InlineData("malformed_model_output", FailureKind.InvalidResponse)]
    [InlineData("malformed_tool_use", FailureKind.InvalidResponse)]
    public void Bedrock_stop_reasons_are_known(string reason, FailureKind? expected) =>
        Assert.Equal(expected, FinishReasons.Classify(reason));

    [Fact]
    public async Task No_aws_secret_or_session_token_reaches_an_error_message()
    {
        await using var bedrock = await AwsTestCredentials.StartFakeAsync();
        bedrock.DefaultBehavior = new ModelBehavior
        {
            Status = 500,
            ErrorMessage = $"Internal error while checking {AwsTestCredentials.SecretAccessKey} and {AwsTestCredentials.SessionToken}",
        };
        var redactor = new SecretRedactor();
        var profile = new ModelProfile { ModelId = "bedrock/leaky", Provider = BedrockProvider.Instance.Traits, Model = "leaky", Region = "eu-west-3", Endpoint = bedrock.Origin };
        using var http = new HttpClient();
        var client = BedrockProvider.Instance.CreateClient(profile, new ProviderContext(new Credentials(null, redactor), http, TimeProvider.System));

        var e = await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (var _ in client.StreamAsync(new ChatRequest { Prompt = "Hi", MaxOutputTokens = 5 }, CancellationToken.None))
            {
            }
        });

        Assert.Equal(FailureKind.Server, e.Kind);
        Assert.Equal(500, e.Status);
        Assert.Contains("Internal error while checking ***", e.Message);
        Assert.DoesNotContain(AwsTestCredentials.SecretAccessKey, e.Message);
        Assert.DoesNotContain(AwsTestCredentials.SessionToken, e.Message);
        var served = Assert.Single(bedrock.Requests);
        Assert.True(served.SignatureVerified, served.SignatureProblem);
        Assert.Equal("eu-west-3", served.Region);
    }

    [Fact]
    public void Keys_only_in_dot_env_are_used_and_registered_but_never_over_the_process_environment()
    {
        using var temp = new TempDirectory();
        temp.File(".env", "AWS_ACCESS_KEY_ID=AKIADOTENV0000000001\nAWS_SECRET_ACCESS_KEY=DotEnvSecret/0123456789abcdefghijklmnopq\nAWS_SESSION_TOKEN=DotEnvSessionToken0123456789\n");
        var noEnvironment = new Dictionary<string, string>();
        var credentials = new Credentials(temp.Path, new SecretRedactor(), name => noEnvironment.GetValueOrDefault(name));

        var fromDotEnv = AwsCredentialSource.FromDotEnv(credentials, _ => null)?.GetCredentials();
        Assert.NotNull(fromDotEnv);
        Assert.Equal(("AKIADOTENV0000000001", "DotEnvSecret/0123456789abcdefghijklmnopq", "DotEnvSessionToken0123456789"),
            (fromDotEnv.AccessKey, fromDotEnv.SecretKey, fromDotEnv.Token));
        Assert.Equal("a *** b", credentials.Redactor.Redact("a DotEnvSecret/0123456789abcdefghijklmnopq b"));

        // With a key in the process environment, the SDK's own chain reads it (and the rest) from there.
        Assert.Null(AwsCredentialSource.FromDotEnv(credentials, name => name == "AWS_ACCESS_KEY_ID" ? "AKIAFROMENVIRONMENT1" : null));
    }

    [Fact]
    public async Task The_sdk_chain_finds_the_processes_keys_and_registers_the_secrets()
    {
        var credentials = new Credentials(null, new SecretRedactor());
        var source = new AwsCredentialSource("bedrock/x", credentials);
        var found = (await source.GetAsync(CancellationToken.None)).GetCredentials();
        Assert.Equal((AwsTestCredentials.AccessKeyId, AwsTestCredentials.SecretAccessKey, AwsTestCredentials.SessionToken), (found.AccessKey, found.SecretKey, found.Token));
        Assert.IsType<SessionAWSCredentials>(await source.GetAsync(CancellationToken.None));
        Assert.Equal("*** ***", credentials.Redactor.Redact($"{AwsTestCredentials.SecretAccessKey} {AwsTestCredentials.SessionToken}"));
    }

    [Fact]
    public void A_profile_without_a_region_cannot_make_a_client()
    {
        var profile = new ModelProfile { ModelId = "bedrock/x", Provider = BedrockProvider.Instance.Traits, Model = "x" };
        using var http = new HttpClient();
        var e = Assert.Throws<ProviderException>(() => BedrockProvider.Instance.CreateClient(profile, new ProviderContext(new Credentials(null, new SecretRedactor()), http, TimeProvider.System)));
        Assert.Contains("region", e.Message);
    }

    [Fact]
    public async Task The_fakes_non_streaming_converse_answers_in_one_json_document()
    {
        await using var bedrock = await AwsTestCredentials.StartFakeAsync();
        bedrock.DefaultBehavior = new ModelBehavior { TokenCount = 3, UsagePromptTokens = 9 };
        var uri = new Uri(bedrock.Origin, "model/amazon.nova-lite-v1%3A0/converse");
        var body = """{"messages":[{"role":"user","content":[{"text":"Hi"}]}],"inferenceConfig":{"maxTokens":50}}"""u8.ToArray();
        var unsigned = new Amazon.Runtime.Signing.AWSSigningRequest { HttpMethod = HttpMethod.Post, RequestUri = uri, Content = body };
        unsigned.Headers["Content-Type"] = "application/json";
        var signed = await Amazon.Runtime.Signing.AWSSigV4Signer.SignAsync(unsigned, new Amazon.Runtime.Signing.AWSSigV4Parameters
        {
            Credentials = new SessionAWSCredentials(AwsTestCredentials.AccessKeyId, AwsTestCredentials.SecretAccessKey, AwsTestCredentials.SessionToken),
            Region = Amazon.RegionEndpoint.USEast1,
            Service = "bedrock",
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        foreach (var (name, value) in signed.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var http = new HttpClient();
        using var response = await http.SendAsync(request);
        using var reply = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = reply.RootElement;
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("tok tok tok ", root.GetProperty("output").GetProperty("message").GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal("end_turn", root.GetProperty("stopReason").GetString());
        Assert.Equal(9, root.GetProperty("usage").GetProperty("inputTokens").GetInt32());
        var served = Assert.Single(bedrock.Requests);
        Assert.Equal(("converse", "amazon.nova-lite-v1:0", "us-east-1", true), (served.Operation, served.ModelId, served.Region, served.SignatureVerified));
    }

    /// <summary>The fake's own signature check against AWS's published SigV4 test suite ("get-vanilla", "post-vanilla-query"), not against the SDK.</summary>
    [Theory]
    [InlineData("GET", "/", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")]
    [InlineData("POST", "/?Param1=value1", "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11")]
    public void The_fakes_verifier_accepts_aws_sigv4_test_vectors(string method, string target, string signature)
    {
        const string secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Host"] = "example.amazonaws.com",
            ["X-Amz-Date"] = "20150830T123600Z",
            ["Authorization"] = $"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature={signature}",
        };
        var verifier = new SigV4Verifier("AKIDEXAMPLE", secret, null, "service", TimeSpan.FromMinutes(5));
        var at = new DateTimeOffset(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);

        var result = verifier.Verify(method, target, headers.GetValueOrDefault, [], at);
        Assert.True(result.Valid, result.Message);
        Assert.Equal(("us-east-1", "service"), (result.Region, result.Service));

        headers["Authorization"] = headers["Authorization"][..^4] + "0000";
        Assert.Equal("InvalidSignatureException", verifier.Verify(method, target, headers.GetValueOrDefault, [], at).ErrorType);
        Assert.Contains("expired", verifier.Verify(method, target, headers.GetValueOrDefault, [], at.AddMinutes(6)).Message);
    }
}
