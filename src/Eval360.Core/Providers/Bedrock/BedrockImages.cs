using System.Collections.Concurrent;
using Eval360.Configuration;

namespace Eval360.Providers.Bedrock;

/// <summary>An image as Bedrock's Converse API takes it: a format name and the bytes in base64.</summary>
internal sealed record BedrockImage(string Format, string Base64);

/// <summary>
/// Turns a scenario's image into a <see cref="BedrockImage"/>. Converse takes image bytes, never a URL: local files and
/// <c>data:</c> URIs are inlined, and a web image is downloaded once per client (through the shared HTTP client) and
/// kept for the scenario's later invocations. Bedrock reads PNG, JPEG, GIF and WebP; anything else is unsupported input.
/// </summary>
internal sealed class BedrockImages(HttpClient http, Func<string, string> redact)
{
    private readonly ConcurrentDictionary<string, BedrockImage> _downloaded = new(StringComparer.Ordinal);

    public async ValueTask<BedrockImage> LoadAsync(ImageReference image, CancellationToken cancellationToken)
    {
        if (!image.IsRemote)
        {
            var url = image.ToUrl();
            int comma = url.IndexOf(',', StringComparison.Ordinal);
            return new BedrockImage(FormatOf(image.MediaType), comma >= 0 ? url[(comma + 1)..] : string.Empty);
        }

        if (_downloaded.TryGetValue(image.Original, out var known))
        {
            return known;
        }

        var downloaded = await DownloadAsync(image, cancellationToken).ConfigureAwait(false);
        return _downloaded.GetOrAdd(image.Original, downloaded);
    }

    private async Task<BedrockImage> DownloadAsync(ImageReference image, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            using var response = await http.GetAsync(image.Url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw Unsupported(redact($"could not download the image {image.Original}: HTTP {(int)response.StatusCode}"));
            }

            if (response.Content.Headers.ContentLength > ImageReference.MaxLocalBytes)
            {
                throw TooLarge(image);
            }

            using var body = new MemoryStream();
            await response.Content.CopyToAsync(body, cancellationToken).ConfigureAwait(false);
            if (body.Length > ImageReference.MaxLocalBytes)
            {
                throw TooLarge(image);
            }

            bytes = body.ToArray();
        }
        catch (Exception e) when (e is not ProviderException && (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested))
        {
            throw HttpFailures.FromException(e, "downloading the image", redact);
        }

        var mediaType = ImageReference.SniffMediaType(bytes.AsSpan(0, Math.Min(bytes.Length, 12)))
            ?? throw Unsupported(redact($"the image at {image.Original} is not a JPG, PNG, GIF or WebP image"));
        return new BedrockImage(FormatOf(mediaType), Convert.ToBase64String(bytes));
    }

    private static string FormatOf(string mediaType) => mediaType.ToLowerInvariant() switch
    {
        "image/png" => "png",
        "image/jpeg" or "image/jpg" => "jpeg",
        "image/gif" => "gif",
        "image/webp" => "webp",
        _ => throw Unsupported($"Bedrock takes PNG, JPEG, GIF or WebP images, not {mediaType}"),
    };

    private ProviderException TooLarge(ImageReference image) =>
        Unsupported(redact($"the image at {image.Original} is over {ImageReference.MaxLocalBytes / (1024 * 1024)} MiB"));

    private static ProviderException Unsupported(string message) => new(FailureKind.UnsupportedInput, message);
}
