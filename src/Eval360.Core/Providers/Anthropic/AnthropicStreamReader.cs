using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Eval360.Providers.Anthropic;

/// <summary>
/// Reads an Anthropic Messages SSE stream (<c>anthropic-version: 2023-06-01</c>) into <see cref="ChatChunk"/>s: text,
/// thinking and tool-input (<c>input_json_delta</c>) deltas, the usage of <c>message_start</c> and <c>message_delta</c>,
/// the stop reason, and <c>event: error</c>, which becomes an exception instead of a quietly shortened answer. A stream
/// that stops before a stop reason or <c>message_stop</c> is reported as interrupted. Events it does not know (and
/// <c>ping</c>) are skipped, as the API's versioning policy asks.
/// </summary>
internal static class AnthropicStreamReader
{
    public static async IAsyncEnumerable<ChatChunk> ReadAsync(Stream stream, Func<string, string> redact, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        bool stopped = false, finished = false;
        long inputTokens = 0;
        await foreach (var item in SseEvents.ReadAsync(stream, static (type, data) => Parse(type, data), redact, cancellationToken).ConfigureAwait(false))
        {
            if (item.Kind == EventKind.MessageStop)
            {
                stopped = true;
                yield return ChatChunk.EndAt(TimedBodyStream.LastReadOf(stream));
                break;
            }

            switch (item.Kind)
            {
                case EventKind.Error:
                    throw MidStreamError(item, redact);
                case EventKind.MessageStart:
                    inputTokens = item.InputTokens;
                    break;
                case EventKind.Answer when !string.IsNullOrEmpty(item.Text):
                    yield return ChatChunk.Answer(item.Text, TimedBodyStream.LastReadOf(stream));
                    break;
                case EventKind.Reasoning when !string.IsNullOrEmpty(item.Text):
                    yield return ChatChunk.Reasoning(item.Text, TimedBodyStream.LastReadOf(stream));
                    break;
                case EventKind.MessageDelta:
                    if (item.StopReason is not null)
                    {
                        finished = true;
                        yield return ChatChunk.Finish(item.StopReason);
                    }

                    if (item.HasOutputTokens)
                    {
                        // Usage in message_delta is cumulative; newer API versions repeat the input count there too.
                        yield return ChatChunk.Usage(item.HasInputTokens ? item.InputTokens : inputTokens, item.OutputTokens);
                    }

                    break;
            }
        }

        if (!stopped && !finished)
        {
            throw new ProviderException(FailureKind.StreamInterrupted, "the stream ended before the model finished (no stop_reason and no message_stop)");
        }
    }

    /// <summary>The error type decides: overloaded and rate-limited are worth another try, as is any other break-off.</summary>
    private static ProviderException MidStreamError(StreamEvent item, Func<string, string> redact)
    {
        var kind = item.ErrorType switch
        {
            "overloaded_error" => FailureKind.Overloaded,
            "rate_limit_error" => FailureKind.Throttled,
            "api_error" => FailureKind.Server,
            _ => FailureKind.StreamInterrupted,
        };
        var type = item.ErrorType is { Length: > 0 } t ? $" ({t})" : string.Empty;
        return new ProviderException(kind, redact($"the provider sent an error mid-stream{type}: {item.ErrorMessage ?? "no message"}"));
    }

    internal enum EventKind
    {
        /// <summary>ping, content_block_stop, a delta without text (signature, citations), or an event this reader does not know.</summary>
        Ignored,
        MessageStart,
        Answer,
        Reasoning,
        MessageDelta,
        MessageStop,
        Error,
    }

    /// <summary>One SSE event's payload, reduced to what a benchmark needs.</summary>
    internal struct StreamEvent
    {
        public EventKind Kind;
        public string? Text;
        public string? StopReason;
        public bool HasInputTokens;
        public long InputTokens;
        public bool HasOutputTokens;
        public long OutputTokens;
        public string? ErrorType;
        public string? ErrorMessage;
    }

    /// <summary>What a JSON object's <c>type</c> names: the event's, a content block's or a delta's.</summary>
    private enum TypeName
    {
        None,
        Other,
        MessageStart,
        ContentBlockStart,
        ContentBlockDelta,
        MessageDelta,
        MessageStop,
        Error,
        Text,
        Thinking,
        TextDelta,
        ThinkingDelta,
        InputJsonDelta,
    }

    /// <summary>
    /// Reads one event. The data's own <c>type</c> decides what it is (the SSE event name says the same, and is the
    /// fallback); properties may come in any order, so everything is collected before anything is decided.
    /// </summary>
    internal static StreamEvent Parse(string eventType, ReadOnlySpan<byte> data)
    {
        var item = default(StreamEvent);
        var trimmed = data.Trim(" \r\n\t"u8);
        if (trimmed.IsEmpty)
        {
            item.Kind = eventType == "error" ? EventKind.Error : EventKind.Ignored;
            return item;
        }

        var reader = new Utf8JsonReader(trimmed);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("an SSE event's data is not a JSON object");
        }

