using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Eval360.FakeProviders;

/// <summary>What checking a request's Signature Version 4 found.</summary>
/// <param name="Status">The status to refuse with (403, or 400 for a malformed request); 0 when <see cref="Valid"/>.</param>
/// <param name="ErrorType">The AWS exception name to refuse with (<c>InvalidSignatureException</c>…).</param>
public sealed record SigV4Result(
    bool Valid,
    int Status,
    string? ErrorType,
    string? Message,
    string? AccessKeyId = null,
    string? Region = null,
    string? Service = null,
    string? CanonicalRequest = null,
    string? StringToSign = null);

/// <summary>
/// Checks AWS Signature Version 4 (<c>AWS4-HMAC-SHA256</c> in the Authorization header) as the service would,
/// independently of the AWS SDK: it rebuilds the canonical request from what arrived on the wire (the raw path with each
/// segment encoded again, as for every service but S3; the sorted, re-encoded query; the signed headers, trimmed; the
/// body's SHA-256), the string to sign and the signing key, and compares signatures in constant time.
/// </summary>
public sealed class SigV4Verifier(string accessKeyId, string secretAccessKey, string? sessionToken, string service, TimeSpan maxClockSkew)
{
    private const string Algorithm = "AWS4-HMAC-SHA256";
    private const string UnsignedPayload = "UNSIGNED-PAYLOAD";

