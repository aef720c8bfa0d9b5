using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Amazon.Runtime.EventStreams;

namespace Eval360.Providers.Bedrock;

/// <summary>
/// Reads a ConverseStream response (<c>application/vnd.amazon.eventstream</c>) into <see cref="ChatChunk"/>s: text,
/// reasoning and tool-input deltas, the stop reason, the usage, the service tier that served the request, and exception events, which become classified failures
/// instead of a quietly shortened answer. A stream that stops before <c>messageStop</c> is reported as interrupted.
/// </summary>
internal static class BedrockEventReader
{
    public static async IAsyncEnumerable<ChatChunk> ReadAsync(Stream stream, bool sentImage, Func<string, string> redact, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var frames = new EventStreamFrames(stream, redact);
        bool stopped = false, ended = false;
        while (await frames.NextAsync(cancellationToken).ConfigureAwait(false) is { } message)
        {
            switch (EventStreamFrames.StringHeader(message, ":message-type"))
            {
                case "event":
                    break;
                case "exception":
                    throw BedrockErrors.FromStreamEvent(EventStreamFrames.StringHeader(message, ":exception-type"), PayloadMessage(message.Payload), sentImage, redact);
                case "error":
                    throw BedrockErrors.FromStreamEvent(EventStreamFrames.StringHeader(message, ":error-code"), EventStreamFrames.StringHeader(message, ":error-message") ?? "unspecified error", sentImage, redact);
                default:
                    continue;
            }

            var item = Parse(EventStreamFrames.StringHeader(message, ":event-type"), message.Payload);
            if (!string.IsNullOrEmpty(item.Reasoning))
            {
                yield return ChatChunk.Reasoning(item.Reasoning, TimedBodyStream.LastReadOf(stream));
            }

            if (!string.IsNullOrEmpty(item.Text))
            {
                yield return ChatChunk.Answer(item.Text, TimedBodyStream.LastReadOf(stream));
            }

            if (item.StopReason is not null)
            {
                stopped = true;
                yield return ChatChunk.Finish(item.StopReason);
            }

            if (item.HasUsage)
            {
                yield return ChatChunk.Usage(item.InputTokens, item.OutputTokens);
            }

            if (item.ServiceTier is not null)
            {
                yield return ChatChunk.ServedTier(item.ServiceTier);
            }

            if (item.IsMetadata && stopped && !ended)
            {
                // The metadata event is the stream's last: time to last byte ends here, not when the connection is tidied.
                ended = true;
                yield return ChatChunk.EndAt(TimedBodyStream.LastReadOf(stream));
            }
        }

        if (!stopped)
        {
            throw new ProviderException(FailureKind.StreamInterrupted, "the stream ended before the model finished (no messageStop event)");
        }

        if (!ended)
        {
            yield return ChatChunk.EndAt(TimedBodyStream.LastReadOf(stream));
        }
    }

    /// <summary>One event's payload, reduced to what a benchmark needs.</summary>
    internal struct StreamEvent
    {
        public string? Text;
        public string? Reasoning;
        public string? StopReason;
        public bool IsMetadata;
        public string? ServiceTier;
        public bool HasUsage;
        public long InputTokens;
        public long OutputTokens;
    }

    internal static StreamEvent Parse(string? eventType, ReadOnlySpan<byte> payload)
    {
        var item = default(StreamEvent);
        switch (eventType)
        {
            case "contentBlockDelta":
                ReadObject(payload, ref item, static (ref Utf8JsonReader reader, ref StreamEvent e) =>
                {
                    if (reader.ValueTextEquals("delta"u8))
                    {
                        reader.Read();
                        ReadDelta(ref reader, ref e);
                        return true;
                    }

                    return false;
                });
                break;
            case "messageStop":
                ReadObject(payload, ref item, static (ref Utf8JsonReader reader, ref StreamEvent e) =>
                {
                    if (reader.ValueTextEquals("stopReason"u8))
                    {
                        reader.Read();
                        e.StopReason = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                        reader.Skip();
                        return true;
                    }

                    return false;
                });
                item.StopReason ??= "unknown";
                break;
            case "metadata":
                item.IsMetadata = true;
                ReadObject(payload, ref item, static (ref Utf8JsonReader reader, ref StreamEvent e) =>
                {
                    if (reader.ValueTextEquals("usage"u8))
                    {
                        reader.Read();
                        ReadUsage(ref reader, ref e);
                        return true;
                    }

                    if (reader.ValueTextEquals("serviceTier"u8))
                    {
                        reader.Read();
                        e.ServiceTier = ReadStringMember(ref reader, "type"u8);
                        return true;
                    }

                    return false;
                });
                break;
        }

        return item;
    }

    private delegate bool PropertyReader(ref Utf8JsonReader reader, ref StreamEvent item);

    /// <summary>Walks a top-level object, letting <paramref name="property"/> consume the properties it knows.</summary>
    private static void ReadObject(ReadOnlySpan<byte> payload, ref StreamEvent item, PropertyReader property)
    {
        var reader = new Utf8JsonReader(payload);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new ProviderException(FailureKind.InvalidResponse, "an event's payload is not a JSON object");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!property(ref reader, ref item))
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    /// <summary><c>{"text"}</c>, <c>{"reasoningContent": {"text"}}</c> or <c>{"toolUse": {"input"}}</c> (JSON text, an answer's fragment).</summary>
    private static void ReadDelta(ref Utf8JsonReader reader, ref StreamEvent item)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("text"u8))
            {
                reader.Read();
                item.Text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("reasoningContent"u8))
            {
                reader.Read();
                item.Reasoning = ReadStringMember(ref reader, "text"u8);
            }
            else if (reader.ValueTextEquals("toolUse"u8))
            {
                reader.Read();
                item.Text = ReadStringMember(ref reader, "input"u8);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private static string? ReadStringMember(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        string? value = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool wanted = reader.ValueTextEquals(name);
            reader.Read();
            if (wanted && reader.TokenType == JsonTokenType.String)
            {
                value = reader.GetString();
            }
            else
            {
                reader.Skip();
            }
        }

        return value;
    }

    private static void ReadUsage(ref Utf8JsonReader reader, ref StreamEvent item) =>
        UsageJson.Read(ref reader, "inputTokens"u8, "outputTokens"u8, ref item.HasUsage, ref item.InputTokens, ref item.OutputTokens);

    /// <summary>An exception event's <c>{"message": …}</c>, with a model stream error's original status and message.</summary>
    internal static string PayloadMessage(byte[] payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                var message = (root.TryGetProperty("message", out var m) || root.TryGetProperty("Message", out m)) && m.ValueKind == JsonValueKind.String
                    ? m.GetString()!
                    : "unspecified error";
                if (root.TryGetProperty("originalMessage", out var original) && original.ValueKind == JsonValueKind.String)
                {
                    var status = root.TryGetProperty("originalStatusCode", out var code) && code.ValueKind == JsonValueKind.Number ? $"{code.GetRawText()} " : string.Empty;
                    message += $" (the model said: {status}{original.GetString()})";
                }

                return message;
            }
        }
        catch (JsonException)
        {
        }

        var text = Encoding.UTF8.GetString(payload).Trim();
        return text.Length == 0 ? "unspecified error" : text.Length <= 500 ? text : text[..500] + "…";
    }
}
