using System.Runtime.CompilerServices;

namespace Eval360.Providers;

/// <summary>
/// A response body that notes when each read returned bytes, on the run's clock. The stream readers stamp each chunk
/// with the read that completed it, so a token's time is when its bytes came off the socket, not when parsing it and
/// handing it up through the readers had finished — work that piles up when hundreds of streams deliver at once.
/// </summary>
internal sealed class TimedBodyStream(Stream inner, TimeProvider time) : Stream
{
    private long _lastRead;

    /// <summary>When the latest read that returned bytes completed (a <see cref="TimeProvider"/> timestamp); 0 before any.</summary>
    public long LastRead => Volatile.Read(ref _lastRead);

    /// <summary>The latest read's time when <paramref name="stream"/> is timed; 0 (meaning "now") otherwise.</summary>
    public static long LastReadOf(Stream stream) => stream is TimedBodyStream timed ? timed.LastRead : 0;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = inner.ReadAsync(buffer, cancellationToken);
        if (read.IsCompletedSuccessfully)
        {
            return ValueTask.FromResult(Note(read.Result));
        }

        return AwaitAsync(read);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(Span<byte> buffer) => Note(inner.Read(buffer));

    public override int Read(byte[] buffer, int offset, int count) => Note(inner.Read(buffer, offset, count));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync() => inner.DisposeAsync();

    /// <summary>A pending read, awaited with a pooled state machine: no allocation per chunk on the hot path.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> AwaitAsync(ValueTask<int> read) => Note(await read.ConfigureAwait(false));

    private int Note(int count)
    {
        if (count > 0)
        {
            Volatile.Write(ref _lastRead, time.GetTimestamp());
        }

        return count;
    }
}
