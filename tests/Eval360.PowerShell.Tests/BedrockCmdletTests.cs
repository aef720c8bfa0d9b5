using System.Management.Automation;
using Eval360.FakeProviders;

namespace Eval360.PowerShell.Tests;

/// <summary>
/// Optimize-Eval360Prompt and Test-Eval360ModelCapability's one-model and judge-file checks, through the module as users
/// get it, against the fake Bedrock (its SigV4 check against keys the module finds in <c>.env</c>) and the fake OpenAI server.
/// </summary>
public sealed class BedrockCmdletTests : IDisposable
{
    private const string AccessKey = "AKIAEVAL360PSTESTS01";
    private const string Secret = "Eval360PowerShellTestSecret/0123456789ab";
    private const string Nova = "amazon.nova-pro-v1:0";

    private readonly HostedPowerShell _host = new();
    private readonly Scratch _scratch = new();

    public BedrockCmdletTests() => _scratch.File(".env", $"AWS_ACCESS_KEY_ID={AccessKey}\nAWS_SECRET_ACCESS_KEY={Secret}\n");

    public void Dispose()
    {
        _host.Dispose();
        _scratch.Dispose();
    }

    private static Task<FakeBedrockServer> StartBedrockAsync() =>
        FakeBedrockServer.StartAsync(new FakeBedrockOptions { AccessKeyId = AccessKey, SecretAccessKey = Secret });

    private Dictionary<string, object?> Variables(FakeBedrockServer bedrock) => new() { ["dir"] = _scratch.Path, ["endpoint"] = bedrock.Origin.AbsoluteUri };

    [Fact]
    public async Task Optimize_prompt_emits_the_original_the_optimized_prompt_and_the_analysis_for_each_piped_prompt()
    {
        await using var bedrock = await StartBedrockAsync();
        bedrock.Behaviors[Nova] = new ModelBehavior { OptimizedPrompt = "## Task\nAnswer in one word.", OptimizationAnalysis = "Adds a task heading." };
        var (output, shell) = _host.Run(
            "Set-Location $dir; 'What is the capital of France?', 'Name the largest planet.' | Optimize-Eval360Prompt -TargetModel us.amazon.nova-pro-v1:0 -Region eu-west-1 -Endpoint $endpoint",
            Variables(bedrock));

        Assert.False(shell.HadErrors, string.Join("; ", shell.Streams.Error));
        Assert.Equal(2, output.Count);
        Assert.All(output, o => Assert.Equal("Eval360.PromptOptimization", o.TypeNames[0]));
        Assert.Equal(["Name the largest planet.", "What is the capital of France?"], output.Select(o => (string)o.Properties["Original"].Value).Order());
        Assert.All(output, o =>
        {
            Assert.Equal("## Task\nAnswer in one word.", o.Properties["Optimized"].Value);
            Assert.Equal("Adds a task heading.", o.Properties["Analysis"].Value);
            Assert.Equal(("bedrock/us.amazon.nova-pro-v1:0", "eu-west-1"), ((string)o.Properties["TargetModel"].Value, (string)o.Properties["Region"].Value));
        });

        // The cross-Region inference profile is optimized for its foundation model, signed in the region for the bedrock service.
        Assert.Equal(2, bedrock.Requests.Count);
        Assert.All(bedrock.Requests, r =>
        {
            Assert.True(r.SignatureVerified, r.SignatureProblem);
            Assert.Equal(("optimize-prompt", Nova, "eu-west-1", "bedrock"), (r.Operation, r.ModelId, r.Region, r.SigningService));
        });

        // The default view fits 120 columns, and no secret reaches it.
        var text = _host.Run("Set-Location $dir; 'Hi there' | Optimize-Eval360Prompt -TargetModel amazon.nova-pro-v1:0 -Region eu-west-1 -Endpoint $endpoint | Out-String -Width 120", Variables(bedrock)).Output.Single().ToString();
        Assert.Contains("TargetModel", text);
        Assert.Contains("bedrock/amazon.nova-pro-v1:0", text);
        Assert.All(text.Split('\n'), line => Assert.True(line.TrimEnd().Length <= 120, line));
        Assert.DoesNotContain(Secret, text);
    }

    [Fact]
    public async Task A_prompt_that_cannot_be_optimized_is_a_non_terminating_error_naming_the_prompt()
    {
        await using var bedrock = await StartBedrockAsync();
        bedrock.Behaviors[Nova] = new ModelBehavior { RefuseOptimization = true };
        var (output, shell) = _host.Run(
            "Set-Location $dir; Optimize-Eval360Prompt 'one', 'two' -TargetModel bedrock/amazon.nova-pro-v1:0 -Region us-west-2 -Endpoint $endpoint",
            Variables(bedrock));

        Assert.Empty(output);
        Assert.Equal(2, shell.Streams.Error.Count);
        Assert.All(shell.Streams.Error, e =>
        {
            Assert.Equal("PromptNotOptimized,Eval360.PowerShell.Commands.OptimizeEval360PromptCommand", e.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, e.CategoryInfo.Category);
            Assert.Matches("^validation: HTTP 400 ValidationException: Prompt optimization is not supported", e.ErrorDetails.Message);
            Assert.NotNull(e.ErrorDetails.RecommendedAction);
        });
        Assert.Equal(["one", "two"], shell.Streams.Error.Select(e => (string)e.TargetObject).Order());
    }

