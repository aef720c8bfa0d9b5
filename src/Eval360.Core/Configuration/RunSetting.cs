using System.Globalization;

namespace Eval360.Configuration;

/// <summary>Whether changing a setting changes what a run plans, or only how it executes that plan.</summary>
public enum SettingKind
{
    /// <summary>Shapes the plan (which calls, how many, how judged): fixed once a run has started.</summary>
    Plan,

    /// <summary>Changes how the plan is carried out (pacing, retries, budget, gates): <c>-Resume</c> accepts a new value.</summary>
    Execution,
}

/// <summary>What a setting's number measures.</summary>
public enum SettingUnit
{
    None,
    Seconds,
    Usd,

    /// <summary>A share from 0 to 1.</summary>
    Fraction,

    /// <summary>A score on the jury's 1–5 scale.</summary>
    Score,
}

/// <summary>
/// One setting of a run, described once: its name (the cmdlet's parameter), the seed's name for it, its default, its
/// range or rule, its unit and its help. The cmdlet's validation, <see cref="BenchmarkOptions"/>' defaults and
/// <see cref="BenchmarkOptions.Validate"/>, the <c>-WhatIf</c> plan and forms all read it from here
/// (<see cref="RunSettings"/> lists every one).
/// </summary>
public abstract class RunSetting
{
    private protected RunSetting(string name, string? seedName, SettingKind kind, SettingUnit unit, string help)
    {
        Name = name;
        SeedName = seedName;
        Kind = kind;
        Unit = unit;
        Help = help;
    }

    /// <summary>The <c>Invoke-Eval360Benchmark</c> parameter, e.g. <c>ParallelCalls</c>.</summary>
    public string Name { get; }

    /// <summary>The seed's command-line name (<c>parallel_calls</c>), an alias of the parameter; null when the seed has none.</summary>
    public string? SeedName { get; }

    public SettingKind Kind { get; }

    /// <summary>True for settings <c>-Resume</c> accepts: they change how a run executes, not what it plans.</summary>
    public bool Resumable => Kind == SettingKind.Execution;

    public SettingUnit Unit { get; }

    /// <summary>One sentence for help text and form labels.</summary>
    public string Help { get; }

    /// <summary><c>int</c>, <c>double</c>, <c>double?</c> (optional), <c>bool</c> (a switch), <c>string</c>, an enum, a list of strings, or a <see cref="PlanShard"/> (optional).</summary>
    public abstract Type ValueType { get; }

    /// <summary>The value when the user gives none (null for an optional setting that is off).</summary>
    public abstract object? DefaultValue { get; }

    /// <summary>The smallest value allowed; null when the setting has no lower bound.</summary>
    public abstract object? Minimum { get; }

    /// <summary>The largest value allowed; null when the setting has no upper bound.</summary>
    public abstract object? Maximum { get; }

    /// <summary>The names an enum setting accepts; empty for other settings.</summary>
    public IReadOnlyList<string> Choices
    {
        get
        {
            var type = Nullable.GetUnderlyingType(ValueType) ?? ValueType;
            return type.IsEnum ? Enum.GetNames(type) : [];
        }
    }

    /// <summary>The range in words (<c>1 to 4096</c>, <c>0 or more USD</c>); null when the setting has none.</summary>
    public string? RangeText => (Minimum, Maximum) switch
    {
        (null, null) => null,
        (var min, null) => $"{Format(min)} or more",
        (null, var max) => $"at most {Format(max)}",
        var (min, max) => $"{FormatNumber(min)} to {Format(max)}",
    };

    /// <summary>The setting's value in <paramref name="options"/>, in the setting's own unit (seconds, not a TimeSpan).</summary>
    public abstract object? ValueIn(BenchmarkOptions options);

    /// <summary>
    /// <paramref name="options"/> with this setting set to <paramref name="value"/>, converted to the setting's type (a
    /// number from text, a list from a comma-separated string, an enum from its name); the value is not checked.
    /// </summary>
    /// <exception cref="FormatException">The value cannot be converted.</exception>
    public abstract BenchmarkOptions ApplyTo(BenchmarkOptions options, object? value);

    /// <summary>What is wrong with <paramref name="value"/> (<c>use 1 to 4096</c>), or null when it is allowed.</summary>
    public abstract string? Check(object? value);

    /// <summary>A value as users read it: invariant numbers with the unit (<c>3 s</c>, <c>0.5 USD</c>), <c>on</c>/<c>off</c>, lists joined by commas.</summary>
    public string Format(object? value) => value switch
    {
        null => "none",
        bool flag => flag ? "on" : "off",
        IEnumerable<string> list => list.Any() ? string.Join(", ", list) : "none",
        _ => Unit switch
        {
            SettingUnit.Seconds => $"{FormatNumber(value)} s",
            SettingUnit.Usd => $"{FormatNumber(value)} USD",
            _ => FormatNumber(value),
        },
    };

