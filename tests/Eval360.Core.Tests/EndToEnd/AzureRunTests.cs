using System.Text.Json;
using Eval360.FakeProviders;

namespace Eval360.Tests.EndToEnd;

/// <summary>Azure OpenAI deployments through the official Azure.AI.OpenAI client, against the fake's Azure paths.</summary>
public sealed class AzureRunTests
{
    [Fact]
    public async Task A_deployment_is_called_on_its_azure_path_with_the_api_key_and_the_profiles_api_version()
    {
        await using var harness = await BenchmarkHarness.StartAsync(new FakeServerOptions { RequiredApiKey = "azure-key-0123456789" });
        harness.DotEnv("AZURE_OPENAI_API_KEY=azure-key-0123456789\n");
        var profile = harness.Model("gpt-4o-prod", provider: "azure", endpoint: harness.Server.Origin) with { ApiVersion = "2025-01-01-preview" };
        var run = await harness.RunAsync([BenchmarkHarness.Scenario(tokens: 33)], [profile], [], BenchmarkHarness.Options() with { LatencyOnly = true });
        var result = run.Single();
        Assert.Equal("Succeeded", result.Status);
        Assert.Equal("azure/gpt-4o-prod", result.ModelId);
        var served = harness.Server.Requests.Last(r => r.Route == ChatRoute.AzureDeployment);
        Assert.Equal("gpt-4o-prod", served.Model);
        Assert.Equal("2025-01-01-preview", served.ApiVersion);
        Assert.True(served.HasApiKey);
        Assert.False(served.HasAuthorization);
        Assert.Equal(33, served.MaxTokens);
        Assert.True(served.IncludeUsage);
    }

    [Fact]
    public async Task Without_an_api_version_the_sdks_ga_version_is_used_and_the_endpoint_may_come_from_the_environment()
    {
        await using var harness = await BenchmarkHarness.StartAsync(new FakeServerOptions { RequiredApiKey = "azure-key-0123456789" });
        harness.DotEnv($"AZURE_API_KEY=azure-key-0123456789\nAZURE_OPENAI_ENDPOINT={harness.Server.Origin}\n");
        var profile = harness.Model("chat", provider: "azure") with { Endpoint = null };
        var result = (await harness.RunAsync([BenchmarkHarness.Scenario()], [profile], [], BenchmarkHarness.Options() with { LatencyOnly = true })).Single();
        Assert.Equal("Succeeded", result.Status);
        Assert.Equal("2024-10-21", harness.Server.Requests.Last(r => r.Route == ChatRoute.AzureDeployment).ApiVersion);
    }

    [Fact]
    public async Task A_wrong_key_is_refused_by_the_server_and_the_run_records_why_without_the_key()
    {
        const string wrong = "not-the-right-key-42";
        await using var harness = await BenchmarkHarness.StartAsync(new FakeServerOptions { RequiredApiKey = "azure-key-0123456789" });
        harness.DotEnv($"AZURE_OPENAI_API_KEY={wrong}\n");
        var profile = harness.Model("chat", provider: "azure", endpoint: harness.Server.Origin);
        var e = await Assert.ThrowsAsync<Eval360.Execution.BenchmarkException>(() =>
            harness.RunAsync([BenchmarkHarness.Scenario()], [profile], [], BenchmarkHarness.Options() with { LatencyOnly = true }));

        // What the server saw: one request, the access check's, on the deployment's path with the wrong key in api-key
        // (never as a bearer token), refused with 401 before its body was read.
        var refused = Assert.Single(harness.Server.Requests);
        Assert.Equal(ChatRoute.AzureDeployment, refused.Route);
        Assert.StartsWith("/openai/deployments/chat/chat/completions?api-version=", refused.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(wrong, refused.Headers["api-key"]);
        Assert.False(refused.HasAuthorization);
        Assert.Equal(401, refused.StatusCode);

        // What the run records: it failed because nothing was left, and run.json names the deployment, the code and the
        // server's reason; the key is nowhere, neither in the message nor in any file.
        Assert.Equal("NoAccessibleModel", e.ErrorId);
        Assert.Contains("azure/chat: auth: HTTP 401", e.Message);
        var directory = Assert.Single(Directory.GetDirectories(Path.Combine(harness.WorkingDirectory, "outputs")));
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "run.json")));
        Assert.Equal("failed", manifest.RootElement.GetProperty("status").GetString());
        var excluded = Assert.Single(manifest.RootElement.GetProperty("excluded_models").EnumerateArray());
        Assert.Equal(("azure/chat", "candidate", "auth"),
            (excluded.GetProperty("model_id").GetString(), excluded.GetProperty("role").GetString(), excluded.GetProperty("error_code").GetString()));
        Assert.StartsWith("HTTP 401: ", excluded.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, e.Message);
        Assert.All(Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories), file => Assert.DoesNotContain(wrong, File.ReadAllText(file)));
    }
}
