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
        var findings = new List<ConfigFinding>();
        var profiles = ProfileFile.Read(modelFile, ProfileRole.Candidate, findings, ProviderSet.Catalog);
        if (findings.Any(f => f.Severity == ConfigSeverity.Error))
        {
            throw new ConfigurationException(findings);
        }

        var hash = Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(modelFile, cancellationToken).ConfigureAwait(false))).ToLowerInvariant();
        var cache = force ? null : ReadCache(cachePath, hash);
        var targets = ProviderSet.CapabilityTargets(profiles).ToList();
        var results = new ModelCapability[targets.Count];
        var toProbe = new List<int>();
        for (int i = 0; i < targets.Count; i++)
        {
            var cached = cache?.FirstOrDefault(c => c.ModelId == targets[i].ModelId && c.Region == targets[i].Region && c.ServiceTier == (targets[i].ServiceTier ?? "default"));
            if (cached is not null)
            {
                cached.FromCache = true;
                results[i] = cached;
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
