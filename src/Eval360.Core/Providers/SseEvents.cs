using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;

namespace Eval360.Providers;

/// <summary>
/// The pull loop of the server-sent-events readers (OpenAI's and Anthropic's streams): each event's data goes through
/// the reader's own parser, and a failure to read — a dropped connection, data that is not JSON — is classified here,
/// once, rather than in every reader.
/// </summary>
internal static class SseEvents
{
    public static async IAsyncEnumerable<T> ReadAsync<T>(Stream stream, SseItemParser<T> parse, Func<string, string> redact, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var events = SseParser.Create(stream, parse).EnumerateAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (await NextAsync(events, redact, cancellationToken).ConfigureAwait(false))
            {
                yield return events.Current.Data;
            }
        }
        finally
        {
            await events.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The next event; a pending read is awaited with a pooled state machine (one per chunk would be garbage).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<bool> NextAsync<T>(IAsyncEnumerator<SseItem<T>> events, Func<string, string> redact, CancellationToken cancellationToken)
    {
        try
        {
            return await events.MoveNextAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw HttpFailures.FromException(e, "reading the stream", redact);
        }
    }
}
