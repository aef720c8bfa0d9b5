namespace Eval360.Configuration;

/// <summary>
/// The sample files shipped inside the module (<c>Samples/</c> under the module's base), laid out as in the repository —
/// <c>runs/quickstart.jsonl</c>, <c>config/quickstart.models.jsonl</c>, … — so that copied into a folder, the quick
/// start's commands find them there. The installed module needs nothing else from the repository.
/// </summary>
public static class SampleFiles
{
    /// <summary>The folder under the module's base that holds the samples.</summary>
    public const string FolderName = "Samples";

    /// <summary>Every sample under <paramref name="samplesRoot"/>, as paths relative to it with <c>/</c> separators, sorted.</summary>
    /// <exception cref="DirectoryNotFoundException">The module has no samples folder (a damaged install).</exception>
    public static IReadOnlyList<string> List(string samplesRoot)
    {
        if (!Directory.Exists(samplesRoot))
        {
            throw new DirectoryNotFoundException($"{samplesRoot} does not exist: the module's samples are missing; reinstall the module (Install-PSResource Eval360 -Reinstall)");
        }

        return Directory.EnumerateFiles(samplesRoot, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(samplesRoot, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Copies one sample to the same relative path under <paramref name="destination"/>; returns the new file's path.</summary>
    /// <exception cref="IOException">The file exists and <paramref name="overwrite"/> is false.</exception>
    public static string CopyTo(string samplesRoot, string sample, string destination, bool overwrite)
    {
        var target = Path.GetFullPath(Path.Combine(destination, sample));
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(Path.Combine(samplesRoot, sample), target, overwrite);
        return target;
    }
}
