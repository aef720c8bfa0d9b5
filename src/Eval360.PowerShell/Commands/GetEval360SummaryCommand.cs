using System.Management.Automation;
using Eval360.Results;
using Eval360.Statistics;

namespace Eval360.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Summarises results per model: pass rate, mean scores, latency percentiles, throughput and cost.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "Eval360Summary", DefaultParameterSetName = FromPipeline)]
[OutputType(typeof(ModelSummary))]
public sealed class GetEval360SummaryCommand : Eval360Cmdlet
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

        foreach (var path in Path.SelectMany(ResolveExisting))
        {
            try
            {
                foreach (var result in ResultFiles.Scan(path, new ResultScan()))
                {
                    _statistics.Add(result);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                WriteError(ResultsError(e, path));
            }
        }
    }

    protected override void EndProcessing()
    {
        // Summaries() come in model order, so models that tie here keep one order whatever order the results came in.
        foreach (var summary in _statistics.Summaries().OrderByDescending(s => s.PassRate ?? -1).ThenBy(s => s.TimeToFirstTokenP50 ?? double.MaxValue))
        {
            WriteObject(summary);
        }
    }
}
