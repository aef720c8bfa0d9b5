namespace Eval360;

/// <summary>How serious a configuration finding is: errors stop a run, warnings do not.</summary>
public enum ConfigSeverity
{
    Warning,
    Error,
}

/// <summary>One problem found in a scenario, model or judge file, located by file, line and field.</summary>
public sealed class ConfigFinding
{
    public ConfigFinding(ConfigSeverity severity, string path, int line, string field, string message)
    {
        Severity = severity;
        Path = path;
        Line = line;
        Field = field;
        Message = message;
    }

    public ConfigSeverity Severity { get; }

    /// <summary>The file the finding is about (full path), or the parameter name for settings.</summary>
    public string Path { get; }

    /// <summary>1-based line number; 0 when the finding is about the whole file.</summary>
    public int Line { get; }

    /// <summary>The field, as a dotted path (<c>task.task_type</c>); empty when the whole line or file is at fault.</summary>
    public string Field { get; }

    public string Message { get; }

    /// <summary><c>path:line: field: message</c>, the way compilers report, so editors can jump to it.</summary>
    public override string ToString()
    {
        var location = Line > 0 ? $"{Path}:{Line}" : Path;
        return Field.Length > 0 ? $"{location}: {Field}: {Message}" : $"{location}: {Message}";
    }
}
