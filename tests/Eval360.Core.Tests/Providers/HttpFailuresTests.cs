using Eval360.Providers;

namespace Eval360.Tests.Providers;

public sealed class HttpFailuresTests
{
    [Theory]
    [InlineData("Retry-After", "2", 2000)]
    [InlineData("Retry-After", "0.5", 500)]
    [InlineData("retry-after-ms", "250", 250)]
    [InlineData("x-ratelimit-reset-requests", "6m0s", 360000)]
    [InlineData("x-ratelimit-reset-tokens", "20ms", 20)]
    [InlineData("x-ratelimit-reset-requests", "1h2m3.5s", 3723500)]
    public void Retry_hints_are_read_from_every_header_providers_use(string header, string value, double milliseconds)
    {
        var wait = HttpFailures.RetryAfter(name => string.Equals(name, header, StringComparison.OrdinalIgnoreCase) ? value : null);
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), wait);
    }

    [Fact]
    public void An_http_date_retry_after_counts_from_now()
    {
        var date = DateTimeOffset.UtcNow.AddSeconds(30).ToString("R");
        var wait = HttpFailures.RetryAfter(name => name == "Retry-After" ? date : null);
        Assert.InRange(wait!.Value.TotalSeconds, 25, 31);
    }

    [Fact]
    public void No_hint_is_null()
    {
        Assert.Null(HttpFailures.RetryAfter(_ => null));
        Assert.Null(HttpFailures.ParseGoDuration("soon"));
    }

    [Theory]
    [InlineData(429, FailureKind.Throttled, true)]
    [InlineData(529, FailureKind.Overloaded, true)]
    [InlineData(500, FailureKind.Server, true)]
    [InlineData(503, FailureKind.Server, true)]
    [InlineData(401, FailureKind.Auth, false)]
    [InlineData(403, FailureKind.Auth, false)]
    [InlineData(404, FailureKind.NotFound, false)]
    [InlineData(400, FailureKind.Validation, false)]
    [InlineData(408, FailureKind.Timeout, true)]
    public void Statuses_are_classified(int status, FailureKind kind, bool transient)
    {
        Assert.Equal(kind, FailureKinds.FromStatus(status));
        Assert.Equal(transient, kind.IsTransient());
    }

    [Theory]
    [InlineData("""{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}""", "Rate limit reached", "rate_limit_exceeded")]
    [InlineData("""{"error":"plain"}""", "plain", null)]
    [InlineData("""[{"error":{"code":429,"message":"Gemini says slow down","status":"RESOURCE_EXHAUSTED"}}]""", "Gemini says slow down", "RESOURCE_EXHAUSTED")]
    [InlineData("Bad Gateway", "Bad Gateway", null)]
    public void Error_bodies_of_several_shapes_are_read(string body, string message, string? code)
    {
        var (m, c) = HttpFailures.ErrorMessage(body);
        Assert.Equal(message, m);
        Assert.Equal(code, c);
    }

    [Fact]
    public void Anthropics_rate_limit_resets_wait_for_the_exhausted_limit()
    {
        var now = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["anthropic-ratelimit-requests-reset"] = "2026-01-01T12:00:01Z",
            ["anthropic-ratelimit-requests-remaining"] = "37",
            ["anthropic-ratelimit-tokens-reset"] = "2026-01-01T12:00:20.500Z",
            ["anthropic-ratelimit-tokens-remaining"] = "0",
            ["anthropic-ratelimit-output-tokens-reset"] = "2026-01-01T12:00:05Z",
            ["anthropic-ratelimit-output-tokens-remaining"] = "0",
        };
        Assert.Equal(TimeSpan.FromSeconds(20.5), HttpFailures.RateLimitReset(name => headers.GetValueOrDefault(name), now));

        headers["anthropic-ratelimit-tokens-remaining"] = "9000";
        headers["anthropic-ratelimit-output-tokens-remaining"] = "100";
        Assert.Equal(TimeSpan.FromSeconds(1), HttpFailures.RateLimitReset(name => headers.GetValueOrDefault(name), now));

        headers["anthropic-ratelimit-requests-reset"] = "2026-01-01T11:59:00Z";
        Assert.Equal(TimeSpan.Zero, HttpFailures.RateLimitReset(name => headers.GetValueOrDefault(name), now));
        Assert.Null(HttpFailures.RateLimitReset(_ => null, now));
    }
}
