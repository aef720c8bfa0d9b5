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
/// of <see cref="Attempts"/> attempts. Which failure means what is decided in one place, <see cref="ProbeFindings"/>,
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
    /// Before a run: every distinct model and judge at once. Returns those to leave out, with why, and a warning for each
    /// one left out or already throttled; logs the outcome for each.
    /// </summary>
    public static async Task<AccessReport> RunAsync(IEnumerable<ModelProfile> profiles, ProviderSet providers, ModelCaller caller, ILogger log, CancellationToken cancellationToken)
    {
        var distinct = profiles.DistinctBy(p => (p.Key, p.Role)).ToList();
        var probed = await Task.WhenAll(distinct.Select(p => ProbeAsync(p, providers, caller, cancellationToken))).ConfigureAwait(false);
        var excluded = new List<ExcludedModel>();
        var warnings = new List<RunWarning>();
        foreach (var (profile, capability) in distinct.Zip(probed))
        {
            var role = profile.Role.ToString().ToLowerInvariant();
            var name = $"{profile.DisplayName}{(profile.Region is null ? string.Empty : " @ " + profile.Region)} ({role})";
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

        return new AccessReport(excluded, warnings);
    }

    /// <summary>Probes one model, region and tier.</summary>
    public static async Task<ModelCapability> ProbeAsync(ModelProfile profile, ProviderSet providers, ModelCaller caller, CancellationToken cancellationToken)
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
                capability.ErrorCode = e.Code;
                capability.Error = providers.Redactor.Redact(last.Finding == ProbeFinding.TryAgain ? $"{e.Message} (on each of {Attempts} attempts)" : e.Message);
                capability.Throttled = last.Finding == ProbeFinding.Throttled;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            capability.ErrorCode = FailureKind.Timeout.Code();
            capability.Error = $"no answer to a minimal request within {ProbeTimeout.TotalSeconds:0} s";
        }

        capability.Available = capability.ErrorCode is null || capability.Throttled;
        return capability;
    }

    private readonly record struct Attempt(CallOutcome Outcome, ProbeFinding Finding);
}

/// <summary>What the access check found before a run: the models and judges to leave out, and what to tell the user.</summary>
internal sealed record AccessReport(IReadOnlyList<ExcludedModel> Excluded, IReadOnlyList<RunWarning> Warnings);