    public override string ToString() => Name;

    private protected static string FormatNumber(object? value) => value switch
    {
        int i => i.ToString("#,0", CultureInfo.InvariantCulture),
        double d => d.ToString("#,0.##########", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value?.ToString() ?? "none",
    };
}

/// <summary>A setting whose values are <typeparamref name="T"/>.</summary>
public sealed class RunSetting<T> : RunSetting
{
    private readonly Func<T> _default;
    private readonly Func<BenchmarkOptions, T> _get;
    private readonly Func<BenchmarkOptions, T, BenchmarkOptions> _set;
    private readonly Func<T, string?>? _rule;
    private readonly T? _minimum;
    private readonly T? _maximum;
    private readonly bool _hasMinimum;
    private readonly bool _hasMaximum;

    internal RunSetting(string name, string? seedName, SettingKind kind, SettingUnit unit, string help,
        Func<T> defaultValue, Func<BenchmarkOptions, T> get, Func<BenchmarkOptions, T, BenchmarkOptions> set,
        Bound minimum = default, Bound maximum = default, Func<T, string?>? rule = null)
        : base(name, seedName, kind, unit, help)
    {
        _default = defaultValue;
        _get = get;
        _set = set;
        _rule = rule;
        (_hasMinimum, _minimum) = minimum.IsSet ? (true, ConvertValue(minimum.Value)) : (false, default);
        (_hasMaximum, _maximum) = maximum.IsSet ? (true, ConvertValue(maximum.Value)) : (false, default);
    }

    public override Type ValueType => typeof(T);

    public T Default => _default();

    public override object? DefaultValue => Default;

    public override object? Minimum => _hasMinimum ? _minimum : null;

    public override object? Maximum => _hasMaximum ? _maximum : null;

    public T Get(BenchmarkOptions options) => _get(options);

    public BenchmarkOptions Set(BenchmarkOptions options, T value) => _set(options, value);

    public override object? ValueIn(BenchmarkOptions options) => _get(options);

    public override BenchmarkOptions ApplyTo(BenchmarkOptions options, object? value) => _set(options, ConvertValue(value));

    public override string? Check(object? value)
    {
        T typed;
        try
        {
            typed = ConvertValue(value);
        }
        catch (FormatException e)
        {
            return e.Message;
        }

        if (typed is not null)
        {
            var comparer = Comparer<T>.Default;
            bool low = _hasMinimum && comparer.Compare(typed, _minimum!) < 0;
            bool high = _hasMaximum && comparer.Compare(typed, _maximum!) > 0;
            // NaN compares below every number, so it fails any lower bound; with none it must still be refused.
            if (low || high || typed is double.NaN)
            {
                return $"use {RangeText}";
            }
        }

        return _rule?.Invoke(typed);
    }

    private static T ConvertValue(object? value)
    {
        if (value is T typed)
        {
            return typed;
        }

        var type = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        try
        {
            object? converted = value switch
            {
                null when default(T) is null => null,
                null => throw new FormatException("a value is required"),
                string text when typeof(T) == typeof(IReadOnlyList<string>) => FieldReader.SplitList(text),
                IEnumerable<object> items when typeof(T) == typeof(IReadOnlyList<string>) => items.SelectMany(i => FieldReader.SplitList(i?.ToString() ?? string.Empty)).ToList(),
                IEnumerable<string> items when typeof(T) == typeof(IReadOnlyList<string>) => items.SelectMany(FieldReader.SplitList).ToList(),
                string text when type.IsEnum => Enum.Parse(type, text, ignoreCase: true),
                string text when type == typeof(PlanShard) => PlanShard.Parse(text),
                string text when type == typeof(bool) => bool.Parse(text),
                string text when type == typeof(double) && text.Length == 0 && default(T) is null => null,
                _ when type.IsEnum => Enum.ToObject(type, value),
                _ => System.Convert.ChangeType(value, type, CultureInfo.InvariantCulture),
            };
            return (T)converted!;
        }
        catch (Exception e) when (e is InvalidCastException or ArgumentException or OverflowException or FormatException)
        {
            throw new FormatException($"'{value}' is not {Describe(type)}", e);
        }
    }

    private static string Describe(Type type) =>
        type == typeof(int) ? "a whole number"
        : type == typeof(double) ? "a number"
        : type == typeof(bool) ? "true or false"
        : type.IsEnum ? "one of " + string.Join(", ", Enum.GetNames(type))
        : type == typeof(PlanShard) ? $"a shard i/n with 1 <= i <= n <= {PlanShard.MaxCount:N0}, e.g. 3/8"
        : "a " + type.Name;
}

/// <summary>A bound of a setting's range; <c>default</c> means unbounded.</summary>
internal readonly record struct Bound(object? Value, bool IsSet)
{
    public static implicit operator Bound(int value) => new(value, true);

    public static implicit operator Bound(double value) => new(value, true);
}
