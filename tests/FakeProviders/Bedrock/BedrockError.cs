using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Eval360.FakeProviders;

/// <summary>
/// An error as Bedrock Runtime sends it over HTTP: the status, the exception's name in <c>x-amzn-ErrorType</c>
/// (<c>ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/</c>) and <c>{"message": …}</c>.
/// </summary>
internal sealed record BedrockError(int Status, string Type, string Message)
{
    private static readonly JsonWriterOptions RelaxedJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static BedrockError Validation(string message) => new(400, "ValidationException", message);

    public static BedrockError UnknownOperation() => new(404, "UnknownOperationException", "");

    /// <summary>The exception Bedrock sends with a status, and its usual message unless one is given.</summary>
    public static BedrockError ForStatus(int status, string? message) => status switch
    {
        400 => new(400, "ValidationException", message ?? "Malformed input request, please reformat your input and try again."),
        403 => new(403, "AccessDeniedException", message ?? "You don't have access to the model with the specified model ID."),
        404 => new(404, "ResourceNotFoundException", message ?? "The provided model identifier is invalid."),
        408 => new(408, "ModelTimeoutException", message ?? "Model has timed out in processing the request. Try your request again."),
        424 => new(424, "ModelErrorException", message ?? "The model returned an error."),
        429 => new(429, "ThrottlingException", message ?? "Too many requests, please wait before trying again."),
        500 => new(500, "InternalServerException", message ?? "The server encountered an internal error while processing the request."),
        503 => new(503, "ServiceUnavailableException", message ?? "Bedrock is unable to process your request."),
        _ => new(status, status >= 500 ? "InternalServerException" : "ValidationException", message ?? "The request failed."),
    };

    /// <summary>The <c>:exception-type</c> of an event-stream exception: the exception's name in lower camel case.</summary>
    public static string EventType(string type) => char.ToLowerInvariant(type[0]) + type[1..];

    public byte[] Json() => MessageJson(Message);

    public static byte[] MessageJson(string message)
    {
        var buffer = new ArrayBufferWriter<byte>(64 + message.Length);
        using (var json = new Utf8JsonWriter(buffer, RelaxedJson))
        {
            json.WriteStartObject();
            json.WriteString("message"u8, message);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public async Task WriteAsync(HttpResponse response)
    {
        var body = Json();
        response.StatusCode = Status;
        response.ContentType = "application/json";
        response.Headers["x-amzn-ErrorType"] = $"{Type}:http://internal.amazon.com/coral/com.amazon.bedrock/";
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body).ConfigureAwait(false);
        await response.CompleteAsync().ConfigureAwait(false);
    }
}
