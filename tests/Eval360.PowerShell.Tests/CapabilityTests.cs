using Eval360.FakeProviders;

namespace Eval360.PowerShell.Tests;

/// <summary>Test-Eval360ModelCapability: one minimal request per model, remembered until the profile file changes.</summary>
public sealed class CapabilityTests : IDisposable
{
    private readonly HostedPowerShell _host = new();
    private readonly Scratch _scratch = new();

    public void Dispose()
    {
        _host.Dispose();
        _scratch.Dispose();
    }

    [Fact]
    public async Task Models_are_checked_once_then_answered_from_the_cache_until_forced_or_the_file_changes()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Behaviors["gone"] = new ModelBehavior { Status = 404, ErrorMessage = "The model does not exist" };
        var models = _scratch.File("models.jsonl", string.Join('\n',
            $$"""{"model_id": "openai-compatible/fine", "input_token_cost": 0, "output_token_cost": 0, "endpoint": "{{server.BaseUrl}}"}""",
            $$"""{"model_id": "openai-compatible/gone", "input_token_cost": 0, "output_token_cost": 0, "endpoint": "{{server.BaseUrl}}"}"""));
        var variables = new Dictionary<string, object?> { ["dir"] = _scratch.Path };

        var (first, shell) = _host.Run("Set-Location $dir; Test-Eval360ModelCapability ./models.jsonl", variables);
        Assert.False(shell.HadErrors, string.Join("; ", shell.Streams.Error));
        Assert.Equal(2, first.Count);
        Assert.All(first, c => Assert.Equal("Eval360.ModelCapability", c.TypeNames[0]));
        Assert.Equal(true, first[0].Properties["Available"].Value);
        Assert.Equal(false, first[1].Properties["Available"].Value);
        Assert.Equal("not_found", first[1].Properties["ErrorCode"].Value);
        Assert.True(File.Exists(Path.Combine(_scratch.Path, ".cache", "model_capabilities.json")));
        long requests = server.RequestCount;

        var (cached, _) = _host.Run("Set-Location $dir; Test-Eval360ModelCapability ./models.jsonl", variables);
        Assert.All(cached, c => Assert.Equal(true, c.Properties["FromCache"].Value));
        Assert.Equal(requests, server.RequestCount);

        var (forced, _) = _host.Run("Set-Location $dir; Test-Eval360ModelCapability ./models.jsonl -Force", variables);
        Assert.All(forced, c => Assert.Equal(false, c.Properties["FromCache"].Value));
        Assert.True(server.RequestCount > requests);

        File.AppendAllText(models, "\n");
        requests = server.RequestCount;
        var (changed, _) = _host.Run("Set-Location $dir; Test-Eval360ModelCapability ./models.jsonl", variables);
        Assert.All(changed, c => Assert.Equal(false, c.Properties["FromCache"].Value));

        var (whatIf, _) = _host.Run("Set-Location $dir; Test-Eval360ModelCapability ./models.jsonl -Force -WhatIf", variables);
        Assert.Empty(whatIf);
        Assert.Equal(requests + 2, server.RequestCount);
    }
}
