using System.Text;
using Eval360.Results;
using Eval360.Statistics;

namespace Eval360.Reporting;

/// <summary>
/// Builds the HTML report from results added one at a time (a pipeline, a journal being read): only aggregates are
/// kept, so memory stays flat however many results pass through. Not thread-safe: add from one thread.
/// </summary>
public sealed class ReportBuilder
{
    private readonly ReportAccumulator _data;

    /// <param name="grouping">What one row of the ranking covers: a model in a region (the default), or that in each run or experiment.</param>
    public ReportBuilder(SummaryGrouping grouping = SummaryGrouping.Model) => _data = new ReportAccumulator(grouping);

    /// <summary>Results added so far.</summary>
    public int Count => _data.Overall.Invocations;

    /// <summary>The statistics of the results added (what summary.json holds), gathered in the same pass.</summary>
    internal ResultStatistics Statistics => _data.Statistics;

    public void Add(InvocationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        _data.Add(result);
    }

    public void AddRange(IEnumerable<InvocationResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        foreach (var result in results)
        {
            _data.Add(result);
        }
    }

    /// <summary>
    /// Adds the results of a run directory, its journal (streamed: memory stays flat however long it is) or an
    /// invocations CSV, as Import-Eval360Result reads them.
    /// </summary>
    /// <returns>Journal lines that could not be read (a torn last line after a crash), skipped.</returns>
    public int AddFile(string path)
    {
        var scan = new ResultScan();
        AddRange(ResultFiles.Scan(path, scan));
        return scan.Unreadable;
    }

    /// <summary>Writes the page to <paramref name="path"/> atomically (readers see the old file or the new one, never half).</summary>
    public FileInfo Write(string path, ReportOptions? options = null)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var page = new ReportPageBuilder(_data, options ?? new ReportOptions()).Build();
        ResultJson.WriteAtomically(full, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 64 * 1024, leaveOpen: true);
            ReportTemplate.Render(page, writer);
        });
        return new FileInfo(full);
    }

    /// <summary>
    /// The figures a model is given to write an analysis from (-SummaryModel): the ranking, per-task pass rates,
    /// findings and caveats as plain text — never a prompt, an answer or an error message from the results.
    /// </summary>
    public string AnalysisBrief(ReportOptions? options = null) => new ReportPageBuilder(_data, options ?? new ReportOptions()).Brief();

    /// <summary>The verdict the page opens with (tests).</summary>
    internal Verdict Verdict(ReportOptions? options = null) => new ReportPageBuilder(_data, options ?? new ReportOptions()).Verdict;

    /// <summary>The page as a string (tests, previews).</summary>
    public string Render(ReportOptions? options = null)
    {
        var page = new ReportPageBuilder(_data, options ?? new ReportOptions()).Build();
        using var writer = new StringWriter();
        ReportTemplate.Render(page, writer);
        return writer.ToString();
    }
}

/// <summary>Writes the HTML report of a set of results: one self-contained page, charts and all, readable offline.</summary>
public static class ReportWriter
{
    /// <summary>The report's name in a run directory.</summary>
    public const string FileName = "report.html";

    /// <summary>Reads <paramref name="results"/> once, front to back, and writes the report to <paramref name="path"/> atomically.</summary>
    public static FileInfo Write(IEnumerable<InvocationResult> results, string path, ReportOptions? options = null)
    {
        var builder = new ReportBuilder();
        builder.AddRange(results);
        return builder.Write(path, options);
    }
}
