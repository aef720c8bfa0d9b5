using System.Text.Json;

namespace Eval360.Providers.Bedrock;

/// <summary>
/// Classifies Bedrock's errors — an HTTP error (its <c>x-amzn-ErrorType</c> header, or <c>__type</c> in the body) or an
/// exception event in the middle of a stream (<c>:exception-type</c>) — by the exception's name first and the status
/// second, so a throttle is a throttle whichever way it arrives.
/// </summary>
internal static class BedrockErrors
{
    private const int MaxErrorBodyBytes = 16 * 1024;

    /// <summary>What an HTTP error response said.</summary>
    internal sealed record HttpError(int Status, string? Type, string Message, TimeSpan? RetryAfter, bool SentImage)
    {
        public FailureKind Kind => Classify(Type, Status, Message, SentImage);

        /// <summary>A model that cannot use tools (or cannot be made to pick one) says so in a validation error.</summary>
        public bool RejectsTools => Kind == FailureKind.Validation && Message.Contains("tool", StringComparison.OrdinalIgnoreCase);

        public ProviderException ToException(Func<string, string> redact)
        {
            var type = Type is null ? string.Empty : $" {Type}";
            return new ProviderException(Kind, redact($"HTTP {Status}{type}: {Message}"), Status, RetryAfter);
        }
    }

    public static async Task<HttpError> ReadAsync(HttpResponseMessage response, bool sentImage, CancellationToken cancellationToken)
    {
        string body = string.Empty;
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var buffer = new byte[MaxErrorBodyBytes];
            int read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            body = System.Text.Encoding.UTF8.GetString(buffer, 0, read);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            // The status says enough.
        }

        var (message, bodyType) = ReadBody(body);
        var type = TypeName(Header(response, "x-amzn-ErrorType")) ?? TypeName(bodyType);
        var retryAfter = HttpFailures.RetryAfter(name => Header(response, name));
        return new HttpError((int)response.StatusCode, type, message.Length > 0 ? message : response.ReasonPhrase ?? string.Empty, retryAfter, sentImage);
    }

    /// <summary>An exception event (<c>:message-type</c> <c>exception</c>) or error event (<c>error</c>) in the stream.</summary>
    public static ProviderException FromStreamEvent(string? type, string message, bool sentImage, Func<string, string> redact)
    {
        var name = TypeName(type);
        var kind = Classify(name, status: null, message, sentImage);
        return new ProviderException(kind, redact($"the provider sent {name ?? "an error"} mid-stream: {message}"));
    }

    /// <summary>
    /// Bedrock's exception names (any case, with or without a namespace or <c>:…</c> suffix) mapped to failure kinds; an
    /// unknown name falls back to the HTTP status, and a validation error that names a content filter or an image is
    /// told apart.
    /// </summary>
    public static FailureKind Classify(string? type, int? status, string message, bool sentImage)
    {
        var kind = TypeName(type)?.ToLowerInvariant() switch
        {
            "throttlingexception" or "toomanyrequestsexception" => FailureKind.Throttled,
            "serviceunavailableexception" or "modelnotreadyexception" => FailureKind.Overloaded,
            "internalserverexception" or "internalfailure" or "modelerrorexception" => FailureKind.Server,
            "modelstreamerrorexception" => FailureKind.StreamInterrupted,
            "modeltimeoutexception" => FailureKind.Timeout,
            "accessdeniedexception" or "unrecognizedclientexception" or "invalidsignatureexception" or "expiredtokenexception"
                or "incompletesignatureexception" or "missingauthenticationtokenexception" or "invalidclienttokenid"
                or "signaturedoesnotmatch" => FailureKind.Auth,
            "resourcenotfoundexception" => FailureKind.NotFound,
            "validationexception" or "servicequotaexceededexception" => FailureKind.Validation,
            _ => status is int code ? FailureKinds.FromStatus(code) : FailureKind.StreamInterrupted,
        };

        if (kind == FailureKind.Validation && IsContentFilter(message))
        {
            return FailureKind.ContentFilter;
        }

        if (kind == FailureKind.Validation && sentImage && message.Contains("image", StringComparison.OrdinalIgnoreCase))
        {
            return FailureKind.UnsupportedInput;
        }

        return kind;
    }

    /// <summary><c>ThrottlingException:http://internal.amazon.com/coral/…</c> or <c>com.amazon.coral.service#ThrottlingException</c> → <c>ThrottlingException</c>.</summary>
    internal static string? TypeName(string? type)
    {
        if (string.IsNullOrWhiteSpace(type))
        {
            return null;
        }

        var name = type.Trim();
        int colon = name.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0)
        {
            name = name[..colon];
        }

        int hash = name.LastIndexOf('#');
        return hash >= 0 ? name[(hash + 1)..] : name;
    }

    private static bool IsContentFilter(string message) =>
        HttpFailures.IsContentFilter(null, message) || message.Contains("guardrail", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads <c>{"message": …}</c> (or <c>Message</c>, as some AWS front ends write it) and <c>__type</c>.</summary>
    private static (string Message, string? Type) ReadBody(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return (string.Empty, null);
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                string? message = null, type = null;
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    if (property.Value.ValueKind != JsonValueKind.String)
                    {
                        continue;
                    }

                    if (property.NameEquals("message") || property.NameEquals("Message"))
                    {
                        message = property.Value.GetString();
                    }
                    else if (property.NameEquals("__type"))
                    {
                        type = property.Value.GetString();
                    }
                }

                return (Shorten(message ?? body.Trim()), type);
            }
        }
        catch (JsonException)
        {
        }

        return (Shorten(body.Trim()), null);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : null;

    private static string Shorten(string text) => text.Length <= 500 ? text : text[..500] + "…";
}
