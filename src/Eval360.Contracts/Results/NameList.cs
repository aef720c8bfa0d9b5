namespace Eval360;

/// <summary>
/// Names — of models, judges or metrics — that read as one comma-separated value in tables, <c>Export-Csv</c> and string
/// conversion (<c>sim/a, sim/b</c>), the way scenario files write a list, so an exported scenario reads back the same.
/// </summary>
public sealed class NameList : IReadOnlyList<string>
{
    private readonly string[] _names;

    public NameList(IEnumerable<string> names) => _names = [.. names];

    public static NameList Empty { get; } = new([]);

    /// <summary>The same names as a <see cref="NameList"/> (itself when it already is one); empty for null.</summary>
    public static NameList From(IEnumerable<string>? names) => names as NameList ?? (names is null ? Empty : new NameList(names));

    public int Count => _names.Length;

    public string this[int index] => _names[index];

    public IEnumerator<string> GetEnumerator() => ((IEnumerable<string>)_names).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => _names.GetEnumerator();

    public override string ToString() => string.Join(", ", _names);
}
