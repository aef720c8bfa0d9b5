using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Eval360.Results;

/// <summary>Source-generated JSON for the journal: no reflection and no per-result metadata work on the hot path.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.Unspecified,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(InvocationResult))]
[JsonSerializable(typeof(Dictionary<string, double>))]
[JsonSerializable(typeof(List<JudgeVerdict>))]
internal sealed partial class ResultJsonContext : JsonSerializerContext
{
}

/// <summary>
/// Source-generated metadata for the small files every run writes (run.json, unprocessed.json, summary.json), used
/// under <see cref="ResultJson.Indented"/>'s options: a run in a fresh process builds no serializer by reflection
/// (that costs it hundreds of JIT-compiled methods before its first invocation).
/// </summary>
[JsonSerializable(typeof(RunManifest))]
[JsonSerializable(typeof(List<UnprocessedRecord>))]
[JsonSerializable(typeof(IReadOnlyList<ModelSummary>))]
internal sealed partial class RunFilesJsonContext : JsonSerializerContext
{
}

/// <summary>Plain JSON options for the small files (run.json, unprocessed.json, summary.json).</summary>
internal static class ResultJson
{
    public static JsonSerializerOptions Indented { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        TypeInfoResolver = JsonTypeInfoResolver.Combine(RunFilesJsonContext.Default, new DefaultJsonTypeInfoResolver()),
    };

    /// <summary>Writes a file so readers see the old version or the new one, never half of either.</summary>
    public static void WriteAtomically(string path, Action<Stream> write)
    {
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024))
        {
            write(stream);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }

    public static void WriteAtomically<T>(string path, T value) =>
        WriteAtomically(path, stream => JsonSerializer.Serialize(stream, value, Indented));
}
