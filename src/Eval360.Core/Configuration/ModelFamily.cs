namespace Eval360.Configuration;

/// <summary>
/// Which family of models a model id belongs to — the lineage that makes a judge favour answers that read like its own
/// (self-preference): a Claude judging Claude, a GPT judging GPT. Read from the model id as results show it
/// (<c>provider/model</c>, a tier suffix allowed), by the rules of one table.
/// </summary>
public static class ModelFamily
{
    /// <summary>
    /// The families. A model belongs to the first family one of whose <c>Names</c> starts a word of its model name (the
    /// id without its <c>provider/</c> prefix, cut at every character that is not a letter or digit; the rest of the
    /// word must be empty or start with a digit, so <c>llama3</c> is Llama and <c>o3</c> is GPT but <c>novax</c> is
    /// nothing). Bedrock's vendor prefixes (<c>anthropic.</c>, <c>us.anthropic.</c>, <c>amazon.</c>, <c>meta.</c>…) and
    /// Hugging Face organisations (<c>meta-llama/</c>, <c>mistralai/</c>) are words like any other. When no word
    /// matches, a provider that serves only one family decides (<c>Providers</c>: <c>anthropic/</c>, <c>openai/</c>,
    /// <c>azure/</c>, <c>gemini/</c>); otherwise the family is unknown and no self-preference is assumed.
    /// </summary>
    internal static readonly (string Family, string[] Names, string[] Providers)[] Rules =
    [
        ("Anthropic Claude", ["claude", "anthropic"], ["anthropic"]),
        ("OpenAI GPT", ["gpt", "chatgpt", "o1", "o3", "o4", "davinci", "openai"], ["openai", "azure"]),
        ("Google Gemini", ["gemini", "gemma", "google"], ["gemini"]),
        ("Amazon Nova", ["nova", "titan", "amazon"], []),
        ("Meta Llama", ["llama", "codellama"], []),
        ("Mistral", ["mistral", "mixtral", "ministral", "codestral", "pixtral", "magistral", "devstral", "mistralai"], []),
        ("DeepSeek", ["deepseek"], []),
        ("Qwen", ["qwen", "qwq"], []),
        ("Cohere Command", ["command", "cohere"], []),
        ("AI21 Jamba", ["jamba", "ai21"], []),
        ("Microsoft Phi", ["phi"], []),
        ("xAI Grok", ["grok"], []),
    ];

    /// <summary>The family of a model id (<c>bedrock/us.anthropic.claude-…</c>, <c>openai/gpt-4o</c>…); null when unknown.</summary>
    public static string? Of(string modelId)
    {
        ArgumentNullException.ThrowIfNull(modelId);
        int slash = modelId.IndexOf('/', StringComparison.Ordinal);
        var provider = slash > 0 ? modelId[..slash].ToLowerInvariant() : string.Empty;
        var name = slash > 0 ? modelId[(slash + 1)..] : modelId;
        foreach (var word in Words(name))
        {
            foreach (var rule in Rules)
            {
                if (rule.Names.Any(n => Starts(word, n)))
                {
                    return rule.Family;
                }
            }
        }

        return Rules.FirstOrDefault(r => r.Providers.Contains(provider, StringComparer.Ordinal)).Family;
    }

    /// <summary>True when both ids are of the same known family.</summary>
    public static bool Same(string a, string b) => Of(a) is { } family && family == Of(b);

    private static bool Starts(string word, string name) =>
        word.StartsWith(name, StringComparison.Ordinal) && (word.Length == name.Length || char.IsAsciiDigit(word[name.Length]));

    private static IEnumerable<string> Words(string name)
    {
        int start = 0;
        for (int i = 0; i <= name.Length; i++)
        {
            if (i == name.Length || !char.IsAsciiLetterOrDigit(name[i]))
            {
                if (i > start)
                {
                    yield return name[start..i].ToLowerInvariant();
                }

                start = i + 1;
            }
        }
    }
}
