using System.Collections;
using System.Management.Automation;
using Eval360.Execution;
using Eval360.Reporting;
using Eval360.Statistics;

namespace Eval360.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Writes a self-contained HTML report of benchmark results: what we found, ranking and Pareto frontier, latency, throughput, cost, quality, jury, reliability, regions, runs and temperatures.</para>
/// </summary>
[Cmdlet(VerbsCommon.New, "Eval360Report", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = FromPipeline)]
[OutputType(typeof(FileInfo))]
public sealed class NewEval360ReportCommand : AsyncEval360Cmdlet
{
    private const string FromPipeline = "FromPipeline";
    private const string FromPath = "FromPath";
    private const string DefaultFileName = "eval360-report.html";

    private ReportBuilder _report = new();
    private readonly List<string> _sources = [];
    private readonly List<string> _notes = [];
    private string? _singleRunDirectory;
    private int _runDirectories;

    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = FromPipeline)]
    public InvocationResult[] InputObject { get; set; } = [];

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = FromPath)]
    [Alias("FullName", "PSPath")]
    [SupportsWildcards]
    public string[] Path { get; set; } = [];

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutputPath { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Title { get; set; }

    [Parameter]
    public SwitchParameter Open { get; set; }

    [Parameter]
    public Hashtable? Weights { get; set; }

    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double QualityFloor { get; set; } = RankingOptions.DefaultQualityFloor;

    [Parameter]
    public SummaryGrouping GroupBy { get; set; } = SummaryGrouping.Model;

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SummaryModel { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string ModelProfile { get; set; } = "config/models_profiles.jsonl";

    protected override void BeginProcessing() => _report = new ReportBuilder(GroupBy);

    protected override void ProcessRecord()
    {
        if (ParameterSetName == FromPipeline)
        {
            foreach (var result in InputObject)
            {
                if (result is not null)
                {
                    _report.Add(result);
                }
            }

            return;
        }

        foreach (var path in Path.SelectMany(ResolveExisting))
        {
            try
            {
                int unreadable = _report.AddFile(path);
                _sources.Add(path);
                if (Directory.Exists(path))
                {
                    _runDirectories++;
                    _singleRunDirectory = path;
                }

                if (unreadable > 0)
                {
                    var note = $"{path}: {unreadable} line(s) could not be read and are not in this report (a torn last line after a crash is expected).";
                    _notes.Add(note);
                    WriteWarning(note);
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
        if (_report.Count == 0)
        {
            WriteError(new ErrorRecord(new InvalidOperationException("There are no results to report: pipe results from Invoke-Eval360Benchmark or Import-Eval360Result, or give -Path run directories, journals or CSV files."),
                "NoResults", ErrorCategory.InvalidData, null));
            return;
        }

        var output = ResolvePath(OutputPath ?? DefaultOutput());
        var options = new ReportOptions { Title = Title, Sources = _sources, Notes = _notes, Ranking = Ranking(Weights, QualityFloor) };
        var analyst = SummaryModel is null ? null : FindAnalyst(SummaryModel);
        var action = $"Write the HTML report of {_report.Count} result(s)" + (analyst is null ? string.Empty : $", with an analysis written by {analyst.DisplayName} (one paid call)");
        if (!ShouldProcess(output, action))
        {
            return;
        }

        if (analyst is not null)
        {
            var brief = _report.AnalysisBrief(options);
            var analysis = RunAndDrain((_, stop, _) => ReportAnalyst.WriteAsync(analyst, brief, CurrentDirectory, stop), _ => { });
            if (analysis.Error is not null)
            {
                WriteWarning($"{analyst.DisplayName} wrote no analysis ({analysis.Error}); the report says so and has everything else.");
            }

            options = options with { Analysis = analysis };
        }

        FileInfo file;
        try
        {
            file = _report.Write(output, options);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ThrowTerminatingError(new ErrorRecord(e, "ReportNotWritten", ErrorCategory.WriteError, output));
            return;
        }

        WriteObject(file);
        if (Open)
        {
            OpenInBrowser(file);
        }
    }

    /// <summary>The profile of -SummaryModel in -ModelProfile; a missing file, a bad file or no such model ends the command.</summary>
    private ModelProfile FindAnalyst(string modelId)
    {
        var file = ResolvePath(ModelProfile);
        if (!File.Exists(file))
        {
            ThrowTerminatingError(new ErrorRecord(new FileNotFoundException($"{file} does not exist (-ModelProfile): -SummaryModel needs the profile of {modelId}.", file), "ModelProfileNotFound", ErrorCategory.ObjectNotFound, file));
        }

        try
        {
            return ReportAnalyst.FindProfile(file, modelId);
        }
        catch (ConfigurationException e)
        {
            ThrowTerminatingError(ConfigurationError(e));
            throw;
        }
        catch (ArgumentException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "SummaryModelNotFound", ErrorCategory.ObjectNotFound, modelId)
            {
                ErrorDetails = new ErrorDetails(e.Message) { RecommendedAction = "Name a model_id of the -ModelProfile file in -SummaryModel, or give the file that has it." },
            });
            throw;
        }
    }

    /// <summary>A single run directory's own report.html; otherwise a file in the current location.</summary>
    private string DefaultOutput() =>
        _runDirectories == 1 && _sources.Count == 1 && _singleRunDirectory is not null
            ? System.IO.Path.Combine(_singleRunDirectory, ReportWriter.FileName)
            : System.IO.Path.Combine(CurrentDirectory, DefaultFileName);

    /// <summary>Opens the report in the desktop's browser; where there is none (a server, a container), says where it is.</summary>
    private void OpenInBrowser(FileInfo file)
    {
        if (ReportOpener.TryOpen(file.FullName) is { } problem)
        {
            WriteWarning($"The report was not opened ({problem}); it is at {file.FullName}");
        }
    }
}
