using System.Globalization;
using Eval360.Configuration;
using Eval360.Dashboard.Hosting;
using Eval360.Execution;
using Eval360.Providers;

namespace Eval360.Dashboard.Setup;

/// <summary>
/// One model × region × tier the picker offers (a Bedrock profile without a tier stands for all three), with what
/// the capability cache says about it: unavailable ones cannot be picked, and the reason is shown.
/// </summary>
public sealed record ModelChoice(ModelProfile Target, ModelCapability? Capability)
{
    public string Key => Target.Key;

    public bool Selectable => Capability is null || Capability.Available;

    public string Tier => Target.ServiceTier ?? "default";

    /// <summary>What the picker says about the choice: available, throttled, the reason it is not, or not checked yet.</summary>
    public string Status => Capability switch
    {
        null => "not checked",
        { Available: false } c => $"unavailable: {c.ErrorCode}: {c.Error}",
        { Throttled: true } => "available (throttled)",
        _ => "available",
    };

    public string Costs => string.Create(CultureInfo.InvariantCulture, $"{Target.InputCostPer1K:0.######} / {Target.OutputCostPer1K:0.######}");
}

/// <summary>The picker's lists: candidates and judges from their profile files, and what stopped a file from being read.</summary>
public sealed record ModelChoices(IReadOnlyList<ModelChoice> Models, IReadOnlyList<ModelChoice> Judges, IReadOnlyList<string> Problems)
{
    public ModelChoice? Model(string key) => Models.FirstOrDefault(m => m.Key == key);

    public ModelChoice? Judge(string key) => Judges.FirstOrDefault(m => m.Key == key);
}

/// <summary>
/// The models the dashboard offers: the model and judge profile files it was started with, each target with its
/// capability from the cache <c>Test-Eval360ModelCapability</c> keeps (the same cache files), and "check now", which
/// asks every model again and rewrites the cache.
/// </summary>
public sealed class ModelCatalog(DashboardOptions options)
{
    private readonly SemaphoreSlim _checking = new(1, 1);

    public async Task<ModelChoices> LoadAsync(CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var models = await ChoicesAsync(options.ModelProfile, ProfileRole.Candidate, options.ModelCapabilityCache, "-ModelProfile", problems, cancellationToken).ConfigureAwait(false);
        var judges = await ChoicesAsync(options.JudgeProfile, ProfileRole.Judge, options.JudgeCapabilityCache, "-JudgeProfile", problems, cancellationToken).ConfigureAwait(false);
        return new ModelChoices(models, judges, problems);
    }

    /// <summary>One minimal request to every model and judge target (the capability check), the caches rewritten.</summary>
    public async Task CheckNowAsync(CancellationToken cancellationToken)
    {
        await _checking.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var (file, role, cache) in new[] { (options.ModelProfile, ProfileRole.Candidate, options.ModelCapabilityCache), (options.JudgeProfile, ProfileRole.Judge, options.JudgeCapabilityCache) })
            {
                if (File.Exists(file))
                {
                    var (models, judges) = role == ProfileRole.Judge ? (null, file) : (file, (string?)null);
                    await CapabilityCheck.RunAsync(models, judges, cache, options.WorkingDirectory, force: true, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _checking.Release();
        }
    }

    private static async Task<IReadOnlyList<ModelChoice>> ChoicesAsync(string file, ProfileRole role, string cache, string parameter, List<string> problems, CancellationToken cancellationToken)
    {
        if (!File.Exists(file))
        {
            problems.Add($"{file} does not exist: start the dashboard with {parameter} naming your profile file.");
            return [];
        }

        try
        {
            var targets = await CapabilityCheck.CachedAsync(file, role, cache, cancellationToken).ConfigureAwait(false);
            return [.. targets.Select(t => new ModelChoice(t.Target, t.Capability))];
        }
        catch (ConfigurationException e)
        {
            problems.Add(e.Message);
            return [];
        }
    }
}
