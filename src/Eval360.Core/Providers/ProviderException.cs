namespace Eval360.Providers;

/// <summary>
/// A failed model call, classified. Carries what the engine needs from the wire and what SDK abstractions hide:
/// the HTTP status and the provider's own retry hint (<c>Retry-After</c>, <c>x-ratelimit-reset-*</c>).
/// </summary>
public sealed class ProviderException : Exception
{
    public ProviderException(FailureKind kind, string message, int? status = null, TimeSpan? retryAfter = null, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        Status = status;
        RetryAfter = retryAfter;
    }

    public FailureKind Kind { get; }

    public int? Status { get; }

    /// <summary>How long the provider asked us to wait before trying again, when it said.</summary>
    public TimeSpan? RetryAfter { get; }

    public bool IsTransient => Kind.IsTransient();

    public string Code => Kind.Code();
}
