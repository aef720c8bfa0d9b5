using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Eval360.FakeProviders;

/// <summary>An Anthropic error: status and <c>{"type":"error","error":{"type","message"},"request_id"}</c>.</summary>
internal sealed record AnthropicError(int Status, string Type, string Message)
{
    private static readonly JsonWriterOptions RelaxedJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static AnthropicError InvalidRequest(string message) => new(400, "invalid_request_error", message);

    public static AnthropicError Authentication(string message) => new(401, "authentication_error", message);

    public static AnthropicError NotFound() => new(404, "not_found_error", "Not Found");

    public static AnthropicError MethodNotAllowed() => new(405, "invalid_request_error", "Method Not Allowed");

    /// <summary>The error of an injected status, with the type and text the real service uses for it.</summary>
    public static AnthropicError ForStatus(int status, string? type, string? message) => status switch
    {
        429 => new(429, type ?? "rate_limit_error", message ?? "This request would exceed the rate limit for your organization of 50 requests per minute. You can see the response headers for current usage. Please try again later."),
        529 => new(529, type ?? "overloaded_error", message ?? "Overloaded"),
        401 => new(401, type ?? "authentication_error", message ?? "invalid x-api-key"),
        403 => new(403, type ?? "permission_error", message ?? "Your API key does not have permission to use the specified resource."),
        404 => new(404, type ?? "not_found_error", message ?? "model: not found"),
        413 => new(413, type ?? "request_too_large", message ?? "Request exceeds the maximum allowed number of bytes."),
        504 => new(504, type ?? "timeout_error", message ?? "Request timed out"),
        >= 500 => new(status, type ?? "api_error", message ?? "Internal server error"),
        _ => new(status, type ?? "invalid_request_error", message ?? "Injected error."),
    };

    /// <summary>The status Anthropic answers a non-streaming request with when this type of error happens while generating.</summary>
    public static int StatusOf(string type) => type switch
    {
        "overloaded_error" => 529,
        "rate_limit_error" => 429,
        "timeout_error" => 504,
        "invalid_request_error" => 400,
        _ => 500,
    };

    public byte[] ToJson(string requestId)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, RelaxedJson))
        {
            WriteBody(json);
            json.WriteString("request_id"u8, requestId);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The data of a mid-stream <c>event: error</c>: <c>{"type":"error","error":{"type","message"}}</c>.</summary>
    public byte[] ToEventJson()
    {
        var buffer = new ArrayBufferWriter<byte>(160);
        using (var json = new Utf8JsonWriter(buffer, RelaxedJson))
        {
            WriteBody(json);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private void WriteBody(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("type"u8, "error"u8);
        json.WriteStartObject("error"u8);
        json.WriteString("type"u8, Type);
        json.WriteString("message"u8, Message);
        json.WriteEndObject();
    }
}
