namespace Eval360;

/// <summary>
/// Error code → how many times it occurred. A dictionary to scripts (<c>$s.Errors['throttled']</c>), and readable as
/// text wherever PowerShell makes one of it — <c>Export-Csv</c>: <c>throttled=3; server=1</c>.
/// </summary>
public sealed class ErrorCounts : Dictionary<string, int>
{
    public ErrorCounts()
        : base(StringComparer.Ordinal)
    {
    }

    public ErrorCounts(IEnumerable<KeyValuePair<string, int>> counts)
        : base(StringComparer.Ordinal)
    {
        foreach (var (code, count) in counts)
        {
            this[code] = count;
        }
    }

    /// <summary>The same counts as <see cref="ErrorCounts"/> (itself when it already is one); empty for null.</summary>
    public static ErrorCounts From(IEnumerable<KeyValuePair<string, int>>? counts) => counts as ErrorCounts ?? (counts is null ? [] : new ErrorCounts(counts));

    public override string ToString() => string.Join("; ", this.Select(c => $"{c.Key}={c.Value}"));
}
