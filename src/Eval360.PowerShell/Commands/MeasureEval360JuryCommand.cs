using System.Management.Automation;
using Eval360.Configuration;
using Eval360.Statistics;

namespace Eval360.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Measures how far a jury's judges agree (Krippendorff's α, Fleiss' κ), how lenient each judge is, how the judges and the jury agree with human labels, and (-Bias) how much each judge favours its own model family.</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Measure, "Eval360Jury", DefaultParameterSetName = FromPipeline)]
[OutputType(typeof(JuryStatistic))]
[OutputType(typeof(JudgeFamilyBias))]
public sealed class MeasureEval360JuryCommand : Eval360Cmdlet
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
    [ValidateNotNullOrEmpty]
    public MeasurementLevel[] Level { get; set; } = [.. JuryMeasures.AllLevels];

    [Parameter]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[] Metric { get; set; } = ["*"];

    [Parameter]
    public SwitchParameter NoJudge { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? HumanLabels { get; set; }

    [Parameter]
    public SwitchParameter Bias { get; set; }

    protected override void BeginProcessing()
    {
        if (HumanLabels is null)
        {
            return;
        }

        try
        {
            _statistics = new ResultStatistics { Labels = HumanLabelFile.Read(ResolvePath(HumanLabels)) };
        }
        catch (ConfigurationException e)
        {
            ThrowTerminatingError(ConfigurationError(e));
        }
    }

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
        if (Bias)
        {
            WriteFamilyBias();
            return;
        }

        var patterns = Metric.Select(m => new WildcardPattern(m, WildcardOptions.IgnoreCase)).ToList();
        void Write(IEnumerable<JuryStatistic> statistics)
        {
            foreach (var statistic in statistics.Where(s => patterns.Any(p => p.IsMatch(s.Metric))))
            {
                WriteObject(statistic);
            }
        }

        var agreement = _statistics.Reliability(Level);
        if (agreement.Count == 0)
        {
            WriteWarning("No answer in these results has a jury verdict, so there is nothing to measure: run a benchmark with -JudgeProfile (not -LatencyOnly), or pipe its results here.");
            return;
        }

        if (agreement.All(s => s.Items == 0))
        {
            WriteWarning("No answer was scored by two or more judges, so the judges' agreement cannot be measured: use a jury of at least two judges.");
        }

        Write(agreement);
        if (!NoJudge)
        {
            Write(_statistics.JudgeAgreement());
        }

        if (_statistics.Labels is not { } labels)
        {
            return;
        }

        if (_statistics.LabelledAnswers == 0)
        {
            WriteWarning($"None of the {labels.Count} human labels in {HumanLabels} matches a judged answer: label answers by the results' Key, or by scenario_id (and model_id).");
            return;
        }

        var unknown = labels.Metrics.Where(m => !_statistics.Scores.Dimensions.Contains(m, StringComparer.OrdinalIgnoreCase)).ToList();
        if (unknown.Count > 0)
        {
            WriteWarning($"The human labels score metrics the jury did not: {string.Join(", ", unknown)} (the jury scored {string.Join(", ", _statistics.Scores.Dimensions)}).");
        }

        Write(_statistics.HumanAgreement());
    }

    /// <summary>The self-preference check: one row per judge that scored answers from models of its own family.</summary>
    private void WriteFamilyBias()
    {
        var rows = _statistics.FamilyBias();
        if (rows.Count == 0)
        {
            WriteWarning("No judge in these results scored answers from a model of its own family (Claude, GPT, Llama…), so there is no self-preference to measure.");
        }

        foreach (var row in rows)
        {
            WriteObject(row);
        }
    }
}
