using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace Eval360.FakeProviders;

/// <summary>
/// Writes AWS event-stream messages (<c>application/vnd.amazon.eventstream</c>), independently of the AWS SDK: a prelude
/// (total length, headers length, CRC-32 of those eight bytes), string headers (type 7), the payload, and the CRC-32 of
/// everything before it. All integers are big-endian.
/// </summary>
public static class BedrockEventStream
{
    private const byte StringHeaderType = 7;
    private const int PreludeLength = 12;
    private const int TrailerLength = 4;

    /// <summary>An event (<c>:message-type</c> <c>event</c>) such as <c>contentBlockDelta</c>, with a JSON payload.</summary>
    public static byte[] Event(string eventType, ReadOnlySpan<byte> json) =>
        Message([(":event-type", eventType), (":content-type", "application/json"), (":message-type", "event")], json);

    /// <summary>An exception (<c>:message-type</c> <c>exception</c>) such as <c>throttlingException</c>, with <c>{"message": …}</c>.</summary>
    public static byte[] Exception(string exceptionType, ReadOnlySpan<byte> json) =>
        Message([(":exception-type", exceptionType), (":content-type", "application/json"), (":message-type", "exception")], json);

    /// <summary>Any message with string headers, in the order given.</summary>
    public static byte[] Message(IReadOnlyList<(string Name, string Value)> headers, ReadOnlySpan<byte> payload)
    {
        var buffer = new ArrayBufferWriter<byte>(PreludeLength + 64 * headers.Count + payload.Length + TrailerLength);
        Write(buffer, headers, payload);
        return buffer.WrittenSpan.ToArray();
    }

    public static void Write(IBufferWriter<byte> output, IReadOnlyList<(string Name, string Value)> headers, ReadOnlySpan<byte> payload)
    {
        int headersLength = 0;
        foreach (var (name, value) in headers)
        {
            headersLength += 1 + Encoding.UTF8.GetByteCount(name) + 1 + 2 + Encoding.UTF8.GetByteCount(value);
        }

        int total = PreludeLength + headersLength + payload.Length + TrailerLength;
        var message = output.GetSpan(total)[..total];
        BinaryPrimitives.WriteInt32BigEndian(message, total);
        BinaryPrimitives.WriteInt32BigEndian(message[4..], headersLength);
        BinaryPrimitives.WriteUInt32BigEndian(message[8..], Crc32.HashToUInt32(message[..8]));

        int at = PreludeLength;
        foreach (var (name, value) in headers)
        {
            int nameLength = Encoding.UTF8.GetBytes(name, message[(at + 1)..]);
            message[at] = checked((byte)nameLength);
            at += 1 + nameLength;
            message[at++] = StringHeaderType;
            int valueLength = Encoding.UTF8.GetBytes(value, message[(at + 2)..]);
            BinaryPrimitives.WriteUInt16BigEndian(message[at..], checked((ushort)valueLength));
            at += 2 + valueLength;
        }

        payload.CopyTo(message[at..]);
        at += payload.Length;
        BinaryPrimitives.WriteUInt32BigEndian(message[at..], Crc32.HashToUInt32(message[..at]));
        output.Advance(total);
    }
}
