using System.ClientModel.Primitives;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Eval360.Providers;

/// <summary>Turns HTTP failures of any provider into classified <see cref="ProviderException"/>s.</summary>
internal static class HttpFailures
{
    private const int MaxErrorBodyBytes = 16 * 1024;

    public static ProviderException FromResponse(PipelineResponse response, bool sentImage, Func<string, string> redact)
    {
        string body = string.Empty;
        try
        {
            if (response.ContentStream is { } stream)
            {
                var buffer = new byte[MaxErrorBodyBytes];
                int read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
                body = System.Text.Encoding.UTF8.GetString(buffer, 0, read);
            }
            else
            {
                body = response.Content.ToString();
            }
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            // The status says enough.
        }

        return Classify(response.Status, response.ReasonPhrase, body, name => response.Headers.TryGetValue(name, out var value) ? value : null, sentImage, redact);
    }

    /// <summary>The same for a response read through HttpClient itself (providers whose SDK is not System.ClientModel's).</summary>
    public static async Task<ProviderException> FromResponseAsync(HttpResponseMessage response, bool sentImage, Func<string, string> redact, CancellationToken cancellationToken)
    {
        string body = string.Empty;
        try
        {
            using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var buffer = new byte[MaxErrorBodyBytes];
            int read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            body = System.Text.Encoding.UTF8.GetString(buffer, 0, read);
        }
        catch (Exception e) when (e is IOException or HttpRequestException or InvalidOperationException)
        {
            // The status says enough.
        }

        string? Header(string name) =>
            response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? values.FirstOrDefault() : null;

        return Classify((int)response.StatusCode, response.ReasonPhrase, body, Header, sentImage, redact);
    }

    private static ProviderException Classify(int status, string? reasonPhrase, string body, Func<string, string?> header, bool sentImage, Func<string, string> redact)
    {
        var (message, code) = ErrorMessage(body);
        var kind = FailureKinds.FromStatus(status);
        if (kind == FailureKind.Validation && IsContentFilter(code, message))
        {
            kind = FailureKind.ContentFilter;
        }
        else if (kind == FailureKind.Validation && sentImage && message.Contains("image", StringComparison.OrdinalIgnoreCase))
        {
            kind = FailureKind.UnsupportedInput;
        }

        var retryAfter = RetryAfter(header) ?? (kind == FailureKind.Throttled ? RateLimitReset(header, DateTimeOffset.UtcNow) : null);
        var text = message.Length > 0 ? message : reasonPhrase;
        return new ProviderException(kind, redact($"HTTP {status}: {text}"), status, retryAfter);
    }

