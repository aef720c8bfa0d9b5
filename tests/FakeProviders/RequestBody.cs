using System.Buffers;
using System.IO.Pipelines;

namespace Eval360.FakeProviders;

internal static class RequestBody
{
    /// <summary>Buffers the whole request body; the caller hands it back with <c>reader.AdvanceTo(body.End)</c>.</summary>
    public static async Task<ReadOnlySequence<byte>> ReadToEndAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (read.IsCompleted)
            {
                return read.Buffer;
            }

            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }
}
