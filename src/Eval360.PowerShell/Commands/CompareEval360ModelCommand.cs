using System.Management.Automation;
using Eval360.Statistics;

namespace Eval360.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Compares models on the same items: the mean difference per dimension and in pass rate, with a paired-bootstrap interval, a paired test and Holm's correction.</para>
/// </summary>
[Cmdlet(VerbsData.Compare, "Eval360Model", DefaultParameterSetName = FromPipeline)]
[OutputType(typeof(ModelComparison))]
public sealed class CompareEval360ModelCommand : Eval360Cmdlet
{
    private const string FromPipeline = "FromPipeline";
    private const string FromPath = "FromPath";

    private readonly ResultStatistics _statistics = new();

    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = FromPipeline)]
    public InvocationResult[] InputObject { get; set; } = [];

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = FromPath)]
    [Alias("FullName", "PSPath")]
    [SupportsWildcards]
    public string[] Path { get; set; } = [];

    [Parameter]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string? ModelA { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string? ModelB { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == FromPipeline)
        {
            foreach (var result in InputObject)
            {
                if (result is not null)
                {
                    _statistics.Add(result);
                }
            }

            return;
        }

        ReadResults(Path, _statistics.Add);
    }

    protected override void EndProcessing()
    {
        var models = _statistics.JudgedModels().ToList();
        if (models.Count < 2)
        {
            WriteError(new ErrorRecord(new InvalidOperationException($"Comparing needs judged answers from two models; these results have {models.Count}{(models.Count == 1 ? $" ({models[0]})" : string.Empty)}."),
                "TooFewModels", ErrorCategory.InvalidData, null));
            return;
        }

        var first = Matching(ModelA, models);
        var second = Matching(ModelB, models);
        if (first is null || second is null)
        {
            return;
        }

        var pairs = new List<(string A, string B)>();
        foreach (var a in first)
        {
            foreach (var b in second)
            {
                // Unnamed, each pair once, the better-scored model first (models come best first).
                bool bothUnnamed = ModelA is null && ModelB is null;
                if (a != b && !(bothUnnamed && models.IndexOf(b) < models.IndexOf(a)) && !pairs.Contains((b, a)))
                {
                    pairs.Add((a, b));
                }
            }
        }

        foreach (var (a, b) in pairs)
        {
            var comparisons = _statistics.Compare(a, b);
            if (comparisons.Count == 0)
            {
                WriteWarning($"{a} and {b} have no judged item in common. Answers are paired by plan (by run for results that name no plan), experiment, scenario, invocation, temperature and prompt variant: compare models benchmarked in the same run, or in the shards of one plan.");
            }

            foreach (var comparison in comparisons)
            {
                WriteObject(comparison);
            }
        }
    }

    /// <summary>The judged models a name or pattern matches (every one when null); null after reporting that none does.</summary>
    private List<string>? Matching(string? pattern, IReadOnlyList<string> models)
    {
        if (pattern is null)
        {
            return [.. models];
        }

        var wildcard = new WildcardPattern(pattern, WildcardOptions.IgnoreCase);
        var matched = models.Where(m => string.Equals(m, pattern, StringComparison.OrdinalIgnoreCase) || wildcard.IsMatch(m)).ToList();
        if (matched.Count == 0)
        {
            WriteError(new ErrorRecord(new ArgumentException($"No model with judged answers matches '{pattern}'. These do: {string.Join(", ", models)}."),
                "ModelNotFound", ErrorCategory.ObjectNotFound, pattern));
            return null;
        }

        return matched;
    }
}