    /// <summary>Classifies an exception thrown while sending or reading.</summary>
    public static ProviderException FromException(Exception e, string during, Func<string, string> redact)
    {
        if (e is ProviderException provider)
        {
            return provider;
        }

        var root = e;
        while (root.InnerException is not null && root is not (HttpRequestException or IOException or SocketException))
        {
            root = root.InnerException;
        }

        var kind = root switch
        {
            OperationCanceledException or TimeoutException => FailureKind.Timeout,
            HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded } => FailureKind.StreamInterrupted,
            HttpRequestException => FailureKind.Network,
            SocketException => FailureKind.Network,
            IOException => during == "sending the request" ? FailureKind.Network : FailureKind.StreamInterrupted,
            JsonException => FailureKind.InvalidResponse,
            _ => FailureKind.Network,
        };
        return new ProviderException(kind, redact($"{Describe(kind)} while {during}: {root.Message}"), inner: e);
    }

    /// <summary>
    /// The provider's retry hint, from <c>retry-after-ms</c>, <c>Retry-After</c> (seconds or an HTTP date), or the
    /// earliest of OpenAI's <c>x-ratelimit-reset-requests</c>/<c>-tokens</c> (<c>1s</c>, <c>6m0s</c>, <c>20ms</c>).
    /// </summary>
    public static TimeSpan? RetryAfter(Func<string, string?> header)
    {
        if (double.TryParse(header("retry-after-ms"), NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && ms >= 0)
        {
            return TimeSpan.FromMilliseconds(ms);
        }

        var retryAfter = header("Retry-After");
        if (retryAfter is not null)
        {
            if (double.TryParse(retryAfter, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
            {
                return TimeSpan.FromSeconds(seconds);
            }

            if (DateTimeOffset.TryParse(retryAfter, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
            {
                var wait = date - DateTimeOffset.UtcNow;
                return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
            }
        }

        TimeSpan? earliest = null;
        foreach (var name in new[] { "x-ratelimit-reset-requests", "x-ratelimit-reset-tokens" })
        {
            if (ParseGoDuration(header(name)) is TimeSpan reset && (earliest is null || reset < earliest))
            {
                earliest = reset;
            }
        }

        return earliest;
    }

    /// <summary>
    /// When a throttled request may go again by Anthropic's <c>anthropic-ratelimit-*-reset</c> headers (requests, tokens,
    /// input-tokens, output-tokens: RFC 3339 times at which each limit is full again): the latest reset of the limits
    /// whose <c>-remaining</c> is 0, since the request needs every one of them; when none says so, the earliest reset.
    /// </summary>
    internal static TimeSpan? RateLimitReset(Func<string, string?> header, DateTimeOffset now)
    {
        TimeSpan? earliest = null, exhausted = null;
        foreach (var limit in new[] { "requests", "tokens", "input-tokens", "output-tokens" })
        {
            if (!DateTimeOffset.TryParse(header($"anthropic-ratelimit-{limit}-reset"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var reset))
            {
                continue;
            }

            var wait = reset > now ? reset - now : TimeSpan.Zero;
            earliest = earliest is null || wait < earliest ? wait : earliest;
            if (header($"anthropic-ratelimit-{limit}-remaining") is "0")
            {
                exhausted = exhausted is null || wait > exhausted ? wait : exhausted;
            }
        }

        return exhausted ?? earliest;
    }

    /// <summary>Parses durations like <c>1s</c>, <c>6m0s</c>, <c>1h2m3.5s</c>, <c>20ms</c>.</summary>
    internal static TimeSpan? ParseGoDuration(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        double total = 0;
        int i = 0;
        bool any = false;
        while (i < text.Length)
        {
            int start = i;
            while (i < text.Length && (char.IsDigit(text[i]) || text[i] == '.'))
            {
                i++;
            }

            if (start == i || !double.TryParse(text.AsSpan(start, i - start), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                return null;
            }

            int unitStart = i;
            while (i < text.Length && char.IsLetter(text[i]))
            {
                i++;
            }

            double scale = text[unitStart..i] switch
            {
                "h" => 3600,
                "m" => 60,
                "s" or "" => 1,
                "ms" => 0.001,
                "us" or "µs" => 0.000001,
                _ => double.NaN,
            };
            if (double.IsNaN(scale))
            {
                return null;
            }

            total += value * scale;
            any = true;
        }

        return any ? TimeSpan.FromSeconds(total) : null;
    }

    /// <summary>Reads <c>{"error": {"message", "code"}}</c> (OpenAI), <c>{"error": "…"}</c>, <c>{"message": …}</c>, or plain text.</summary>
    internal static (string Message, string? Code) ErrorMessage(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return (string.Empty, null);
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array && root.GetArrayLength() > 0)
            {
                root = root[0];
            }

            var error = root.TryGetProperty("error", out var e) ? e : root;
            if (error.ValueKind == JsonValueKind.String)
            {
                return (error.GetString()!, null);
            }

            if (error.ValueKind == JsonValueKind.Object)
            {
                var message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : error.GetRawText();
                string? code = null;
                foreach (var name in new[] { "code", "type", "status" })
                {
                    if (error.TryGetProperty(name, out var c) && c.ValueKind == JsonValueKind.String)
                    {
                        code = c.GetString();
                        break;
                    }
                }

                return (Shorten(message), code);
            }
        }
        catch (JsonException)
        {
        }

        return (Shorten(body.Trim()), null);
    }

    internal static bool IsContentFilter(string? code, string message) =>
        code is "content_filter" or "content_policy_violation" or "ResponsibleAIPolicyViolation"
        || message.Contains("content management policy", StringComparison.OrdinalIgnoreCase)
        || message.Contains("content filter", StringComparison.OrdinalIgnoreCase);

    private static string Describe(FailureKind kind) => kind switch
    {
        FailureKind.Timeout => "timed out",
        FailureKind.StreamInterrupted => "the stream broke off",
        FailureKind.InvalidResponse => "unreadable reply",
        _ => "connection failed",
    };

    private static string Shorten(string text) => text.Length <= 500 ? text : text[..500] + "…";
}