        var type = TypeName.None;
        var blockType = TypeName.None;
        var deltaType = TypeName.None;
        string? blockText = null, deltaText = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                type = ReadType(ref reader);
            }
            else if (reader.ValueTextEquals("message"u8))
            {
                reader.Read();
                ReadMessage(ref reader, ref item);
            }
            else if (reader.ValueTextEquals("content_block"u8))
            {
                reader.Read();
                ReadTextHolder(ref reader, ref blockType, ref blockText, ref item);
            }
            else if (reader.ValueTextEquals("delta"u8))
            {
                reader.Read();
                ReadTextHolder(ref reader, ref deltaType, ref deltaText, ref item);
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                reader.Read();
                ReadUsage(ref reader, ref item);
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                ReadError(ref reader, ref item);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (type == TypeName.None)
        {
            type = eventType == "error" ? TypeName.Error : TypeName.Other;
        }

        switch (type)
        {
            case TypeName.MessageStart:
                item.Kind = EventKind.MessageStart;
                break;
            case TypeName.ContentBlockStart:
                // A block normally starts empty; should one start with text, that text is part of the reply too.
                item.Kind = blockType switch { TypeName.Text => EventKind.Answer, TypeName.Thinking => EventKind.Reasoning, _ => EventKind.Ignored };
                item.Text = blockText;
                break;
            case TypeName.ContentBlockDelta:
                item.Kind = deltaType switch
                {
                    TypeName.TextDelta or TypeName.InputJsonDelta => EventKind.Answer,
                    TypeName.ThinkingDelta => EventKind.Reasoning,
                    _ => EventKind.Ignored,
                };
                item.Text = deltaText;
                break;
            case TypeName.MessageDelta:
                item.Kind = EventKind.MessageDelta;
                break;
            case TypeName.MessageStop:
                item.Kind = EventKind.MessageStop;
                break;
            case TypeName.Error:
                item.Kind = EventKind.Error;
                break;
        }

        return item;
    }

    private static TypeName ReadType(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return TypeName.Other;
        }

        return reader.ValueTextEquals("content_block_delta"u8) ? TypeName.ContentBlockDelta
            : reader.ValueTextEquals("text_delta"u8) ? TypeName.TextDelta
            : reader.ValueTextEquals("thinking_delta"u8) ? TypeName.ThinkingDelta
            : reader.ValueTextEquals("input_json_delta"u8) ? TypeName.InputJsonDelta
            : reader.ValueTextEquals("message_start"u8) ? TypeName.MessageStart
            : reader.ValueTextEquals("content_block_start"u8) ? TypeName.ContentBlockStart
            : reader.ValueTextEquals("message_delta"u8) ? TypeName.MessageDelta
            : reader.ValueTextEquals("message_stop"u8) ? TypeName.MessageStop
            : reader.ValueTextEquals("error"u8) ? TypeName.Error
            : reader.ValueTextEquals("text"u8) ? TypeName.Text
            : reader.ValueTextEquals("thinking"u8) ? TypeName.Thinking
            : TypeName.Other;
    }

    /// <summary>message_start's message: only its usage matters here.</summary>
    private static void ReadMessage(ref Utf8JsonReader reader, ref StreamEvent item)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool usage = reader.ValueTextEquals("usage"u8);
            reader.Read();
            if (usage)
            {
                ReadUsage(ref reader, ref item);
            }
            else
            {
                reader.Skip();
            }
        }
    }

    /// <summary>
    /// A content block or a delta: its type, and whichever text it carries (<c>text</c>, <c>thinking</c>,
    /// <c>partial_json</c>); message_delta's delta carries <c>stop_reason</c> instead.
    /// </summary>
    private static void ReadTextHolder(ref Utf8JsonReader reader, ref TypeName type, ref string? text, ref StreamEvent item)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                type = ReadType(ref reader);
                continue;
            }

            bool isText = reader.ValueTextEquals("text"u8) || reader.ValueTextEquals("thinking"u8) || reader.ValueTextEquals("partial_json"u8);
            bool isStop = !isText && reader.ValueTextEquals("stop_reason"u8);
            reader.Read();
            if ((isText || isStop) && reader.TokenType == JsonTokenType.String)
            {
                if (isText)
                {
                    text = reader.GetString();
                }
                else
                {
                    item.StopReason = reader.GetString();
                }
            }
            else
            {
                reader.Skip();
            }
        }
    }

    /// <summary>
    /// Token counts. Anthropic reports prompt tokens read from or written to its cache apart from the rest; all of
    /// them are input.
    /// </summary>
    private static void ReadUsage(ref Utf8JsonReader reader, ref StreamEvent item)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool input = reader.ValueTextEquals("input_tokens"u8) || reader.ValueTextEquals("cache_creation_input_tokens"u8)
                || reader.ValueTextEquals("cache_read_input_tokens"u8);
            bool output = !input && reader.ValueTextEquals("output_tokens"u8);
            reader.Read();
            if ((input || output) && reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var count))
            {
                if (input)
                {
                    item.HasInputTokens = true;
                    item.InputTokens += count;
                }
                else
                {
                    item.HasOutputTokens = true;
                    item.OutputTokens = count;
                }
            }
            else
            {
                reader.Skip();
            }
        }
    }

    /// <summary><c>{"type":"overloaded_error","message":"Overloaded"}</c>.</summary>
    private static void ReadError(ref Utf8JsonReader reader, ref StreamEvent item)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            item.ErrorMessage = reader.GetString();
            return;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool message = reader.ValueTextEquals("message"u8);
            bool type = !message && reader.ValueTextEquals("type"u8);
            reader.Read();
            if ((message || type) && reader.TokenType == JsonTokenType.String)
            {
                if (message)
                {
                    item.ErrorMessage = reader.GetString();
                }
                else
                {
                    item.ErrorType = reader.GetString();
                }
            }
            else
            {
                reader.Skip();
            }
        }
    }
}
