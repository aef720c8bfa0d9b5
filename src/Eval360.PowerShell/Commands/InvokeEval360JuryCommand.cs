using System.Globalization;
using System.Management.Automation;
using Eval360.Configuration;
using Eval360.Execution;
using Eval360.Providers;
using Eval360.Results;

namespace Eval360.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Judges saved responses again with another jury, without calling the candidate models again.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "Eval360Jury", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = FromResults)]
[OutputType(typeof(InvocationResult))]
public sealed class InvokeEval360JuryCommand : AsyncEval360Cmdlet
{
    private const string FromPath = "Path";
    private const string FromResults = "InputObject";
    private const string ResumeJury = "Resume";

    private readonly List<string> _paths = [];
    private readonly List<InvocationResult> _results = [];
    private ScoreColumns _scoreColumns = new([]);

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = FromPath, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "PSPath")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = FromResults, ValueFromPipeline = true)]
    public InvocationResult[] InputObject { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = FromPath)]
    [Parameter(Mandatory = true, ParameterSetName = FromResults)]
    [Alias("judge_file_name")]
    [ValidateNotNullOrEmpty]
    public string? JudgeProfile { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = ResumeJury)]
    [ValidateNotNullOrEmpty]
    public string? Resume { get; set; }

    [Parameter]
    [Alias("output_dir")]
    public string OutputDirectory { get; set; } = "outputs";

    // Jury and execution settings: ranges, defaults and help live in Eval360.Configuration.RunSettings; only the values
    // the user gave are passed on (so that on -Resume they override the saved settings and nothing else does).

    [Parameter(ParameterSetName = FromPath)]
    [Parameter(ParameterSetName = FromResults)]
    [Alias("evaluation_pass_threshold")]
    [ValidateRunSetting(nameof(PassThreshold))]
    public double PassThreshold { get; set; }

    [Parameter(ParameterSetName = FromPath)]
    [Parameter(ParameterSetName = FromResults)]
    public JuryAggregation JuryAggregation { get; set; }

    [Parameter(ParameterSetName = FromPath)]
    [Parameter(ParameterSetName = FromResults)]
    [Alias("user_defined_metrics")]
    public string[] UserDefinedMetrics { get; set; } = [];

    [Parameter]
    [Alias("parallel_calls")]
    [ValidateRunSetting(nameof(ParallelCalls))]
    public int ParallelCalls { get; set; }

    [Parameter]
    [ValidateRunSetting(nameof(MaxCost))]
    public double? MaxCost { get; set; }

    [Parameter]
    [ValidateRunSetting(nameof(MaxRetries))]
    public int MaxRetries { get; set; }

    [Parameter]
    public SwitchParameter NoReport { get; set; }

    protected override void ProcessRecord()
    {
        _paths.AddRange(Path);
        _results.AddRange(InputObject);
    }

    protected override void EndProcessing()
    {
        var scans = new List<(string Path, ResultScan Scan)>();
        Rejudging rejudging;
        try
        {
            rejudging = ParameterSetName switch
            {
                ResumeJury => Rejudging.Resume(ResolveRunReference(Resume!), ResolvePath(OutputDirectory), CurrentDirectory, GivenSettings()),
                _ => Create(scans),
            };
        }
        catch (ConfigurationException e)
        {
            ThrowTerminatingError(ConfigurationError(e));
            return;
        }
        catch (RunNotFoundException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "RunNotFound", ErrorCategory.ObjectNotFound, Resume)
            {
                ErrorDetails = new ErrorDetails(e.Message)
                {
                    RecommendedAction = $"Get-Eval360Run -Path '{e.OutputDirectory}' lists the runs there; give -Resume the jury id of a re-judging (the end of its directory name), or its directory.",
                },
            });
            return;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            ThrowTerminatingError(new ErrorRecord(e, "ResultsUnreadable", ErrorCategory.ReadError, _paths.FirstOrDefault())
            {
                ErrorDetails = new ErrorDetails(e.Message)
                {
                    RecommendedAction = "Give -Path a run directory, its journal.jsonl or an invocations.csv (Import-Eval360Result reads the same), or pipe results in.",
                },
            });
            return;
        }

        foreach (var (path, scan) in scans.Where(s => s.Scan.Unreadable > 0))
        {
            WriteWarning($"{path}: {scan.Unreadable} line(s) could not be read and are not judged (a torn last line after a crash is expected).");
        }

        foreach (var warning in rejudging.Warnings)
        {
            WriteWarning(warning);
        }

        if (!ShouldProcess(rejudging.Directory, Describe(rejudging)))
        {
            if (MyInvocation.BoundParameters.ContainsKey("WhatIf"))
            {
                WriteNote(rejudging.DescribePlan());
            }

            return;
        }

        _scoreColumns = new ScoreColumns(rejudging.Metrics);
        rejudging.EventLogLevel = LogLevelWanted;
        RejudgingOutcome outcome;
        try
        {
            outcome = RunAndDrain(
                (events, stop, gone) => rejudging.RunAsync(events, stop, gone),
                Handle,
                () => Report(rejudging),
                stopped => WriteStopWarning(stopped.DescribeCancellation()));
        }
        catch (BenchmarkException e)
        {
            CompleteProgress();
            ThrowTerminatingError(new ErrorRecord(e, e.ErrorId, ErrorCategory.ResourceUnavailable, rejudging.Directory));
            return;
        }

        CompleteProgress();
        WriteNote(outcome.Describe());
    }

    private Rejudging Create(List<(string Path, ResultScan Scan)> scans)
    {
        var (judges, findings) = ConfigLoader.LoadJudges(ResolvePath(JudgeProfile!), ProviderSet.Catalog);
        foreach (var finding in findings)
        {
            WriteWarning(finding.ToString());
        }

        var sources = new List<SavedResults>();
        if (ParameterSetName == FromResults)
        {
            sources.Add(new SavedResults(null, () => _results));
        }
        else
        {
            foreach (var path in _paths.SelectMany(ResolveExisting))
            {
                var scan = new ResultScan();
                scans.Add((path, scan));
                sources.Add(new SavedResults(path, () => ResultFiles.Scan(path, scan)));
            }
        }

        var options = RunSettings.Apply(new BenchmarkOptions { OutputDirectory = ResolvePath(OutputDirectory) }, GivenSettings());
        return Rejudging.Create(sources, judges, options, CurrentDirectory);
    }

    private void Handle(RunEvent item)
    {
        switch (item)
        {
            case ResultRecorded recorded:
                WriteObject(_scoreColumns.Attach(recorded.Result));
                break;
            case RunWarning warning:
                WriteWarning(warning.Message);
                break;
            case RunNotice notice:
                WriteVerbose(notice.Message);
                break;
            case RunLogged logged:
                WriteLogged(logged);
                break;
        }
    }

    private void Report(Rejudging rejudging)
    {
        var progress = rejudging.Progress;
        int planned = Math.Max(1, progress.Planned);
        var status = string.Format(CultureInfo.InvariantCulture, "{0}/{1} done, {2} being judged — {3}",
            progress.Finished, progress.Planned, progress.InFlight, progress.Phase);
        WriteProgress(new ProgressRecord(2, $"Eval360 jury {rejudging.JuryId}", status)
        {
            PercentComplete = Math.Min(100, progress.Finished * 100 / planned),
            SecondsRemaining = progress.EtaSeconds is double eta ? (int)Math.Ceiling(eta) : -1,
        });
    }

    private void CompleteProgress() =>
        WriteProgress(new ProgressRecord(2, "Eval360 jury", "done") { RecordType = ProgressRecordType.Completed });

    private static string Describe(Rejudging rejudging)
    {
        var plan = rejudging.Plan;
        var cost = plan.Cost(rejudging.Judges);
        return string.Format(CultureInfo.InvariantCulture,
            "Judge {0} saved response(s) again with {1} judge(s): {2} judge calls, projected {3:0.####} USD (at most {4:0.####}); no candidate is called",
            plan.RemainingToJudge, rejudging.Judges.Count, plan.RemainingToJudge * rejudging.Judges.Count, cost.Expected, cost.Max);
    }
}
