using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Eval360.Providers.OpenAI;

/// <summary>
/// Reads an OpenAI Chat Completions SSE stream into <see cref="ChatChunk"/>s: content and <c>reasoning_content</c> /
/// <c>reasoning</c> deltas, the final usage chunk, the finish reason, and mid-stream error events, which become
/// exceptions instead of a quietly shortened answer. A stream that stops before a finish reason or <c>[DONE]</c> is
/// reported as interrupted.
/// </summary>
internal static class OpenAIStreamReader
{
    public static async IAsyncEnumerable<ChatChunk> ReadAsync(Stream stream, Func<string, string> redact, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        bool done = false, finished = false;
        await foreach (var item in SseEvents.ReadAsync(stream, static (_, data) => Parse(data), redact, cancellationToken).ConfigureAwait(false))
        {
            if (item.Done)
            {
                done = true;
                yield return ChatChunk.EndAt(TimedBodyStream.LastReadOf(stream));
                break;
            }

            if (item.ErrorMessage is not null)
            {
                throw MidStreamError(item, redact);
            }

            if (!string.IsNullOrEmpty(item.Reasoning))
            {
                yield return ChatChunk.Reasoning(item.Reasoning, TimedBodyStream.LastReadOf(stream));
            }

            if (!string.IsNullOrEmpty(item.Content))
            {
                yield return ChatChunk.Answer(item.Content, TimedBodyStream.LastReadOf(stream));
            }

            if (item.FinishReason is not null)
            {
                finished = true;
                yield return ChatChunk.Finish(item.FinishReason);
            }

            if (item.HasUsage)
            {
                yield return ChatChunk.Usage(item.InputTokens, item.OutputTokens);
            }
        }

        if (!done && !finished)
        {
            throw new ProviderException(FailureKind.StreamInterrupted, "the stream ended before the model finished (no finish_reason and no [DONE])");
        }
    }

    private static ProviderException MidStreamError(StreamEvent item, Func<string, string> redact)
    {
        var code = item.ErrorCode ?? item.ErrorType ?? string.Empty;
        var both = $"{item.ErrorCode} {item.ErrorType}";
        var kind = both.Contains("rate_limit", StringComparison.OrdinalIgnoreCase) || code == "429" ? FailureKind.Throttled
            : HttpFailures.IsContentFilter(item.ErrorCode, item.ErrorMessage!) || HttpFailures.IsContentFilter(item.ErrorType, item.ErrorMessage!) ? FailureKind.ContentFilter
            : both.Contains("overloaded", StringComparison.OrdinalIgnoreCase) ? FailureKind.Overloaded
            : FailureKind.StreamInterrupted;
        var codeText = code.Length > 0 ? $" ({code})" : string.Empty;
        return new ProviderException(kind, redact($"the provider sent an error mid-stream{codeText}: {item.ErrorMessage}"));
    }

    /// <summary>One SSE event's payload, reduced to what a benchmark needs.</summary>
    internal struct StreamEvent
    {
        public bool Done;
        public string? Content;
        public string? Reasoning;
        public string? FinishReason;
        public bool HasUsage;
        public long InputTokens;
        public long OutputTokens;
        public string? ErrorMessage;
        public string? ErrorCode;
        public string? ErrorType;
    }

    internal static StreamEvent Parse(ReadOnlySpan<byte> data)
    {
        var item = default(StreamEvent);
        var trimmed = data.Trim((byte)' ');
        if (trimmed.SequenceEqual("[DONE]"u8))
        {
            item.Done = true;
            return item;
        }

        var reader = new Utf8JsonReader(trimmed);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("an SSE event's data is not a JSON object");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("choices"u8))
            {
                reader.Read();
                ReadChoices(ref reader, ref item);
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

        return item;
    }

    private static void ReadChoices(ref Utf8JsonReader reader, ref StreamEvent item)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }

        bool first = true;
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            if (!first)
            {
                reader.Skip();
                continue;
            }

            first = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("delta"u8) || reader.ValueTextEquals("message"u8))
                {
                    reader.Read();
                    ReadDelta(ref reader, ref item);
                }
                else if (reader.ValueTextEquals("finish_reason"u8))
                {
                    reader.Read();
                    item.FinishReason = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
    }

    private static void ReadDelta(ref Utf8JsonReader reader, ref StreamEvent item)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool content = reader.ValueTextEquals("content"u8);
            bool reasoning = !content && (reader.ValueTextEquals("reasoning_content"u8) || reader.ValueTextEquals("reasoning"u8));
            reader.Read();
            if ((content || reasoning) && reader.TokenType == JsonTokenType.String)
            {
                var text = reader.GetString();
                if (content)
                {
                    item.Content = text;
                }
                else
                {
                    item.Reasoning = text;
                }
            }
            else
            {
                reader.Skip();
            }
        }
    }

    private static void ReadUsage(ref Utf8JsonReader reader, ref StreamEvent item) =>
        UsageJson.Read(ref reader, "prompt_tokens"u8, "completion_tokens"u8, ref item.HasUsage, ref item.InputTokens, ref item.OutputTokens);

    private static void ReadError(ref Utf8JsonReader reader, ref StreamEvent item)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            item.ErrorMessage = reader.GetString();
            return;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            item.ErrorMessage = reader.TokenType == JsonTokenType.Null ? null : "unspecified error";
            reader.Skip();
            return;
        }

        item.ErrorMessage = "unspecified error";
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool message = reader.ValueTextEquals("message"u8);
            bool code = !message && reader.ValueTextEquals("code"u8);
            bool type = !message && !code && reader.ValueTextEquals("type"u8);
            reader.Read();
            if (message && reader.TokenType == JsonTokenType.String)
            {
                item.ErrorMessage = reader.GetString();
            }
            else if ((code || type) && reader.TokenType is JsonTokenType.String or JsonTokenType.Number)
            {
                var value = reader.TokenType == JsonTokenType.String ? reader.GetString() : reader.GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (code)
                {
                    item.ErrorCode = value;
                }
                else
                {
                    item.ErrorType = value;
                }
            }
            else
            {
                reader.Skip();
            }
        }
    }
}
