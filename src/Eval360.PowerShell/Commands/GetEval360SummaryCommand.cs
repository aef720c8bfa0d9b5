using System.Collections;
using System.Management.Automation;
using Eval360.Results;
using Eval360.Statistics;

namespace Eval360.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Summarises results per model and ranks the models: pass rate, mean scores, latency percentiles, throughput, cost, the composite score and the Pareto frontier.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "Eval360Summary", DefaultParameterSetName = FromPipeline)]
[OutputType(typeof(ModelSummary))]
public sealed class GetEval360SummaryCommand : Eval360Cmdlet
{
    private const string FromPipeline = "FromPipeline";
    private const string FromPath = "FromPath";

    private ResultStatistics _statistics = new();

    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = FromPipeline)]
    public InvocationResult[] InputObject { get; set; } = [];

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = FromPath)]
    [Alias("FullName", "PSPath")]
    [SupportsWildcards]
    public string[] Path { get; set; } = [];

    [Parameter]
    public Hashtable? Weights { get; set; }

    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double QualityFloor { get; set; } = RankingOptions.DefaultQualityFloor;

    [Parameter]
    public SummaryGrouping GroupBy { get; set; } = SummaryGrouping.Model;

    protected override void BeginProcessing() => _statistics = new ResultStatistics(GroupBy);

    protected override void ProcessRecord()
    {
        if (ParameterSetName == FromPipeline)
        {
            foreach (var result in InputObject)
            {
                _statistics.Add(result);
            }

            return;
        }

        ReadResults(Path, _statistics.Add);
    }

    protected override void EndProcessing()
    {
        var options = Ranking(Weights, QualityFloor);
        if (_statistics.Models.Count == 0)
        {
            return;
        }

        var ranking = _statistics.Rank(options);
        var floor = ranking.FloorApplies
            ? $"models with a pass rate under {(options.QualityFloor * 100).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)}% rank last"
            : "no answer was judged, so no quality floor";
        WriteNote($"Ranked by composite score ({options.Weights.Describe(ranking.Scale.HasQuality)}); {floor}. Rank '=n': tied within the 95% uncertainty; '*': on the Pareto frontier of quality, median TTFT and cost per response.");
        foreach (var summary in ranking.Summaries)
        {
            WriteObject(summary);
        }
    }
}
