using Eval360.Execution;

namespace Eval360.Tests.Execution;

/// <summary>What the dashboard's model picker reads: the capability cache, without asking any model.</summary>
public sealed class CapabilityCacheTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task The_cache_is_read_without_a_request_and_forgotten_when_the_profile_file_changes()
    {
        var models = _temp.File("models.jsonl", "{\"model_id\": \"sim/swift-mini\", \"region\": \"sim-local-1\", \"input_token_cost\": 0.001, \"output_token_cost\": 0.002}\n");
        var cache = Path.Combine(_temp.Path, ".cache", "model_capabilities.json");

        var unchecked_ = Assert.Single(await CapabilityCheck.CachedAsync(models, ProfileRole.Candidate, cache, CancellationToken.None));
        Assert.Equal("sim/swift-mini", unchecked_.Target.ModelId);
        Assert.Null(unchecked_.Capability);
        Assert.False(File.Exists(cache));

        await CapabilityCheck.RunAsync(models, cache, _temp.Path, force: false, CancellationToken.None);
        var cached = Assert.Single(await CapabilityCheck.CachedAsync(models, ProfileRole.Candidate, cache, CancellationToken.None));
        Assert.True(cached.Capability is { Available: true, FromCache: true, ServiceTier: "default" });

        File.AppendAllText(models, "{\"model_id\": \"sim/balanced-pro\", \"region\": \"sim-local-1\", \"input_token_cost\": 0.001, \"output_token_cost\": 0.002}\n");
        Assert.All(await CapabilityCheck.CachedAsync(models, ProfileRole.Candidate, cache, CancellationToken.None), t => Assert.Null(t.Capability));
    }

    [Fact]
    public async Task A_judge_profile_file_is_checked_as_judges()
    {
        var judges = _temp.File("judges.jsonl", "{\"model_id\": \"sim/judge-fair\", \"region\": \"sim-local-1\", \"input_cost_per_1k\": 0.001, \"output_cost_per_1k\": 0.002}\n");
        var cache = Path.Combine(_temp.Path, ".cache", "judge_capabilities.json");
        var checkedJudge = Assert.Single(await CapabilityCheck.RunAsync(null, judges, cache, _temp.Path, force: false, CancellationToken.None));
        Assert.True(checkedJudge.Available);
        Assert.Equal("sim/judge-fair", Assert.Single(await CapabilityCheck.CachedAsync(judges, ProfileRole.Judge, cache, CancellationToken.None)).Capability!.ModelId);
    }
}
