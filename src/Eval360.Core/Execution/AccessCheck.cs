using Eval360.Calls;
using Eval360.Logging;
using Eval360.Providers;
using Eval360.Results;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Eval360.Execution;

/// <summary>
/// One minimal request to a model ("Hi", five tokens at most), and what its answer says: the model answered, or refused
/// only the tiny request, so it is there; it answered 429, so it is there but throttled; or it cannot be used — no or
/// wrong key, no such model, nothing answering (connection refused, DNS, TLS, timeout), or a server error on every one
/// of <see cref="Attempts"/> attempts — or, for a Bedrock service tier the model does not offer in the region, the tier
/// is refused and the model may run at the default tier. Which failure means what is decided in one place, <see cref="ProbeFindings"/>,
/// refined by a provider's registration. The probe takes the same path as every measured call (pacing aside), so before
/// a run it also opens connections and compiles code: the first invocation's latency is the model's, not start-up's.
/// </summary>
internal static class AccessCheck
{
    /// <summary>How many times the probe asks a model that answers with a server error before it counts as unavailable.</summary>
    public const int Attempts = 3;

    /// <summary>How long the probe may take, retries included, before the model counts as unreachable.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait between attempts, whatever the server's <c>Retry-After</c> asks.</summary>
    private static readonly TimeSpan MaxRetryWait = TimeSpan.FromSeconds(5);

    private static readonly ChatRequest Probe = new() { Prompt = "Hi", MaxOutputTokens = 5 };

