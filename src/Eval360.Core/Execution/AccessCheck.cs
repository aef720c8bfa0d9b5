using Eval360.Providers;
using Eval360.Results;

namespace Eval360.Execution;

/// <summary>
/// One minimal request to a model ("Hi", five tokens at most). A model that answers, or is merely busy (throttled,
/// overloaded, 5xx) or rejects the tiny request's parameters, is reachable; one that refuses the key, has no such model,
/// or cannot be reached is not. The probe takes the same path as every measured call (pacing aside), so before a run
/// it also opens connections and compiles code: the first invocation's latency is the model's, not start-up's.
/// </summary>
internal static class AccessCheck
{
    private static readonly ChatRequest Probe = new() { Prompt = "Hi", MaxOutputTokens = 5 };

    /// <summary>How long the probe may take before the model counts as unreachable.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Before a run: every distinct model and judge at once; returns those to leave out, with why.</summary>
    public static async Task<IReadOnlyList<ExcludedModel>> RunAsync(IEnumerable<ModelProfile> profiles, ProviderSet clients, ModelCaller caller, CancellationToken cancellationToken)
    {
        var distinct = profiles.DistinctBy(p => (p.Key, p.Role)).ToList();
        var results = await Task.WhenAll(distinct.Select(p => ProbeAsync(p, clients, caller, cancellationToken))).ConfigureAwait(false);
        return distinct.Zip(results)
            .Where(pair => !pair.Second.Available)
            .Select(pair => new ExcludedModel(pair.First.DisplayName, pair.First.Region, pair.First.Role.ToString().ToLowerInvariant(), pair.Second.ErrorCode!, pair.Second.Error!))
            .ToList();
    }

    /// <summary>Probes one model, region and tier.</summary>
    public static async Task<ModelCapability> ProbeAsync(ModelProfile profile, ProviderSet clients, ModelCaller caller, CancellationToken cancellationToken)
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
        try
        {
            var outcome = await caller.CallAsync(profile, clients.Client(profile), Probe, timeout.Token, retry: false).ConfigureAwait(false);
            capability.LatencySeconds = outcome.Measurement?.TimeToLastByte;
            if (outcome.Failure is { } e && !IsReachable(e))
            {
                capability.ErrorCode = e.Code;
                capability.Error = clients.Redactor.Redact(e.Message);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            capability.ErrorCode = FailureKind.Timeout.Code();
            capability.Error = $"no answer to a minimal request within {ProbeTimeout.TotalSeconds:0} s";
        }

        capability.Available = capability.ErrorCode is null;
        return capability;
    }

    private static bool IsReachable(ProviderException e) =>
        e.IsTransient || e.Kind is FailureKind.Validation or FailureKind.ContentFilter or FailureKind.UnexpectedFinish or FailureKind.EmptyResponse;
}
