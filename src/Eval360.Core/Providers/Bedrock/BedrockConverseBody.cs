using System.Buffers;
using System.Text.Json;

namespace Eval360.Providers.Bedrock;

/// <summary>
/// Writes a Converse/ConverseStream request body: the user message (an image block, then the prompt), the system prompt,
/// <c>inferenceConfig</c>, <c>serviceTier</c> and, for structured output, a single tool the model is made to call, whose
/// input schema is the one the reply must follow.
/// </summary>
internal static class BedrockConverseBody
{
    /// <summary>JSON for an API, not for HTML: prompts keep their characters instead of growing into \u escapes.</summary>
    private static readonly JsonWriterOptions RequestJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <param name="serviceTier">The profile's tier; <c>default</c> or null sends none (the service's own default).</param>
    /// <param name="structured">Ask for <see cref="ChatRequest.ResponseFormat"/> through a forced tool call.</param>
    public static byte[] Write(ChatRequest request, BedrockImage? image, string? serviceTier, bool structured)
    {
        var buffer = new ArrayBufferWriter<byte>(1024 + request.Prompt.Length * 2 + (request.SystemPrompt?.Length ?? 0) * 2 + (image?.Base64.Length ?? 0));
        using (var json = new Utf8JsonWriter(buffer, RequestJson))
        {
            json.WriteStartObject();
            json.WriteStartArray("messages"u8);
            json.WriteStartObject();
            json.WriteString("role"u8, "user"u8);
            json.WriteStartArray("content"u8);
            if (image is not null)
            {
                // Image first: models reading both answer better when the picture comes before the question.
                json.WriteStartObject();
                json.WriteStartObject("image"u8);
                json.WriteString("format"u8, image.Format);
                json.WriteStartObject("source"u8);
                json.WriteString("bytes"u8, image.Base64);
                json.WriteEndObject();
                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteStartObject();
            json.WriteString("text"u8, request.Prompt);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();

            if (request.SystemPrompt is not null)
            {
                json.WriteStartArray("system"u8);
                json.WriteStartObject();
                json.WriteString("text"u8, request.SystemPrompt);
                json.WriteEndObject();
                json.WriteEndArray();
            }

            json.WriteStartObject("inferenceConfig"u8);
            json.WriteNumber("maxTokens"u8, request.MaxOutputTokens);
            if (request.Temperature is double temperature)
            {
                json.WriteNumber("temperature"u8, temperature);
            }

            json.WriteEndObject();

            if (serviceTier is not null && !serviceTier.Equals("default", StringComparison.OrdinalIgnoreCase))
            {
                json.WriteStartObject("serviceTier"u8);
                json.WriteString("type"u8, serviceTier.ToLowerInvariant());
                json.WriteEndObject();
            }

            if (structured && request.ResponseFormat is { } format)
            {
                WriteToolConfig(json, format);
            }

            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteToolConfig(Utf8JsonWriter json, StructuredOutput format)
    {
        json.WriteStartObject("toolConfig"u8);
        json.WriteStartArray("tools"u8);
        json.WriteStartObject();
        json.WriteStartObject("toolSpec"u8);
        json.WriteString("name"u8, format.Name);
        json.WriteString("description"u8, "Give the whole answer through this tool, as JSON that follows its input schema.");
        json.WriteStartObject("inputSchema"u8);
        json.WritePropertyName("json"u8);
        json.WriteRawValue(format.Schema.ToMemory().Span, skipInputValidation: true);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteStartObject("toolChoice"u8);
        json.WriteStartObject("tool"u8);
        json.WriteString("name"u8, format.Name);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