    [Fact]
    public void A_target_that_is_not_a_bedrock_model_or_has_no_region_is_a_configuration_error()
    {
        var (caught, _) = _host.Run("Set-Location $dir; try { Optimize-Eval360Prompt 'Hi' -TargetModel openai/gpt-4o -Region us-west-2 } catch { $_ }", new Dictionary<string, object?> { ["dir"] = _scratch.Path });
        var record = (ErrorRecord)caught.Single().BaseObject;
        Assert.Equal("InvalidConfiguration,Eval360.PowerShell.Commands.OptimizeEval360PromptCommand", record.FullyQualifiedErrorId);
        Assert.Contains("prompt optimization is Amazon Bedrock's", record.Exception.Message);
        if (Environment.GetEnvironmentVariable("AWS_REGION") is { Length: > 0 } || Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION") is { Length: > 0 })
        {
            return; // the machine names a region: there is no missing one to report
        }

        var (noRegion, _) = _host.Run("Set-Location $dir; try { Optimize-Eval360Prompt 'Hi' -TargetModel amazon.nova-pro-v1:0 } catch { $_ }", new Dictionary<string, object?> { ["dir"] = _scratch.Path });
        var missing = (ErrorRecord)noRegion.Single().BaseObject;
        Assert.Equal("InvalidConfiguration,Eval360.PowerShell.Commands.OptimizeEval360PromptCommand", missing.FullyQualifiedErrorId);
        Assert.Contains("region", missing.Exception.Message);
    }

    [Fact]
    public async Task Capability_of_one_model_region_and_tier_shows_a_refused_tier_unavailable_and_writes_no_cache()
    {
        await using var bedrock = await StartBedrockAsync();
        bedrock.Behaviors[Nova] = new ModelBehavior { RefusedServiceTiers = ["flex"] };
        var (output, shell) = _host.Run(
            "Set-Location $dir; Test-Eval360ModelCapability -ModelId bedrock/amazon.nova-pro-v1:0 -Region us-west-2 -ServiceTier flex -Endpoint $endpoint",
            Variables(bedrock));

        Assert.False(shell.HadErrors, string.Join("; ", shell.Streams.Error));
        var capability = Assert.Single(output);
        Assert.Equal((false, "validation", "flex"), ((bool)capability.Properties["Available"].Value, (string)capability.Properties["ErrorCode"].Value, (string)capability.Properties["ServiceTier"].Value));
        Assert.Equal("flex", Assert.Single(bedrock.Requests).ServiceTier);
        Assert.False(Directory.Exists(Path.Combine(_scratch.Path, ".cache")));

        var (all, _) = _host.Run("Set-Location $dir; Test-Eval360ModelCapability -ModelId bedrock/amazon.nova-pro-v1:0 -Region us-west-2 -Endpoint $endpoint", Variables(bedrock));
        Assert.Equal([("default", true), ("priority", true), ("flex", false)], all.Select(c => ((string)c.Properties["ServiceTier"].Value, (bool)c.Properties["Available"].Value)));
    }

    [Fact]
    public async Task Judge_files_are_checked_and_cached_by_their_own_content_beside_the_model_file()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Behaviors["gone-judge"] = new ModelBehavior { Status = 404, ErrorMessage = "The model does not exist" };
        _scratch.File("models.jsonl", $$"""{"model_id": "openai-compatible/candidate", "input_token_cost": 0, "output_token_cost": 0, "endpoint": "{{server.BaseUrl}}"}""");
        var judges = _scratch.File("judges.jsonl", string.Join('\n',
            $$"""{"model_id": "openai-compatible/judge", "input_cost_per_1k": 0, "output_cost_per_1k": 0, "endpoint": "{{server.BaseUrl}}"}""",
            $$"""{"model_id": "openai-compatible/gone-judge", "input_cost_per_1k": 0, "output_cost_per_1k": 0, "endpoint": "{{server.BaseUrl}}"}"""));
        var variables = new Dictionary<string, object?> { ["dir"] = _scratch.Path };

        var (onlyJudges, shell) = _host.Run("Set-Location $dir; Test-Eval360ModelCapability -JudgeProfile ./judges.jsonl", variables);
        Assert.False(shell.HadErrors, string.Join("; ", shell.Streams.Error));
        Assert.Equal([("openai-compatible/judge", true), ("openai-compatible/gone-judge", false)],
            onlyJudges.Select(c => ((string)c.Properties["ModelId"].Value, (bool)c.Properties["Available"].Value)));
        Assert.Equal("not_found", onlyJudges[1].Properties["ErrorCode"].Value);
        long requests = server.RequestCount;

        // Models and judges: the judges from the cache, the models asked (their part of the cache was empty).
        var (both, _) = _host.Run("Set-Location $dir; Test-Eval360ModelCapability ./models.jsonl -JudgeProfile ./judges.jsonl", variables);
        Assert.Equal([("openai-compatible/candidate", false), ("openai-compatible/judge", true), ("openai-compatible/gone-judge", true)],
            both.Select(c => ((string)c.Properties["ModelId"].Value, (bool)c.Properties["FromCache"].Value)));
        Assert.Equal(requests + 1, server.RequestCount);

        // Changing the judge file invalidates only the judges' part.
        File.AppendAllText(judges, "\n");
        var (again, _) = _host.Run("Set-Location $dir; Test-Eval360ModelCapability ./models.jsonl -JudgeProfile ./judges.jsonl", variables);
        Assert.Equal([true, false, false], again.Select(c => (bool)c.Properties["FromCache"].Value));
    }
}
