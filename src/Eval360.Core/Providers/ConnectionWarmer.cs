namespace Eval360.Providers;

/// <summary>
/// Opens connections to a provider before the measured calls, so they do not pay for TCP and TLS set-up that later
/// calls never see: concurrent <c>GET</c>s of a URL that costs nothing (no model call, no tokens), whose connections
/// stay in the shared pool whatever their status. Failures are ignored: warming is an optimisation, not a check.
/// </summary>
internal static class ConnectionWarmer
{
    public static Task OpenAsync(HttpClient http, Uri url, int connections, CancellationToken cancellationToken)
    {
        async Task OpenOne()
        {
            try
            {
                using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
            }
        }

        return Task.WhenAll(Enumerable.Range(0, connections).Select(_ => OpenOne()));
    }
}
