using System.Security.Cryptography;
using System.Text.Json;
using Eval360.Calls;
using Eval360.Configuration;
using Eval360.Providers;
using Eval360.Results;

namespace Eval360.Execution;

/// <summary>
/// Which models answer, in which region and service tier: one minimal request each (each provider says which targets a
/// profile stands for: a Bedrock model without a tier is tried in every tier), all at once, remembered in a cache file
/// until the profile file changes — the seed's <c>validate_model_capabilities.py</c>, which cost about $0.001 a full check.
/// </summary>
public static class CapabilityCheck
{
    /// <param name="modelFile">The profile file; its content hash decides whether the cache still holds.</param>
    /// <param name="cachePath">Where results are remembered (the seed's <c>.cache/model_capabilities.json</c>).</param>
    /// <param name="force">Ask every model again, whatever the cache holds.</param>
    public static async Task<IReadOnlyList<ModelCapability>> RunAsync(string modelFile, string cachePath, string workingDirectory, bool force, CancellationToken cancellationToken)
    {
        var profiles = ReadProfiles(modelFile);
        var hash = await HashAsync(modelFile, cancellationToken).ConfigureAwait(false);
        var cache = force ? null : ReadCache(cachePath, hash);
        var targets = ProviderSet.CapabilityTargets(profiles).ToList();
        var results = new ModelCapability[targets.Count];
        var toProbe = new List<int>();
        for (int i = 0; i < targets.Count; i++)
        {
            var cached = cache?.FirstOrDefault(c => Matches(c, targets[i]));
            if (cached is not null)
            {
                results[i] = WithFromCache(cached);
            }
            else
            {
                toProbe.Add(i);
            }
        }

        if (toProbe.Count > 0)
        {
            using var providers = new ProviderSet(workingDirectory);
            using var pacer = new TokenBucketPacer(TimeProvider.System);
            using var caller = new ModelCaller(pacer, CallLimits.Of(new BenchmarkOptions()), TimeProvider.System);
            var probed = await Task.WhenAll(toProbe.Select(i => AccessCheck.ProbeAsync(targets[i], providers, caller, cancellationToken))).ConfigureAwait(false);
            for (int k = 0; k < toProbe.Count; k++)
            {
                results[toProbe[k]] = probed[k];
            }

            WriteCache(cachePath, hash, results);
        }

        return results;
    }

    /// <summary>
    /// What the cache says about each target of <paramref name="modelFile"/>, without asking any model: null for a target
    /// the cache does not hold, and all nulls when the cache is missing or the profile file changed since it was written.
    /// </summary>
    /// <returns>The targets (a Bedrock profile without a tier stands for every tier), each with its cached capability or null.</returns>
    /// <exception cref="ConfigurationException">The profile file has errors.</exception>
    public static async Task<IReadOnlyList<(ModelProfile Target, ModelCapability? Capability)>> CachedAsync(string modelFile, string cachePath, CancellationToken cancellationToken)
    {
        var profiles = ReadProfiles(modelFile);
        var cache = ReadCache(cachePath, await HashAsync(modelFile, cancellationToken).ConfigureAwait(false));
        return [.. ProviderSet.CapabilityTargets(profiles).Select(t => (t, cache?.FirstOrDefault(c => Matches(c, t)) is { } cached ? WithFromCache(cached) : null))];
    }

    /// <summary>A model or a judge profile file (a judge file is told by its cost fields or its name).</summary>
    private static IReadOnlyList<ModelProfile> ReadProfiles(string file)
    {
        var findings = new List<ConfigFinding>();
        var role = ConfigLoader.DetectKind(file) == ConfigKind.Judge ? ProfileRole.Judge : ProfileRole.Candidate;
        var profiles = ConfigLoader.LoadProfiles(file, role, ProviderSet.Catalog, findings);
        if (findings.Any(f => f.Severity == ConfigSeverity.Error))
        {
            throw new ConfigurationException(findings);
        }

        return profiles;
    }

    private static async Task<string> HashAsync(string file, CancellationToken cancellationToken) =>
        Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false))).ToLowerInvariant();

    private static bool Matches(ModelCapability cached, ModelProfile target) =>
        cached.ModelId == target.ModelId && cached.Region == target.Region && cached.ServiceTier == (target.ServiceTier ?? "default");

    private static ModelCapability WithFromCache(ModelCapability cached)
    {
        cached.FromCache = true;
        return cached;
    }

    private sealed record CacheFile(string ModelsHash, DateTimeOffset LastUpdated, List<ModelCapability> Capabilities);

    private static List<ModelCapability>? ReadCache(string path, string hash)
    {
        try
        {
            using var stream = File.OpenRead(path);
            var file = JsonSerializer.Deserialize<CacheFile>(stream, ResultJson.Indented);
            return file?.ModelsHash == hash ? file.Capabilities : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    private static void WriteCache(string path, string hash, IEnumerable<ModelCapability> capabilities)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var stored = capabilities.Select(c => new ModelCapability
        {
            ModelId = c.ModelId,
            Region = c.Region,
            ServiceTier = c.ServiceTier,
            Available = c.Available,
            Throttled = c.Throttled,
            ErrorCode = c.ErrorCode,
            Error = c.Error,
            LatencySeconds = c.LatencySeconds,
            CheckedAt = c.CheckedAt,
        }).ToList();
        ResultJson.WriteAtomically(path, new CacheFile(hash, DateTimeOffset.UtcNow, stored));
    }
}
