using System.Management.Automation;
using Eval360.Configuration;

namespace Eval360.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Lists the sample scenarios and simulated profiles shipped with the module, or copies them into a folder.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "Eval360Sample", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(FileInfo))]
public sealed class GetEval360SampleCommand : Eval360Cmdlet
{
    /// <summary>File names or relative paths (runs/quickstart.jsonl) of the samples; wildcards allowed.</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = ["*"];

    /// <summary>Copies the samples here, keeping their runs/ and config/ folders.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Destination { get; set; }

    /// <summary>Overwrites samples already copied to the destination.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void EndProcessing()
    {
        var root = Path.Combine(ModuleBase(), SampleFiles.FolderName);
        IReadOnlyList<string> samples;
        try
        {
            samples = SampleFiles.List(root);
        }
        catch (DirectoryNotFoundException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "SamplesMissing", ErrorCategory.ObjectNotFound, root));
            return;
        }

        var chosen = new List<string>();
        foreach (var name in Name)
        {
            var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
            var matches = samples.Where(s => pattern.IsMatch(s) || pattern.IsMatch(Path.GetFileName(s))).ToList();
            if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
            {
                WriteError(new ErrorRecord(new ItemNotFoundException($"There is no sample '{name}'. The samples are: {string.Join(", ", samples)}."), "SampleNotFound", ErrorCategory.ObjectNotFound, name));
            }

            chosen.AddRange(matches.Where(m => !chosen.Contains(m)));
        }

        if (Destination is null)
        {
            foreach (var sample in chosen)
            {
                WriteObject(new FileInfo(Path.Combine(root, sample)));
            }

            return;
        }

        var destination = ResolvePath(Destination);
        foreach (var sample in chosen)
        {
            var target = Path.Combine(destination, sample);
            if (File.Exists(target) && !Force)
            {
                WriteError(new ErrorRecord(new IOException($"{target} exists; -Force overwrites it."), "SampleExists", ErrorCategory.ResourceExists, target));
                continue;
            }

            if (ShouldProcess(target, $"Copy the sample {sample}"))
            {
                WriteObject(new FileInfo(SampleFiles.CopyTo(root, sample, destination, Force)));
            }
        }
    }

    /// <summary>The module's folder: where the manifest is, or where the contracts assembly is when hosted without one.</summary>
    private string ModuleBase() =>
        MyInvocation.MyCommand.Module?.ModuleBase is { Length: > 0 } moduleBase && Directory.Exists(Path.Combine(moduleBase, SampleFiles.FolderName))
            ? moduleBase
            : ModuleFolder;
}
