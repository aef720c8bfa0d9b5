using System.Text.Json;

namespace Eval360.Configuration;

/// <summary>One line of a profile file as argument completion shows it: the model, region and tier it names.</summary>
public sealed record ProfileEntry(string ModelId, string? Region, string? ServiceTier, int Line);

/// <summary>
/// The model ids, regions and service tiers a profile file names, read leniently: a line with other problems still
/// counts, a file that cannot be read gives nothing. For Tab completion, which must be fast and never fail; runs and
/// <c>Test-Eval360Config</c> read profiles strictly (<see cref="ConfigLoader"/>).
/// </summary>
public static class ProfileIndex
{
    /// <summary>The service tiers a profile may name (<c>service_tier</c>).</summary>
    public static IReadOnlyList<string> ServiceTiers => ProfileFile.ServiceTiers;

    public static IReadOnlyList<ProfileEntry> Read(string path)
    {
        var entries = new List<ProfileEntry>();
        if (!File.Exists(path))
        {
            return entries;
        }

        JsonlReader.Read(path, [], (line, obj) =>
        {
            if (Text(obj, "model_id") is { Length: > 0 } id)
            {
                entries.Add(new ProfileEntry(id, Text(obj, "region"), Text(obj, "service_tier"), line));
            }
        });
        return entries;
    }

    private static string? Text(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()!.Trim() : null;
}
