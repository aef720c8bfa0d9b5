using Eval360.Providers;
using Eval360.Results;

namespace Eval360.Execution;

/// <summary>
/// Before anything is spent, one minimal request per distinct model and judge, all at once. A model that answers,
/// or is merely busy (throttled, overloaded, 5xx) or rejects the tiny request's parameters, is reachable; one that
/// refuses the key, has no such model, or cannot be reached is left out with the reason.
/// </summary>
internal static class AccessCheck
{
    private static readonly ChatRequest Probe = new() { Prompt = "Hi", MaxOutputTokens = 5 };

    public static async Task<IReadOnlyList<ExcludedModel>> RunAsync(IEnumerable<ModelProfile> profiles, ModelClientFactory clients, TimeProvider time, CancellationToken cancellationToken)
    {
        var checks = profiles.DistinctBy(p => (p.Key, p.Role)).Select(async profile =>
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            try
            {
                await foreach (var _ in clients.Create(profile).StreamAsync(Probe, timeout.Token).ConfigureAwait(false))
                {
                }

                return null;
            }
            catch (ProviderException e) when (e.IsTransient || e.Kind is FailureKind.Validation or FailureKind.ContentFilter or FailureKind.UnexpectedFinish or FailureKind.EmptyResponse)
            {
                return null;
            }
            catch (ProviderException e)
            {
                return new ExcludedModel(profile.DisplayName, profile.Region, profile.Role.ToString().ToLowerInvariant(), e.Code, clients.Redactor.Redact(e.Message));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return new ExcludedModel(profile.DisplayName, profile.Region, profile.Role.ToString().ToLowerInvariant(), FailureKind.InvalidResponse.Code(), clients.Redactor.Redact(e.Message));
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return new ExcludedModel(profile.DisplayName, profile.Region, profile.Role.ToString().ToLowerInvariant(), FailureKind.Timeout.Code(), "no answer to a minimal request within 30 s");
            }
        });

        var results = await Task.WhenAll(checks).ConfigureAwait(false);
        return results.OfType<ExcludedModel>().ToList();
    }
}
