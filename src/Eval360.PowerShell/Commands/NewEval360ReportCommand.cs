using System.Management.Automation;
using Eval360.Reporting;

namespace Eval360.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Writes a self-contained HTML report of benchmark results: ranking, latency, throughput, cost, quality, jury, reliability, regions and temperatures.</para>
/// </summary>
[Cmdlet(VerbsCommon.New, "Eval360Report", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = FromPipeline)]
[OutputType(typeof(FileInfo))]
public sealed class NewEval360ReportCommand : Eval360Cmdlet
{
    private const string FromPipeline = "FromPipeline";
    private const string FromPath = "FromPath";
    private const string DefaultFileName = "eval360-report.html";

    private readonly ReportBuilder _report = new();
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
        if (!ShouldProcess(output, $"Write the HTML report of {_report.Count} result(s)"))
        {
            return;
        }

        FileInfo file;
        try
        {
            file = _report.Write(output, new ReportOptions { Title = Title, Sources = _sources, Notes = _notes });
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
