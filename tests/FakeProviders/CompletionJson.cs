using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Eval360.FakeProviders;

/// <summary>
/// Writes one completion's JSON exactly as OpenAI lays it out. The envelope (id, created, model) is encoded once
/// per request and each chunk only adds its delta.
/// </summary>
internal sealed class CompletionJson
{
    private static readonly JsonWriterOptions RelaxedJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    public static ReadOnlySpan<byte> RoleDelta => """{"role":"assistant","content":"","refusal":null}"""u8;
    public static ReadOnlySpan<byte> FinishDelta => "{}"u8;

    private readonly string _id;
    private readonly long _created;
    private readonly string _model;
    private readonly byte[] _chunkPrefix;
    private readonly bool _usageField;

    /// <param name="usageField">Whether chunks carry <c>"usage":null</c>: OpenAI adds it when usage was asked for.</param>
    public CompletionJson(string id, long created, string model, bool usageField)
    {
        _id = id;
        _created = created;
        _model = model;
        _usageField = usageField;
        var prefix = new ArrayBufferWriter<byte>(160);
        using (var json = new Utf8JsonWriter(prefix, RelaxedJson))
        {
            json.WriteStartObject();
            WriteEnvelope(json, "chat.completion.chunk"u8);
            json.WriteStartArray("choices"u8);
            json.Flush();
        }

        _chunkPrefix = prefix.WrittenSpan.ToArray();
    }

    /// <summary><c>{…envelope…,"choices":[{"index":0,"delta":DELTA,"logprobs":null,"finish_reason":…}]}</c>.</summary>
    public void WriteChunk(IBufferWriter<byte> output, ReadOnlySpan<byte> delta, string? finishReason)
    {
        output.Write(_chunkPrefix);
        output.Write("""{"index":0,"delta":"""u8);
        output.Write(delta);
        output.Write(""","logprobs":null,"finish_reason":"""u8);
        if (finishReason is null)
        {
            output.Write("null"u8);
        }
        else
        {
            WriteString(output, finishReason);
        }

        output.Write("}]"u8);
        if (_usageField)
        {
            output.Write(""","usage":null"""u8);
        }

        output.Write("}"u8);
    }

    /// <summary>The last chunk of a stream that asked for usage: no choices, the usage object.</summary>
    public void WriteUsageChunk(IBufferWriter<byte> output, ReplyPlan plan)
    {
        output.Write(_chunkPrefix);
        output.Write("],\"usage\":"u8);
        using (var json = new Utf8JsonWriter(output, RelaxedJson))
        {
            WriteUsage(json, plan);
        }

        output.Write("}"u8);
    }

    /// <summary>A whole non-streaming <c>chat.completion</c>.</summary>
    public byte[] Completion(ReplyPlan plan, string? finishReason, bool includeUsage)
    {
        var buffer = new ArrayBufferWriter<byte>(512 + plan.Content.Length * 2);
        using (var json = new Utf8JsonWriter(buffer, RelaxedJson))
        {
            json.WriteStartObject();
            WriteEnvelope(json, "chat.completion"u8);
            json.WriteStartArray("choices"u8);
            json.WriteStartObject();
            json.WriteNumber("index"u8, 0);
            json.WriteStartObject("message"u8);
            json.WriteString("role"u8, "assistant"u8);
            json.WriteString("content"u8, plan.Content);
            if (plan.ReasoningChunks > 0)
            {
                json.WriteString(plan.ReasoningField, plan.ReasoningText);
            }

            json.WriteNull("refusal"u8);
            json.WriteStartArray("annotations"u8);
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteNull("logprobs"u8);
            json.WriteString("finish_reason"u8, finishReason);
            json.WriteEndObject();
            json.WriteEndArray();
            if (includeUsage)
            {
                json.WritePropertyName("usage"u8);
                WriteUsage(json, plan);
            }

            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private void WriteEnvelope(Utf8JsonWriter json, ReadOnlySpan<byte> objectType)
    {
        json.WriteString("id"u8, _id);
        json.WriteString("object"u8, objectType);
        json.WriteNumber("created"u8, _created);
        json.WriteString("model"u8, _model);
        json.WriteString("service_tier"u8, "default"u8);
        json.WriteNull("system_fingerprint"u8);
    }

    private static void WriteUsage(Utf8JsonWriter json, ReplyPlan plan)
    {
        json.WriteStartObject();
        json.WriteNumber("prompt_tokens"u8, plan.PromptTokens);
        json.WriteNumber("completion_tokens"u8, plan.CompletionTokens);
        json.WriteNumber("total_tokens"u8, plan.PromptTokens + plan.CompletionTokens);
        json.WriteStartObject("prompt_tokens_details"u8);
        json.WriteNumber("cached_tokens"u8, 0);
        json.WriteNumber("audio_tokens"u8, 0);
        json.WriteEndObject();
        json.WriteStartObject("completion_tokens_details"u8);
        json.WriteNumber("reasoning_tokens"u8, plan.ReasoningChunks);
        json.WriteNumber("audio_tokens"u8, 0);
        json.WriteNumber("accepted_prediction_tokens"u8, 0);
        json.WriteNumber("rejected_prediction_tokens"u8, 0);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteString(IBufferWriter<byte> output, string value)
    {
        using var json = new Utf8JsonWriter(output, RelaxedJson);
        json.WriteStringValue(value);
    }
}
