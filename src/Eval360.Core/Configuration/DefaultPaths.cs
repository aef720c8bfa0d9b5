namespace Eval360.Configuration;

/// <summary>
/// Where the cmdlets look for files nobody named, relative to the PowerShell location — the seed's layout, so a seed
/// folder works as it is.
/// </summary>
public static class DefaultPaths
{
    public const string ModelProfile = "config/models_profiles.jsonl";

    public const string JudgeProfile = "config/judge_profiles.jsonl";

    public const string OutputDirectory = "outputs";
}
