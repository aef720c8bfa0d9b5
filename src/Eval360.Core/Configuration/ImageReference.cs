namespace Eval360.Configuration;

/// <summary>
/// An image a vision scenario points at: a web URL, a <c>data:</c> URI, or a local file. Local files are resolved
/// against the scenario file's folder, must stay inside it when given relatively, and must really be an image.
/// </summary>
internal sealed record ImageReference(string Original, Uri? Url, string? LocalPath, string MediaType)
{
    public const long MaxLocalBytes = 20 * 1024 * 1024;

    public bool IsRemote => Url is not null && Url.Scheme != "data";

    /// <summary>Checks <paramref name="value"/>; returns null and explains why when it cannot be used.</summary>
    public static ImageReference? Resolve(string value, string baseDirectory, out string? problem)
    {
        problem = null;
        if (value.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            int comma = value.IndexOf(',', StringComparison.Ordinal);
            var header = comma > 0 ? value[5..comma] : string.Empty;
            if (!header.StartsWith("image/", StringComparison.OrdinalIgnoreCase) || !header.EndsWith(";base64", StringComparison.OrdinalIgnoreCase))
            {
                problem = "is a data: URI but not a base64 image (expected data:image/<type>;base64,…)";
                return null;
            }

            return new ImageReference(value, new Uri("data:" + header + ",", UriKind.Absolute), null, header[..^";base64".Length]);
        }

        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            return new ImageReference(value, uri, null, MediaTypeFromName(uri.AbsolutePath) ?? "image/jpeg");
        }

        if (Uri.TryCreate(value, UriKind.Absolute, out uri) && !uri.IsFile)
        {
            problem = $"uses the unsupported scheme '{uri.Scheme}:'; use http(s), data: or a local path";
            return null;
        }

        if (value.Contains('\0', StringComparison.Ordinal))
        {
            // Path.GetFullPath and FileInfo throw on it; a NUL is never part of a real file name.
            problem = "contains a NUL character (\\u0000); it is not a usable path";
            return null;
        }

        string full;
        if (Path.IsPathRooted(value))
        {
            full = Path.GetFullPath(value);
        }
        else
        {
            var root = Path.GetFullPath(baseDirectory);
            full = Path.GetFullPath(Path.Combine(root, value));
            var rootWithSeparator = Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar;
            if (!full.StartsWith(rootWithSeparator, OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
            {
                problem = $"points outside the scenario file's folder ({root}); use a path inside it or an absolute path";
                return null;
            }
        }

        var info = new FileInfo(full);
        if (!info.Exists)
        {
            problem = Directory.Exists(full) ? $"is a folder, not an image file ({full})" : $"does not exist ({full})";
            return null;
        }

        if (info.Length > MaxLocalBytes)
        {
            problem = $"is {info.Length / (1024 * 1024)} MiB; images over {MaxLocalBytes / (1024 * 1024)} MiB are not sent";
            return null;
        }

        Span<byte> head = stackalloc byte[12];
        int read;
        try
        {
            using var stream = info.OpenRead();
            read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = $"cannot be read: {e.Message}";
            return null;
        }

        var mediaType = SniffMediaType(head[..read]);
        if (mediaType is null)
        {
            problem = $"is not a JPG, PNG, GIF, WebP or BMP image ({full})";
            return null;
        }

        return new ImageReference(value, null, full, mediaType);
    }

    /// <summary>
    /// The image as a URL a provider accepts: web URLs and <c>data:</c> URIs as given, local files inlined as a base64
    /// <c>data:</c> URI (read once, then reused by every invocation of the scenario).
    /// </summary>
    public string ToUrl() => LocalPath is null ? Original : _inlined ??= $"data:{MediaType};base64,{Convert.ToBase64String(File.ReadAllBytes(LocalPath))}";

    private string? _inlined;

    internal static string? SniffMediaType(ReadOnlySpan<byte> head) => head switch
    {
        [0xFF, 0xD8, 0xFF, ..] => "image/jpeg",
        [0x89, (byte)'P', (byte)'N', (byte)'G', ..] => "image/png",
        [(byte)'G', (byte)'I', (byte)'F', (byte)'8', ..] => "image/gif",
        [(byte)'R', (byte)'I', (byte)'F', (byte)'F', _, _, _, _, (byte)'W', (byte)'E', (byte)'B', (byte)'P', ..] => "image/webp",
        [(byte)'B', (byte)'M', ..] => "image/bmp",
        _ => null,
    };

    private static string? MediaTypeFromName(string name) => Path.GetExtension(name).ToLowerInvariant() switch
    {
        ".jpg" or ".jpeg" => "image/jpeg",
        ".png" => "image/png",
        ".gif" => "image/gif",
        ".webp" => "image/webp",
        ".bmp" => "image/bmp",
        _ => null,
    };
}
