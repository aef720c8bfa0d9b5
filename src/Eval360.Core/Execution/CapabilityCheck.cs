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
/// A model file and a judge file each have their own part of the cache, kept by their own content hash; a single
/// model, region and tier named on the command line is always asked and never cached.
/// </summary>
public static class CapabilityCheck
{
    /// <param name="modelFile">The model profile file; its content hash decides whether its part of the cache still holds.</param>
    /// <param name="cachePath">Where results are remembered (the seed's <c>.cache/model_capabilities.json</c>).</param>
    /// <param name="force">Ask every model again, whatever the cache holds.</param>
    public static Task<IReadOnlyList<ModelCapability>> RunAsync(string modelFile, string cachePath, string workingDirectory, bool force, CancellationToken cancellationToken) =>
        RunAsync(modelFile, null, cachePath, workingDirectory, force, cancellationToken);

    /// <summary>Checks a model profile file, a judge profile file, or both (models first).</summary>
    /// <exception cref="ConfigurationException">A file has errors.</exception>
    public static async Task<IReadOnlyList<ModelCapability>> RunAsync(string? modelFile, string? judgeFile, string cachePath, string workingDirectory, bool force, CancellationToken cancellationToken)
    {
        var findings = new List<ConfigFinding>();
        var parts = new List<(ProfileRole Role, string Hash, List<ModelProfile> Targets)>();
        foreach (var (path, role) in new[] { (modelFile, ProfileRole.Candidate), (judgeFile, ProfileRole.Judge) })
        {
            if (path is not null)
            {
                var profiles = ProfileFile.Read(path, role, findings, ProviderSet.Catalog);
                parts.Add((role, await HashAsync(path, cancellationToken).ConfigureAwait(false), ProviderSet.CapabilityTargets(profiles).ToList()));
            }
        }

        if (findings.Any(f => f.Severity == ConfigSeverity.Error))
        {
            throw new ConfigurationException(findings);
        }

        var cache = ReadCache(cachePath);
        var toProbe = new List<ModelProfile>();
        var probeOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var answers = new List<(ModelCapability? Cached, int Probe)[]>();
        foreach (var part in parts)
        {
            var cached = force ? null : cache?.Part(part.Role, part.Hash);
            var answer = new (ModelCapability? Cached, int Probe)[part.Targets.Count];
            for (int i = 0; i < part.Targets.Count; i++)
            {
                var target = part.Targets[i];
                if (cached?.FirstOrDefault(c => Matches(c, target)) is { } known)
                {
                    answer[i] = (FromCache(known), -1);
                    continue;
                }

                if (!probeOf.TryGetValue(target.Key, out int index))
                {
                    probeOf[target.Key] = index = toProbe.Count;
                    toProbe.Add(target);
                }

                answer[i] = (null, index);
            }

            answers.Add(answer);
        }

        var probed = toProbe.Count > 0 ? await ProbeAsync(toProbe, workingDirectory, cancellationToken).ConfigureAwait(false) : [];
        var results = new List<ModelCapability>();
        var updated = cache ?? new CacheFile(string.Empty, DateTimeOffset.UtcNow, []);
        for (int p = 0; p < parts.Count; p++)
        {
            var capabilities = answers[p].Select(a => a.Cached ?? Copy(probed[a.Probe])).ToList();
            results.AddRange(capabilities);
            updated = updated.With(parts[p].Role, parts[p].Hash, capabilities);
        }

        if (toProbe.Count > 0)
        {
            WriteCache(cachePath, updated);
        }

        return results;
    }

