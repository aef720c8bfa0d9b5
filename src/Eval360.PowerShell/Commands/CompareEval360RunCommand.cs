using System.Globalization;
using System.Management.Automation;
using Eval360.Statistics;

namespace Eval360.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Compares a run with a baseline run, per model and metric, and says what regressed: worse by more than a tolerance, and significantly.</para>
/// </summary>
[Cmdlet(VerbsData.Compare, "Eval360Run")]
[OutputType(typeof(RunComparison))]
public sealed class CompareEval360RunCommand : Eval360Cmdlet
{
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string Baseline { get; set; } = string.Empty;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "PSPath")]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string Path { get; set; } = string.Empty;

    [Parameter]
    [ValidateRange(0.0, 100.0)]
    public double Tolerance { get; set; } = RunComparisons.DefaultTolerance;

    [Parameter]
    public SwitchParameter FailOnRegression { get; set; }

    protected override void ProcessRecord()
    {
        var baseline = Read(Baseline, nameof(Baseline));
        var current = Read(Path, nameof(Path));
        if (baseline is null || current is null)
        {
            return;
        }

        foreach (var key in current.Models.Keys.Where(k => !baseline.Models.ContainsKey(k)))
        {
            WriteWarning($"{Label(current.Models[key])} is not in the baseline run: nothing to compare it with.");
        }

        foreach (var key in baseline.Models.Keys.Where(k => !current.Models.ContainsKey(k)))
        {
            WriteWarning($"{Label(baseline.Models[key])} is in the baseline run but not in this one.");
        }

        var comparisons = RunComparisons.Of(baseline, current, Tolerance);
        foreach (var comparison in comparisons)
        {
            WriteObject(comparison);
        }

        var regressed = comparisons.Where(c => c.Regressed).ToList();
        if (FailOnRegression && regressed.Count > 0)
        {
            var what = string.Join("; ", regressed.Select(c => string.Format(CultureInfo.InvariantCulture, "{0} {1} {2:+0.#%;-0.#%} (p = {3:G2})",
                c.Region is null ? c.ModelId : $"{c.ModelId} ({c.Region})", c.Metric, c.Change, c.PValue)));
            var message = $"{regressed.Count} regression(s) against the baseline {Baseline}, beyond the {Tolerance:P0} tolerance and significant: {what}.";
            ThrowTerminatingError(new ErrorRecord(new InvalidOperationException(message), "RegressionDetected", ErrorCategory.InvalidResult, ResolvePath(Path))
            {
                ErrorDetails = new ErrorDetails(message) { RecommendedAction = "Look at the models and metrics named; raise -Tolerance if such a change is acceptable." },
            });
        }
    }

    /// <summary>The one run directory (or results file) a path names, read; null after reporting a problem.</summary>
    private RunSample? Read(string path, string parameter)
    {
        var paths = ResolveExisting(path).ToList();
        if (paths.Count != 1)
        {
            WriteError(new ErrorRecord(new ArgumentException($"-{parameter} must name one run directory; '{path}' matches {paths.Count}."),
                "OneRunExpected", ErrorCategory.InvalidArgument, path));
            return null;
        }

        var sample = new RunSample();
        ReadResults(paths, sample.Add);
        if (sample.Models.Count == 0)
        {
            WriteError(new ErrorRecord(new InvalidOperationException($"-{parameter} {paths[0]} holds no results."), "NoResults", ErrorCategory.InvalidData, paths[0]));
            return null;
        }

        return sample;
    }

    private static string Label(ModelSample model) => model.Region is null ? model.ModelId : $"{model.ModelId} ({model.Region})";
}
