using System.Buffers.Binary;
using Amazon.Runtime.EventStreams;

namespace Eval360.Providers.Bedrock;

/// <summary>
/// An AWS event stream (<c>application/vnd.amazon.eventstream</c>: ConverseStream, OptimizePrompt) cut into messages.
/// It only finds where each message ends (the prelude's total length); the AWS SDK's
/// <see cref="EventStreamMessage.FromBuffer"/> checks both CRCs and decodes the headers.
/// </summary>
internal sealed class EventStreamFrames(Stream stream, Func<string, string> redact)
{
    private const int PreludeLength = 12;
    private const int MinMessageLength = PreludeLength + 4;

    // The event-stream format caps a message at 16 MiB; a larger length means a corrupt prelude, not a big event.
    private const int MaxMessageLength = 16 * 1024 * 1024;

    private byte[] _buffer = new byte[8 * 1024];

    /// <summary>The next message, or null at the end of the stream.</summary>
    public async ValueTask<EventStreamMessage?> NextAsync(CancellationToken cancellationToken)
    {
        int got = await ReadAsync(_buffer.AsMemory(0, PreludeLength), cancellationToken).ConfigureAwait(false);
        if (got == 0)
        {
            return null;
        }

        if (got < PreludeLength)
        {
            throw BrokeOff();
        }

        int length = BinaryPrimitives.ReadInt32BigEndian(_buffer);
        if (length is < MinMessageLength or > MaxMessageLength)
        {
            throw new ProviderException(FailureKind.InvalidResponse, $"an event-stream message claims {length} bytes; this is not an AWS event stream");
        }

        if (length > _buffer.Length)
        {
            var larger = new byte[Math.Max(length, _buffer.Length * 2)];
            _buffer.AsSpan(0, PreludeLength).CopyTo(larger);
            _buffer = larger;
        }

        got = await ReadAsync(_buffer.AsMemory(PreludeLength, length - PreludeLength), cancellationToken).ConfigureAwait(false);
        if (got < length - PreludeLength)
        {
            throw BrokeOff();
        }

        try
        {
            return EventStreamMessage.FromBuffer(_buffer, 0, length);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new ProviderException(FailureKind.InvalidResponse, $"an event-stream message is corrupt: {e.Message}", inner: e);
        }
    }

    private async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        try
        {
            return await stream.ReadAtLeastAsync(destination, destination.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw HttpFailures.FromException(e, "reading the stream", redact);
        }
    }

    /// <summary>A string header's value (<c>:event-type</c>, <c>:message-type</c>…), or null when absent or not a string.</summary>
    public static string? StringHeader(EventStreamMessage message, string name) =>
        message.Headers.TryGetValue(name, out var header) && header.HeaderType == EventStreamHeaderType.String ? header.AsString() : null;

    private static ProviderException BrokeOff() =>
        new(FailureKind.StreamInterrupted, "the stream broke off in the middle of an event");
}
