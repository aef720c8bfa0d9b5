namespace Eval360;

/// <summary>Thrown when configuration has errors; carries every finding so callers can report each one.</summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException(IReadOnlyList<ConfigFinding> findings)
        : base(Describe(findings))
    {
        Findings = findings;
    }

    public ConfigurationException(string path, string field, string message)
        : this([new ConfigFinding(ConfigSeverity.Error, path, 0, field, message)])
    {
    }

    public IReadOnlyList<ConfigFinding> Findings { get; }

    /// <summary>Whether an error is about what a file holds (a line, or a file that exists), rather than a parameter or a missing file.</summary>
    public bool IsAboutFileContents => Findings.Any(f => f.Severity == ConfigSeverity.Error && (f.Line > 0 || File.Exists(f.Path)));

    private static string Describe(IReadOnlyList<ConfigFinding> findings)
    {
        var errors = findings.Where(f => f.Severity == ConfigSeverity.Error).ToList();
        const int shown = 10;
        var lines = errors.Take(shown).Select(f => f.ToString());
        var more = errors.Count > shown ? $"{Environment.NewLine}… and {errors.Count - shown} more error(s)." : string.Empty;
        var noun = errors.Count == 1 ? "error" : "errors";
        return $"Configuration has {errors.Count} {noun}:{Environment.NewLine}{string.Join(Environment.NewLine, lines)}{more}";
    }
}
