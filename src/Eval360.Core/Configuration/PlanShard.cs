using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Eval360.Configuration;

/// <summary>
/// Shard <see cref="Index"/> of <see cref="Count"/> (1-based, written <c>3/8</c>) of a plan: the work items whose stable
/// key falls in it. A key's shard depends on the key alone, so every machine given the same plan and the same
/// <c>i/n</c> runs the same items, with no coordinator; the shards of a plan are disjoint and together are the plan.
/// Each shard paces its models to 1/n of their <c>target_rpm</c> and <c>target_tpm</c>, so n machines together keep
/// to the targets.
/// </summary>
[JsonConverter(typeof(PlanShardJsonConverter))]
public sealed record PlanShard
{
    /// <summary>The most shards a plan can be cut into.</summary>
    public const int MaxCount = 10_000;

    public PlanShard(int index, int count)
    {
        if (count is < 1 or > MaxCount || index < 1 || index > count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"{index}/{count} is not a shard: use i/n with 1 <= i <= n <= {MaxCount:N0}");
        }

        Index = index;
        Count = count;
    }

    /// <summary>Which shard, from 1.</summary>
    public int Index { get; }

    /// <summary>How many shards the plan is cut into.</summary>
    public int Count { get; }

    /// <summary>Reads <c>i/n</c> (spaces allowed around the slash).</summary>
    /// <exception cref="FormatException">The text is not <c>i/n</c> with 1 ≤ i ≤ n ≤ <see cref="MaxCount"/>.</exception>
    public static PlanShard Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            && int.TryParse(parts[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int count)
            && count is >= 1 and <= MaxCount && index >= 1 && index <= count)
        {
            return new PlanShard(index, count);
        }

        throw new FormatException($"'{text}' is not a shard: use i/n with 1 <= i <= n <= {MaxCount:N0}, e.g. 3/8");
    }

    /// <summary>The shard (1 to <paramref name="count"/>) a work item's key falls in.</summary>
    public static int Of(string key, int count)
    {
        ArgumentNullException.ThrowIfNull(key);
        // Keys are hex digits of a SHA-256 (WorkItem.Key): their first 64 bits are already uniform. Anything else
        // (a key from another tool) is hashed first, so it still lands in the same shard everywhere.
        ulong bits = key.Length >= 16 && ulong.TryParse(key.AsSpan(0, 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex)
            ? hex
            : BinaryPrimitives.ReadUInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        return (int)(bits % (ulong)count) + 1;
    }

    /// <summary>Whether the work item with this key belongs to this shard.</summary>
    public bool Contains(string key) => Of(key, Count) == Index;

    /// <summary>The profile as this shard runs it: its pacing targets divided by <see cref="Count"/>.</summary>
    public ModelProfile ShareOf(ModelProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return profile with { TargetRpm = profile.TargetRpm / Count, TargetTpm = profile.TargetTpm / Count };
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");
}

/// <summary>Writes a shard as <c>"3/8"</c> in run.json, as users write it.</summary>
internal sealed class PlanShardJsonConverter : JsonConverter<PlanShard>
{
    public override PlanShard Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        try
        {
            return PlanShard.Parse(reader.GetString() ?? string.Empty);
        }
        catch (FormatException e)
        {
            throw new JsonException(e.Message, e);
        }
    }

    public override void Write(Utf8JsonWriter writer, PlanShard value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}
