using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Eval360.FakeProviders;

/// <summary>The kind of content block an Anthropic reply streams.</summary>
internal enum AnthropicBlock
{
    Text,
    Thinking,
    ToolUse,
}

/// <summary>
/// The JSON of Anthropic's stream events and messages, laid out as the API sends them. Events are built as byte
/// arrays, so a reply's identical deltas share one.
/// </summary>
internal sealed class AnthropicJson(string messageId, string toolUseId, string model)
{
    private static readonly JsonWriterOptions RelaxedJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Exactly what Anthropic sends, space included.</summary>
    public static ReadOnlySpan<byte> Ping => """{"type": "ping"}"""u8;

    public static ReadOnlySpan<byte> MessageStop => """{"type":"message_stop"}"""u8;

    /// <summary>A thinking block's closing signature (opaque to clients; Anthropic's is a long base64 string).</summary>
    public const string Signature = "RmFrZVByb3ZpZGVyczogbm90IGEgcmVhbCBzaWduYXR1cmU=";

    /// <summary><c>message_start</c>: the whole (still empty) message, with the input tokens and one output token.</summary>
    public byte[] MessageStart(int inputTokens) => Build(json =>
    {
        json.WriteString("type"u8, "message_start"u8);
        json.WritePropertyName("message"u8);
        json.WriteStartObject();
        WriteEnvelope(json);
        json.WriteStartArray("content"u8);
        json.WriteEndArray();
        json.WriteNull("stop_reason"u8);
        json.WriteNull("stop_sequence"u8);
        json.WritePropertyName("usage"u8);
        WriteUsage(json, inputTokens, 1);
        json.WriteEndObject();
    });

    public byte[] BlockStart(int index, AnthropicBlock block, string? toolName) => Build(json =>
    {
        json.WriteString("type"u8, "content_block_start"u8);
        json.WriteNumber("index"u8, index);
        json.WriteStartObject("content_block"u8);
        switch (block)
        {
            case AnthropicBlock.Thinking:
                json.WriteString("type"u8, "thinking"u8);
                json.WriteString("thinking"u8, ""u8);
                json.WriteString("signature"u8, ""u8);
                break;
            case AnthropicBlock.ToolUse:
                json.WriteString("type"u8, "tool_use"u8);
                json.WriteString("id"u8, toolUseId);
                json.WriteString("name"u8, toolName);
                json.WriteStartObject("input"u8);
                json.WriteEndObject();
                break;
            default:
                json.WriteString("type"u8, "text"u8);
                json.WriteString("text"u8, ""u8);
                break;
        }

        json.WriteEndObject();
    });

    /// <summary><c>content_block_delta</c> of a text_delta, thinking_delta, input_json_delta or signature_delta.</summary>
    public static byte[] Delta(int index, AnthropicBlock block, string text) => Build(json =>
    {
        json.WriteString("type"u8, "content_block_delta"u8);
        json.WriteNumber("index"u8, index);
        json.WriteStartObject("delta"u8);
        switch (block)
        {
            case AnthropicBlock.Thinking:
                json.WriteString("type"u8, "thinking_delta"u8);
                json.WriteString("thinking"u8, text);
                break;
            case AnthropicBlock.ToolUse:
                json.WriteString("type"u8, "input_json_delta"u8);
                json.WriteString("partial_json"u8, text);
                break;
            default:
                json.WriteString("type"u8, "text_delta"u8);
                json.WriteString("text"u8, text);
                break;
        }

        json.WriteEndObject();
    });

    public static byte[] SignatureDelta(int index) => Build(json =>
    {
        json.WriteString("type"u8, "content_block_delta"u8);
        json.WriteNumber("index"u8, index);
        json.WriteStartObject("delta"u8);
        json.WriteString("type"u8, "signature_delta"u8);
        json.WriteString("signature"u8, Signature);
        json.WriteEndObject();
    });

    public static byte[] BlockStop(int index) => Build(json =>
    {
        json.WriteString("type"u8, "content_block_stop"u8);
        json.WriteNumber("index"u8, index);
    });

    /// <summary><c>message_delta</c>: the stop reason and the (cumulative) output tokens.</summary>
    public static byte[] MessageDelta(string stopReason, int outputTokens) => Build(json =>
    {
        json.WriteString("type"u8, "message_delta"u8);
        json.WriteStartObject("delta"u8);
        json.WriteString("stop_reason"u8, stopReason);
        json.WriteNull("stop_sequence"u8);
        json.WriteEndObject();
        json.WriteStartObject("usage"u8);
        json.WriteNumber("output_tokens"u8, outputTokens);
        json.WriteEndObject();
    });

    /// <summary>A whole non-streaming message. A tool's input that is not a JSON object is sent as a text block.</summary>
    public byte[] Message(ReplyPlan plan, string? toolName, string? stopReason) => Build(json =>
    {
        WriteEnvelope(json);
        json.WriteStartArray("content"u8);
        if (plan.ReasoningChunks > 0)
        {
            json.WriteStartObject();
            json.WriteString("type"u8, "thinking"u8);
            json.WriteString("thinking"u8, plan.ReasoningText);
            json.WriteString("signature"u8, Signature);
            json.WriteEndObject();
        }

        json.WriteStartObject();
        if (toolName is not null && IsJsonObject(plan.Content))
        {
            json.WriteString("type"u8, "tool_use"u8);
            json.WriteString("id"u8, toolUseId);
            json.WriteString("name"u8, toolName);
            json.WritePropertyName("input"u8);
            json.WriteRawValue(plan.Content);
        }
        else
        {
            json.WriteString("type"u8, "text"u8);
            json.WriteString("text"u8, plan.Content);
        }

        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteString("stop_reason"u8, stopReason);
        json.WriteNull("stop_sequence"u8);
        json.WritePropertyName("usage"u8);
        WriteUsage(json, plan.PromptTokens, plan.CompletionTokens);
    });

    private void WriteEnvelope(Utf8JsonWriter json)
    {
        json.WriteString("id"u8, messageId);
        json.WriteString("type"u8, "message"u8);
        json.WriteString("role"u8, "assistant"u8);
        json.WriteString("model"u8, model);
    }

    private static void WriteUsage(Utf8JsonWriter json, int inputTokens, int outputTokens)
    {
        json.WriteStartObject();
        json.WriteNumber("input_tokens"u8, inputTokens);
        json.WriteNumber("cache_creation_input_tokens"u8, 0);
        json.WriteNumber("cache_read_input_tokens"u8, 0);
        json.WriteNumber("output_tokens"u8, outputTokens);
        json.WriteString("service_tier"u8, "standard"u8);
        json.WriteEndObject();
    }

    private static bool IsJsonObject(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>One JSON object: the writer fills in its properties.</summary>
    private static byte[] Build(Action<Utf8JsonWriter> properties)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, RelaxedJson))
        {
            json.WriteStartObject();
            properties(json);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