    /// <summary>A server error is asked again, briefly: a model that is only having a bad second is not left out of a whole run.</summary>
    private static readonly ResiliencePipeline<Attempt> Retries = new ResiliencePipelineBuilder<Attempt>()
        .AddRetry(new RetryStrategyOptions<Attempt>
        {
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result.Finding == ProbeFinding.TryAgain),
            MaxRetryAttempts = Attempts - 1,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(500),
            MaxDelay = MaxRetryWait,
            DelayGenerator = args => ValueTask.FromResult(
                args.Outcome.Result.Outcome?.Failure?.RetryAfter is TimeSpan after ? (TimeSpan?)(after < MaxRetryWait ? after : MaxRetryWait) : null),
        })
        .Build();

    /// <summary>
    /// Before a run: every distinct model and judge at once. Returns those to leave out, with why; the service tiers
    /// refused (each profile then runs at the default tier, or is dropped when the run has the model and region at the
    /// default tier already); and a warning for each one left out, fallen back, dropped or already throttled; logs the outcome for each.
    /// </summary>
    public static async Task<AccessReport> RunAsync(IEnumerable<ModelProfile> profiles, ProviderSet providers, ModelCaller caller, ILogger log, CancellationToken cancellationToken)
    {
        var distinct = profiles.DistinctBy(p => (p.Key, p.Role)).ToList();
        var probed = await Task.WhenAll(distinct.Select(p => ProbeAsync(p, providers, caller, cancellationToken))).ConfigureAwait(false);
        var excluded = new List<ExcludedModel>();
        var fallbacks = new List<ServiceTierFallback>();
        var warnings = new List<RunWarning>();
        var defaultTiers = new Dictionary<string, Task<Probed>>(StringComparer.Ordinal);
        foreach (var (profile, probe) in distinct.Zip(probed))
        {
            var role = profile.Role.ToString().ToLowerInvariant();
            var name = $"{profile.DisplayName}{(profile.Region is null ? string.Empty : " @ " + profile.Region)} ({role})";
            var capability = probe.Capability;
            if (probe.TierRefused)
            {
                var twin = ServiceTierFallback.DefaultTierOf(profile);
                var refused = $"{name}: the {profile.ServiceTier} service tier is refused ({capability.Error})";
                if (distinct.Any(p => p.Key == twin.Key && p.Role == profile.Role))
                {
                    fallbacks.Add(new ServiceTierFallback(profile.ModelId, profile.Region, role, profile.ServiceTier!, ServiceTierFallback.Dropped, capability.Error!));
                    log.ServiceTierDropped(LogEvents.Of(profile), role, profile.ServiceTier!, capability.Error!);
                    warnings.Add(new RunWarning($"{refused}; dropped, since the run has {twin.DisplayName} at the default tier already", "ServiceTierDropped"));
                    continue;
                }

                // The tier, not the model, was refused: the model at the default tier is what would run, so that is what is checked.
                if (!defaultTiers.TryGetValue(twin.Key + "|" + role, out var twinProbe))
                {
                    defaultTiers[twin.Key + "|" + role] = twinProbe = ProbeAsync(twin, providers, caller, cancellationToken);
                }

                capability = (await twinProbe.ConfigureAwait(false)).Capability;
                if (capability.Available)
                {
                    fallbacks.Add(new ServiceTierFallback(profile.ModelId, profile.Region, role, profile.ServiceTier!, ServiceTierFallback.RanAtDefaultTier, probe.Capability.Error!));
                    log.ServiceTierFellBack(LogEvents.Of(profile), role, profile.ServiceTier!, probe.Capability.Error!);
                    warnings.Add(new RunWarning($"{refused}; it runs at the default tier instead, and its results say so (ServiceTierFallback)", "ServiceTierFallback"));
                    continue;
                }
            }

            if (!capability.Available)
            {
                excluded.Add(new ExcludedModel(profile.DisplayName, profile.Region, role, capability.ErrorCode!, capability.Error!));
                log.ModelLeftOut(LogEvents.Of(profile), role, capability.ErrorCode!, capability.Error!);
                warnings.Add(new RunWarning($"{name} is left out: {capability.ErrorCode}: {capability.Error}", "ModelInaccessible"));
            }
            else if (capability.Throttled)
            {
                log.ModelThrottledAtStart(LogEvents.Of(profile), role, capability.Error ?? capability.ErrorCode!);
                warnings.Add(new RunWarning(
                    $"{name} is throttled already ({capability.Error}); it stays in the run and its calls will wait and retry: set target_rpm in its profile or lower -ParallelCalls",
                    "ModelThrottled"));
            }
            else
            {
                log.ModelAvailable(LogEvents.Of(profile), role, capability.LatencySeconds ?? 0);
            }
        }

        return new AccessReport(excluded, fallbacks, warnings);
    }

    /// <summary>Probes one model, region and tier (the capability check's view).</summary>
    public static async Task<ModelCapability> CapabilityAsync(ModelProfile profile, ProviderSet providers, ModelCaller caller, CancellationToken cancellationToken) =>
        (await ProbeAsync(profile, providers, caller, cancellationToken).ConfigureAwait(false)).Capability;

    /// <summary>Probes one model, region and tier.</summary>
    private static async Task<Probed> ProbeAsync(ModelProfile profile, ProviderSet providers, ModelCaller caller, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        var capability = new ModelCapability
        {
            ModelId = profile.ModelId,
            Region = profile.Region,
            ServiceTier = profile.ServiceTier ?? "default",
            CheckedAt = DateTimeOffset.UtcNow,
        };
        var provider = ProviderSet.Of(profile);
        var client = providers.Client(profile);
        bool tierRefused = false;
        try
        {
            var last = await Retries.ExecuteAsync(
                async token =>
                {
                    var outcome = await caller.CallAsync(profile, client, Probe, token, retry: false).ConfigureAwait(false);
                    return new Attempt(outcome, outcome.Failure is { } failure ? provider.Classify(failure, profile) : ProbeFinding.Reachable);
                },
                timeout.Token).ConfigureAwait(false);
            capability.LatencySeconds = last.Outcome.Measurement?.TimeToLastByte;
            if (last.Outcome.Failure is { } e && last.Finding != ProbeFinding.Reachable)
            {
                tierRefused = last.Finding == ProbeFinding.TierRefused;
                capability.ErrorCode = e.Code;
                capability.Error = providers.Redactor.Redact(last.Finding switch
                {
                    ProbeFinding.TryAgain => $"{e.Message} (on each of {Attempts} attempts)",
                    ProbeFinding.TierRefused => $"the {profile.ServiceTier} service tier is not offered for this model in {profile.Region}: {e.Message}",
                    _ => e.Message,
                });
                capability.Throttled = last.Finding == ProbeFinding.Throttled;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            capability.ErrorCode = FailureKind.Timeout.Code();
            capability.Error = $"no answer to a minimal request within {ProbeTimeout.TotalSeconds:0} s";
        }

        capability.Available = capability.ErrorCode is null || capability.Throttled;
        return new Probed(capability, tierRefused);
    }

    /// <summary>What a probe found, and whether it was the service tier that was refused.</summary>
    private readonly record struct Probed(ModelCapability Capability, bool TierRefused);

    private readonly record struct Attempt(CallOutcome Outcome, ProbeFinding Finding);
}

/// <summary>What the access check found before a run: the models and judges to leave out, the tiers refused, and what to tell the user.</summary>
internal sealed record AccessReport(IReadOnlyList<ExcludedModel> Excluded, IReadOnlyList<ServiceTierFallback> Fallbacks, IReadOnlyList<RunWarning> Warnings);
