using Eval360.Providers;
using Eval360.Results;

namespace Eval360.Execution;

/// <summary>
/// Before anything is spent, one minimal request per distinct model and judge, all at once. A model that answers,
/// or is merely busy (throttled, overloaded, 5xx) or rejects the tiny request's parameters, is reachable; one that
/// refuses the key, has no such model, or cannot be reached is left out with the reason. The probe takes the same
/// path as every measured call (pacing aside), so connections are open and code is compiled before the first
/// measurement: the first invocation's latency is the model's, not the harness's start-up.
/// </summary>
internal static class AccessCheck
{
    private static readonly ChatRequest Probe = new() { Prompt = "Hi", MaxOutputTokens = 5 };

    /// <summary>How long the probe may take before the model counts as unreachable.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(30);

    public static async Task<IReadOnlyList<ExcludedModel>> RunAsync(IEnumerable<ModelProfile> profiles, ModelClientFactory clients, ModelCaller caller, CancellationToken cancellationToken)
    {
        var checks = profiles.DistinctBy(p => (p.Key, p.Role)).Select(async profile =>
        {
            var outcome = await caller.CallAsync(profile, clients.Create(profile), Probe, cancellationToken, retry: false).ConfigureAwait(false);
            return outcome.Failure is { } e && !(e.IsTransient || e.Kind is FailureKind.Validation or FailureKind.ContentFilter or FailureKind.UnexpectedFinish or FailureKind.EmptyResponse)
                ? new ExcludedModel(profile.DisplayName, profile.Region, profile.Role.ToString().ToLowerInvariant(), e.Code, clients.Redactor.Redact(e.Message))
                : null;
        });

        var results = await Task.WhenAll(checks).ConfigureAwait(false);
        return results.OfType<ExcludedModel>().ToList();
    }
}
