using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Eval360.FakeProviders;

/// <summary>Source-generated JSON for the config file and the control endpoints.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(Dictionary<string, BehaviorSettings>))]
[JsonSerializable(typeof(BehaviorSettings))]
[JsonSerializable(typeof(IReadOnlyList<ServedRequest>))]
[JsonSerializable(typeof(ServerStats))]
[JsonSerializable(typeof(string))]
internal sealed partial class FakeJsonContext : JsonSerializerContext
{
    /// <summary>Writes non-ASCII and quotes as they are, so a recorded body reads like the one sent.</summary>
    public static FakeJsonContext Readable => LazyInitializer.EnsureInitialized(ref _readable,
        static () => new FakeJsonContext(new JsonSerializerOptions(Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));

    private static FakeJsonContext? _readable;
}

/// <summary>The body of <c>GET /_fake/stats</c>.</summary>
internal sealed record ServerStats(long RequestCount, int RecordedCount, long ServerErrorCount);
