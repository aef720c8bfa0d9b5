using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace Eval360.Dashboard.Security;

/// <summary>
/// The dashboard's access token: random per start, printed in the URL Start-Eval360Dashboard returns. Every request
/// must carry it — as <c>?token=</c> once (the dashboard then keeps it in an HttpOnly, SameSite=Strict cookie and
/// drops it from the address bar), as that cookie, or as <c>Authorization: Bearer</c> (for scripts and the cmdlet).
/// Anything else gets 401: pages, static files, the API and the live event stream alike.
/// </summary>
public sealed class AccessToken
{
    public const string QueryName = "token";

    private readonly byte[] _value;

    public AccessToken()
    {
        Value = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        _value = Encoding.ASCII.GetBytes(Value);
    }

    public string Value { get; }

    /// <summary>
    /// The cookie's name, with the port: cookies are per host, not per port, so two dashboards on one machine must not
    /// overwrite each other's. Set from the port actually bound (see <see cref="Listening"/>), before any page is served.
    /// </summary>
    public string CookieName { get; private set; } = "eval360_dashboard";

    public void Listening(int port) => CookieName = string.Create(CultureInfo.InvariantCulture, $"eval360_dashboard_{port}");

    public bool Matches(string? candidate) =>
        candidate is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(candidate), _value);
}

/// <summary>Lets a request through only with the access token (see <see cref="AccessToken"/>).</summary>
public sealed class AccessTokenMiddleware(RequestDelegate next, AccessToken token)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.Query.TryGetValue(AccessToken.QueryName, out var fromQuery) && token.Matches(fromQuery))
        {
            context.Response.Cookies.Append(token.CookieName, token.Value, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = request.IsHttps,
                Path = "/",
                IsEssential = true,
            });
            if (HttpMethods.IsGet(request.Method) && !request.Path.StartsWithSegments("/live", StringComparison.Ordinal))
            {
                // The token has done its work; keep it out of the address bar, history and bookmarks.
                var rest = request.Query.Where(q => q.Key != AccessToken.QueryName).SelectMany(q => q.Value.Select(v => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(v ?? string.Empty)}"));
                var query = string.Join('&', rest);
                context.Response.Redirect(request.PathBase + request.Path + (query.Length > 0 ? "?" + query : string.Empty));
                return;
            }

            await next(context).ConfigureAwait(false);
            return;
        }

        var authorization = request.Headers.Authorization.ToString();
        bool bearer = authorization.StartsWith("Bearer ", StringComparison.Ordinal) && token.Matches(authorization["Bearer ".Length..].Trim());
        if (bearer || token.Matches(request.Cookies[token.CookieName]))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(
            "401 Unauthorized: this Eval360 dashboard needs its access token. Open the URL that Start-Eval360Dashboard returned " +
            "(or that 'dotnet Eval360.Dashboard.dll' printed): it ends with ?token=… . Lost it? Stop-Eval360Dashboard, then start it again.\n",
            context.RequestAborted).ConfigureAwait(false);
    }
}

/// <summary>Headers on every response: a strict content security policy, no framing, no sniffing, no referrer, no caching.</summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    /// <summary>Pages load only the dashboard's own script and style; only the report viewer may frame (its own reports).</summary>
    public const string PagePolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-src 'self'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
        // A report sets its own policy (ReportEndpoint); everything else gets the page policy.
        if (!context.Request.Path.StartsWithSegments("/reports", StringComparison.Ordinal))
        {
            headers.ContentSecurityPolicy = PagePolicy;
            headers.XFrameOptions = "DENY";
        }

        return next(context);
    }
}