    /// <summary>
    /// One model named on the command line, in one region and (optionally) one service tier; without a tier, every
    /// target its provider knows (Bedrock: each tier). Always asked, never cached.
    /// </summary>
    /// <exception cref="ConfigurationException">The id, region, tier or endpoint breaks a profile rule (each finding names the parameter's profile field).</exception>
    public static async Task<IReadOnlyList<ModelCapability>> CheckAsync(string modelId, string? region, string? serviceTier, Uri? endpoint, ProfileRole role, string workingDirectory, CancellationToken cancellationToken)
    {
        var findings = new List<ConfigFinding>();
        var profile = ProfileFile.FromFields(
            new Dictionary<string, string?> { ["model_id"] = modelId, ["region"] = region, ["service_tier"] = serviceTier, ["endpoint"] = endpoint?.AbsoluteUri },
            role, "the parameters (-ModelId, -Region, -ServiceTier, -Endpoint)", findings, ProviderSet.Catalog);
        if (profile is null)
        {
            throw new ConfigurationException(findings);
        }

        return await ProbeAsync([.. ProviderSet.CapabilityTargets([profile])], workingDirectory, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The profiles of a file for one model (by its id, or by the model name after the provider), narrowed to a region
    /// and a tier when given: each target asked, with the file's endpoint, key variable and prices. Never cached.
    /// </summary>
    /// <exception cref="ConfigurationException">The file has errors, or holds no profile that matches.</exception>
    public static async Task<IReadOnlyList<ModelCapability>> CheckFromFileAsync(string file, string modelId, string? region, string? serviceTier, ProfileRole role, string workingDirectory, CancellationToken cancellationToken)
    {
        var findings = new List<ConfigFinding>();
        var profiles = ProfileFile.Read(file, role, findings, ProviderSet.Catalog);
        var matches = profiles
            .Where(p => string.Equals(p.ModelId, modelId, StringComparison.OrdinalIgnoreCase) || string.Equals(p.Model, modelId, StringComparison.OrdinalIgnoreCase))
            .Where(p => region is null || string.Equals(p.Region, region, StringComparison.OrdinalIgnoreCase))
            .Select(p => serviceTier is null ? p : p with { ServiceTier = serviceTier.ToLowerInvariant() })
            .ToList();
        if (findings.All(f => f.Severity == ConfigSeverity.Warning) && matches.Count == 0)
        {
            var narrowed = region is null ? string.Empty : $" in region {region}";
            findings.Add(new ConfigFinding(ConfigSeverity.Error, file, 0, "model_id",
                $"holds no profile for {modelId}{narrowed}: it has {(profiles.Count == 0 ? "none" : string.Join(", ", profiles.Select(p => p.ModelId).Distinct(StringComparer.Ordinal)))}"));
        }

        if (findings.Any(f => f.Severity == ConfigSeverity.Error))
        {
            throw new ConfigurationException(findings);
        }

        return await ProbeAsync([.. ProviderSet.CapabilityTargets(matches.Distinct())], workingDirectory, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// What the cache says about each target of a profile file, without asking any model: null for a target the cache
    /// does not hold, and all nulls when the cache is missing or the file changed since its part was written.
    /// </summary>
    /// <returns>The targets (a Bedrock profile without a tier stands for every tier), each with its cached capability or null.</returns>
    /// <exception cref="ConfigurationException">The profile file has errors.</exception>
    public static async Task<IReadOnlyList<(ModelProfile Target, ModelCapability? Capability)>> CachedAsync(string file, ProfileRole role, string cachePath, CancellationToken cancellationToken)
    {
        var findings = new List<ConfigFinding>();
        var profiles = ProfileFile.Read(file, role, findings, ProviderSet.Catalog);
        if (findings.Any(f => f.Severity == ConfigSeverity.Error))
        {
            throw new ConfigurationException(findings);
        }

        var cached = ReadCache(cachePath)?.Part(role, await HashAsync(file, cancellationToken).ConfigureAwait(false));
        return [.. ProviderSet.CapabilityTargets(profiles).Select(t => (t, cached?.FirstOrDefault(c => Matches(c, t)) is { } known ? FromCache(known) : null))];
    }

    private static async Task<string> HashAsync(string file, CancellationToken cancellationToken) =>
        Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false))).ToLowerInvariant();

    private static ModelCapability FromCache(ModelCapability cached)
    {
        cached.FromCache = true;
        return cached;
    }

    private static async Task<IReadOnlyList<ModelCapability>> ProbeAsync(IReadOnlyList<ModelProfile> targets, string workingDirectory, CancellationToken cancellationToken)
    {
        using var providers = new ProviderSet(workingDirectory);
        using var pacer = new TokenBucketPacer(TimeProvider.System);
        using var caller = new ModelCaller(pacer, CallLimits.Of(new BenchmarkOptions()), TimeProvider.System);
        return await Task.WhenAll(targets.Select(t => AccessCheck.CapabilityAsync(t, providers, caller, cancellationToken))).ConfigureAwait(false);
    }

    private static bool Matches(ModelCapability cached, ModelProfile target) =>
        cached.ModelId == target.ModelId && cached.Region == target.Region && cached.ServiceTier == (target.ServiceTier ?? "default");

    /// <summary>
    /// The cache file: the seed's fields for the model file (<c>models_hash</c>, <c>capabilities</c>) and the same pair
    /// for the judge file, each valid while its file's content hash is unchanged.
    /// </summary>
    private sealed record CacheFile(string ModelsHash, DateTimeOffset LastUpdated, List<ModelCapability> Capabilities, string? JudgesHash = null, List<ModelCapability>? JudgeCapabilities = null)
    {
        public List<ModelCapability>? Part(ProfileRole role, string hash) => role == ProfileRole.Judge
            ? (JudgesHash == hash ? JudgeCapabilities : null)
            : (ModelsHash == hash ? Capabilities : null);

        public CacheFile With(ProfileRole role, string hash, List<ModelCapability> capabilities) => role == ProfileRole.Judge
            ? this with { JudgesHash = hash, JudgeCapabilities = capabilities, LastUpdated = DateTimeOffset.UtcNow }
            : this with { ModelsHash = hash, Capabilities = capabilities, LastUpdated = DateTimeOffset.UtcNow };
    }

    private static CacheFile? ReadCache(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<CacheFile>(stream, ResultJson.Indented);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    private static void WriteCache(string path, CacheFile file)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        ResultJson.WriteAtomically(path, file with
        {
            Capabilities = [.. file.Capabilities.Select(Copy)],
            JudgeCapabilities = file.JudgeCapabilities?.Select(Copy).ToList(),
        });
    }

    /// <summary>A fresh copy (what the cache keeps: not whether it came from the cache).</summary>
    private static ModelCapability Copy(ModelCapability c) => new()
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
    };
}