    /// <param name="rawTarget">The request target exactly as sent: path (still percent-encoded) and query.</param>
    /// <param name="header">A header's value (repeated headers joined with ","), or null when absent.</param>
    public SigV4Result Verify(string method, string rawTarget, Func<string, string?> header, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        var authorization = header("Authorization");
        if (string.IsNullOrEmpty(authorization))
        {
            return Refuse(403, "MissingAuthenticationTokenException", "Missing Authentication Token");
        }

        if (!authorization.StartsWith(Algorithm + " ", StringComparison.Ordinal))
        {
            return Refuse(403, "IncompleteSignatureException", $"Authorization header requires the {Algorithm} algorithm.");
        }

        string? credential = null, signedHeaders = null, signature = null;
        foreach (var part in authorization[(Algorithm.Length + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = part.IndexOf('=', StringComparison.Ordinal);
            var (name, value) = equals < 0 ? (part, "") : (part[..equals], part[(equals + 1)..]);
            switch (name)
            {
                case "Credential": credential = value; break;
                case "SignedHeaders": signedHeaders = value; break;
                case "Signature": signature = value; break;
            }
        }

        if (credential is null || signedHeaders is null || signature is null)
        {
            return Refuse(403, "IncompleteSignatureException", "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.");
        }

        var scope = credential.Split('/');
        if (scope.Length != 5 || scope[4] != "aws4_request")
        {
            return Refuse(403, "IncompleteSignatureException", $"Credential should be scoped to a valid region, not '{credential}'.");
        }

        var (keyId, date, region, scopeService) = (scope[0], scope[1], scope[2], scope[3]);
        if (keyId != accessKeyId)
        {
            return Refuse(403, "UnrecognizedClientException", "The security token included in the request is invalid.", keyId, region, scopeService);
        }

        if (scopeService != service)
        {
            return Refuse(403, "InvalidSignatureException", $"Credential should be scoped to correct service: '{service}'.", keyId, region, scopeService);
        }

        var amzDate = header("X-Amz-Date");
        if (amzDate is null || !DateTimeOffset.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var signedAt))
        {
            return Refuse(403, "IncompleteSignatureException", "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.", keyId, region, scopeService);
        }

        if (date != amzDate[..8])
        {
            return Refuse(403, "InvalidSignatureException", $"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{date}' != '{amzDate[..8]}'.", keyId, region, scopeService);
        }

        if ((now - signedAt).Duration() > maxClockSkew)
        {
            return Refuse(403, "InvalidSignatureException", $"Signature expired: {amzDate} is now earlier or later than {now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'} (allowed skew {maxClockSkew.TotalMinutes:0} min).", keyId, region, scopeService);
        }

        var names = signedHeaders.Split(';');
        if (!names.Contains("host") || !names.Contains("x-amz-date"))
        {
            return Refuse(403, "InvalidSignatureException", "'Host' and 'X-Amz-Date' must be signed headers.", keyId, region, scopeService);
        }

        if (sessionToken is not null && (header("X-Amz-Security-Token") != sessionToken || !names.Contains("x-amz-security-token")))
        {
            return Refuse(403, "UnrecognizedClientException", "The security token included in the request is invalid.", keyId, region, scopeService);
        }

        var bodyHash = Convert.ToHexStringLower(SHA256.HashData(body));
        var declaredHash = header("X-Amz-Content-SHA256");
        if (declaredHash is not null && declaredHash != UnsignedPayload && declaredHash != bodyHash)
        {
            return Refuse(400, "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.", keyId, region, scopeService);
        }

        var canonical = new StringBuilder(512);
        int question = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? rawTarget : rawTarget[..question];
        var query = question < 0 ? "" : rawTarget[(question + 1)..];
        canonical.Append(method).Append('\n');
        canonical.Append(CanonicalPath(path)).Append('\n');
        canonical.Append(CanonicalQuery(query)).Append('\n');
        var sortedNames = names.Order(StringComparer.Ordinal).ToArray();
        foreach (var name in sortedNames)
        {
            if (header(name) is not { } value)
            {
                return Refuse(403, "InvalidSignatureException", $"The signed header '{name}' is missing from the request.", keyId, region, scopeService);
            }

            canonical.Append(name).Append(':').Append(CanonicalHeaderValue(value)).Append('\n');
        }

        canonical.Append('\n').Append(string.Join(';', sortedNames)).Append('\n');
        canonical.Append(declaredHash == UnsignedPayload ? UnsignedPayload : bodyHash);

        var canonicalRequest = canonical.ToString();
        var stringToSign = $"{Algorithm}\n{amzDate}\n{date}/{region}/{scopeService}/aws4_request\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";
        var key = SigningKey(secretAccessKey, date, region, scopeService);
        var expected = Encoding.ASCII.GetBytes(Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign))));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature)))
        {
            return new SigV4Result(false, 403, "InvalidSignatureException",
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\n"
                + $"The Canonical String for this request should have been\n'{canonicalRequest}'\n\nThe String-to-Sign should have been\n'{stringToSign}'\n",
                keyId, region, scopeService, canonicalRequest, stringToSign);
        }

        return new SigV4Result(true, 0, null, null, keyId, region, scopeService, canonicalRequest, stringToSign);
    }

    /// <summary>kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request").</summary>
    public static byte[] SigningKey(string secret, string date, string region, string service)
    {
        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secret), Encoding.UTF8.GetBytes(date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
        return HMACSHA256.HashData(key, "aws4_request"u8);
    }

    /// <summary>Each segment of the path as sent, encoded again (so <c>%3A</c> becomes <c>%253A</c>); an empty path is <c>/</c>.</summary>
    internal static string CanonicalPath(string rawPath) =>
        rawPath.Length == 0 ? "/" : string.Join('/', rawPath.Split('/').Select(UriEncode));

    /// <summary>Parameters decoded, then encoded the one AWS way, sorted by name and value.</summary>
    internal static string CanonicalQuery(string rawQuery) => string.Join('&', rawQuery
        .Split('&', StringSplitOptions.RemoveEmptyEntries)
        .Select(pair =>
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..]);
            return (Name: UriEncode(name), Value: UriEncode(value));
        })
        .OrderBy(p => p.Name, StringComparer.Ordinal)
        .ThenBy(p => p.Value, StringComparer.Ordinal)
        .Select(p => p.Name + "=" + p.Value));

    /// <summary>RFC 3986 encoding of every byte but the unreserved characters, with upper-case hex.</summary>
    internal static string UriEncode(string text)
    {
        var encoded = new StringBuilder(text.Length + 8);
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            if (b is (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
            {
                encoded.Append((char)b);
            }
            else
            {
                encoded.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return encoded.ToString();
    }

    /// <summary>Trimmed, with runs of spaces collapsed to one.</summary>
    private static string CanonicalHeaderValue(string value) =>
        string.Join(' ', value.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    private static SigV4Result Refuse(int status, string type, string message, string? keyId = null, string? region = null, string? scopeService = null) =>
        new(false, status, type, message, keyId, region, scopeService);
}
