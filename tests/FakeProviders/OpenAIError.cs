using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Eval360.FakeProviders;

/// <summary>An error response: status and an OpenAI-style body <c>{"error":{"message","type","param","code"}}</c>.</summary>
internal sealed record OpenAIError(int Status, string Message, string Type, string? Param, string? Code)
{
    private static readonly JsonWriterOptions RelaxedJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Azure's own shape for auth failures: <c>{"error":{"code":"401","message":…}}</c>.</summary>
    public bool AzureShape { get; init; }

    public static OpenAIError InvalidRequest(string message, string? param, string? code) =>
        new(400, message, "invalid_request_error", param, code);

    public static OpenAIError InvalidApiKey(string message) =>
        new(401, message, "invalid_request_error", null, "invalid_api_key");

    public static OpenAIError AzureAccessDenied(string message) =>
        new(401, message, "invalid_request_error", null, "401") { AzureShape = true };

    public static OpenAIError NotFound(string method, string path) =>
        new(404, $"Invalid URL ({method} {path})", "invalid_request_error", null, null);

    public static OpenAIError MethodNotAllowed(string method, string path) =>
        new(405, $"Invalid method for URL ({method} {path})", "invalid_request_error", null, null);

    public static OpenAIError ResponseFormatUnsupported() =>
        InvalidRequest("response_format json_schema is not supported", "response_format", null);

    /// <summary>The error of an injected status, with the text the real service uses for it.</summary>
    public static OpenAIError ForStatus(int status, string? message) => status switch
    {
        429 => new(429, message ?? "Rate limit reached for requests. Please try again in 1s.", "requests", null, "rate_limit_exceeded"),
        529 => new(529, message ?? "Overloaded", "overloaded_error", null, null),
        503 => new(503, message ?? "The server is overloaded or not ready yet.", "server_error", null, null),
        >= 500 => new(status, message ?? "The server had an error while processing your request. Sorry about that!", "server_error", null, null),
        _ => new(status, message ?? "Injected error.", "invalid_request_error", null, null),
    };

    public byte[] ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, RelaxedJson))
        {
            json.WriteStartObject();
            json.WriteStartObject("error"u8);
            if (AzureShape)
            {
                json.WriteString("code"u8, Code);
                json.WriteString("message"u8, Message);
            }
            else
            {
                json.WriteString("message"u8, Message);
                json.WriteString("type"u8, Type);
                json.WriteString("param"u8, Param);
                json.WriteString("code"u8, Code);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The mid-stream error event's JSON, exactly <c>{"error":{"message":…,"type":"server_error","code":null}}</c>.</summary>
    public static byte[] MidStreamEventJson(string? message)
    {
        var buffer = new ArrayBufferWriter<byte>(160);
        using (var json = new Utf8JsonWriter(buffer, RelaxedJson))
        {
            json.WriteStartObject();
            json.WriteStartObject("error"u8);
            json.WriteString("message"u8, message ?? "The server had an error while processing your request. Sorry about that!");
            json.WriteString("type"u8, "server_error"u8);
            json.WriteNull("code"u8);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
