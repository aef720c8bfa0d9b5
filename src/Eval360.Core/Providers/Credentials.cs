using System.Text.RegularExpressions;

namespace Eval360.Providers;

/// <summary>
/// Finds API keys: the process environment first, then a <c>.env</c> file in the current location (which never
/// overrides a variable already set, and is never written back to the environment). Every key handed out is also
/// registered with the <see cref="SecretRedactor"/>, so it cannot leak into messages or files.
/// </summary>
public sealed class Credentials
{
    private readonly IReadOnlyDictionary<string, string> _dotEnv;
    private readonly Func<string, string?> _environment;

    public Credentials(string? workingDirectory, SecretRedactor redactor, Func<string, string?>? environment = null)
    {
        Redactor = redactor;
        _environment = environment ?? Environment.GetEnvironmentVariable;
        _dotEnv = workingDirectory is null ? new Dictionary<string, string>() : DotEnv.Read(Path.Combine(workingDirectory, ".env"));
    }

    public SecretRedactor Redactor { get; }

    /// <summary>A secret (a key): found values are registered with the redactor before they are handed out.</summary>
    public string? Get(string name)
    {
        var value = Setting(name);
        if (value is not null)
        {
            Redactor.Add(value);
        }

        return value;
    }

    /// <summary>A setting that is not secret (an endpoint), from the environment or <c>.env</c>.</summary>
    public string? Setting(string name)
    {
        var value = _environment(name);
        if (string.IsNullOrEmpty(value))
        {
            _dotEnv.TryGetValue(name, out value);
        }

        return string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>
    /// The key for a profile: its <c>api_key_env</c> when given, else the provider's usual variables. Servers that
    /// are not the provider's own (<c>openai-compatible/</c>, <c>ollama/</c>) only ever get a key named by
    /// <c>api_key_env</c>, so an OpenAI key is never sent to a third party by accident.
    /// </summary>
    public string? KeyFor(ModelProfile profile)
    {
        if (profile.ApiKeyEnv is not null)
        {
            return Get(profile.ApiKeyEnv);
        }

        return profile.Provider.KeyVariables.Select(Get).FirstOrDefault(v => v is not null);
    }

    /// <summary>Reads <c>KEY=value</c> lines (optional <c>export</c>, quotes, <c>#</c> comments) the way python-dotenv does.</summary>
    internal static class DotEnv
    {
        public static IReadOnlyDictionary<string, string> Read(string path)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            if (!File.Exists(path))
            {
                return values;
            }

            foreach (var raw in File.ReadLines(path))
            {
                var line = raw.Trim();
                if (line.Length == 0 || line[0] == '#')
                {
                    continue;
                }

                if (line.StartsWith("export ", StringComparison.Ordinal))
                {
                    line = line[7..].TrimStart();
                }

                int equals = line.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    continue;
                }

                var key = line[..equals].Trim();
                var value = line[(equals + 1)..].Trim();
                if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0])
                {
                    value = value[1..^1];
                }
                else
                {
                    int comment = value.IndexOf(" #", StringComparison.Ordinal);
                    if (comment >= 0)
                    {
                        value = value[..comment].TrimEnd();
                    }
                }

                values.TryAdd(key, value);
            }

            return values;
        }
    }
}

/// <summary>
/// Removes secrets from any text before it is stored or shown: every key Eval360 has loaded, plus anything shaped
/// like a common provider key or an AWS secret, plus bearer tokens.
/// </summary>
public sealed partial class SecretRedactor
{
    public const string Mask = "***";

    private readonly object _gate = new();
    private string[] _secrets = [];

    public void Add(string secret)
    {
        if (secret.Length < 6)
        {
            return;
        }

        lock (_gate)
        {
            if (!_secrets.Contains(secret))
            {
                // Longest first, so a secret that contains another is masked whole.
                _secrets = [.. _secrets.Append(secret).OrderByDescending(s => s.Length)];
            }
        }
    }

    public string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }

        return KeyShapes().Replace(text, m => m.Groups["prefix"].Value + Mask);
    }

    [GeneratedRegex(@"(?<prefix>\b(?:sk|pk|rk)-(?:proj-|ant-|live-|test-)?)[A-Za-z0-9_\-]{16,}|(?<prefix>\bAIza)[0-9A-Za-z_\-]{30,}|(?<prefix>\b)(?:AKIA|ASIA)[0-9A-Z]{16}\b|(?<prefix>[Bb]earer\s+)[A-Za-z0-9._\-~+/]{12,}=*|(?<prefix>aws_secret_access_key\s*[=:]\s*)[A-Za-z0-9/+]{40}")]
    private static partial Regex KeyShapes();
}
