using System.Management.Automation;
using Eval360.Configuration;
using Eval360.Providers;

namespace Eval360.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Checks scenario, model and judge files and reports every problem with its file, line and field.</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "Eval360Config", DefaultParameterSetName = Report)]
[OutputType(typeof(ConfigFinding), ParameterSetName = [Report])]
[OutputType(typeof(bool), ParameterSetName = [QuietSet])]
public sealed class TestEval360ConfigCommand : Eval360Cmdlet
{
    private const string Report = "Report";
    private const string QuietSet = "Quiet";

    private bool _allValid = true;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "PSPath")]
    [SupportsWildcards]
    public string[] Path { get; set; } = [];

    [Parameter]
    public ConfigKind Kind { get; set; } = ConfigKind.Auto;

    [Parameter(ParameterSetName = QuietSet)]
    public SwitchParameter Quiet { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var file in Path.SelectMany(ResolveExisting).SelectMany(Expand))
        {
            var findings = ConfigLoader.Validate(file, ProviderSet.Catalog, Kind);
            _allValid &= findings.All(f => f.Severity != ConfigSeverity.Error);
            WriteVerbose(findings.Count == 0 ? $"{file}: no problems" : $"{file}: {findings.Count} finding(s)");
            if (!Quiet)
            {
                foreach (var finding in findings)
                {
                    WriteObject(finding);
                }
            }
        }
    }

    protected override void EndProcessing()
    {
        if (Quiet)
        {
            WriteObject(_allValid);
        }
    }

    /// <summary>A folder stands for its <c>.jsonl</c> and <c>.csv</c> files, as the seed's validator takes <c>config/</c>.</summary>
    private static IEnumerable<string> Expand(string path) => Directory.Exists(path)
        ? Directory.EnumerateFiles(path).Where(f => f.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal)
        : [path];
}
