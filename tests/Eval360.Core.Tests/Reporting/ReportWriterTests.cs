using System.Text.Json;
using System.Threading.Channels;
using Eval360.Configuration;
using Eval360.Execution;
using Eval360.Reporting;
using Eval360.Results;
using Eval360.Providers.Simulator;

namespace Eval360.Tests.Reporting;

public sealed class ReportWriterTests
{
    [Fact]
    public void Write_creates_the_folder_replaces_an_old_report_and_leaves_no_temporary_file()
    {
        using var work = new TempDirectory();
        var path = Path.Combine(work.Path, "deep", "er", "report.html");
        var first = ReportWriter.Write(new SyntheticResults().Generate(30), path, new ReportOptions { Title = "first" });
        var second = ReportWriter.Write(new SyntheticResults().Generate(30), path, new ReportOptions { Title = "second" });

        Assert.True(first.Exists);
        Assert.Equal(Path.GetFullPath(path), second.FullName);
        var html = File.ReadAllText(path);
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("<title>second</title>", html, StringComparison.Ordinal);
        Assert.Equal(["report.html"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
        Assert.NotEqual(0xEF, File.ReadAllBytes(path)[0]);
    }

    [Fact]
    public void AddFile_streams_a_journal_skipping_a_torn_last_line_and_reads_csv_and_run_directories()
    {
        using var work = new TempDirectory();
        var results = new SyntheticResults().Generate(60).ToList();
        var journal = Path.Combine(work.Path, "run", RunJournal.FileName);
        Directory.CreateDirectory(Path.GetDirectoryName(journal)!);
        using (var writer = RunJournal.Open(journal))
        {
            results.ForEach(writer.Append);
        }

        File.AppendAllText(journal, "{\"RunId\": \"torn");
        var csv = Path.Combine(work.Path, "invocations.csv");
        InvocationCsv.WriteAll(csv, results);

        var fromJournal = new ReportBuilder();
        Assert.Equal(1, fromJournal.AddFile(journal));
        Assert.Equal(60, fromJournal.Count);
        var fromDirectory = new ReportBuilder();
        fromDirectory.AddFile(Path.GetDirectoryName(journal)!);
        Assert.Equal(60, fromDirectory.Count);
        var fromCsv = new ReportBuilder();
        Assert.Equal(0, fromCsv.AddFile(csv));
        Assert.Equal(60, fromCsv.Count);
        Assert.Contains("openai/judge-b", fromCsv.Render(), StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => new ReportBuilder().AddFile(work.Path));
        Assert.Throws<FileNotFoundException>(() => new ReportBuilder().AddFile(Path.Combine(work.Path, "missing.jsonl")));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_completed_run_writes_report_html_into_its_directory_unless_told_not_to(bool report)
    {
        using var work = new TempDirectory();
        ModelProfile Sim(string name, ProfileRole role) => new()
        {
            ModelId = "sim/" + name, Provider = SimulatorProvider.Instance.Traits, Model = name, Role = role, Region = "sim-local-1", InputCostPer1K = 0.001, OutputCostPer1K = 0.002,
        };
        var scenarios = new[] { "What is 2 + 2?", "Name a prime number.", "<script>alert('prompt')</script>" }
            .Select(p => new Scenario { Prompt = p, TaskType = "QA", TaskCriteria = "Correct", GoldenAnswer = "4", ExpectedOutputTokens = 40, Temperature = 0.3 })
            .ToList();
        var configuration = new LoadedConfiguration(scenarios, [Sim("swift-mini", ProfileRole.Candidate), Sim("scholar-ultra", ProfileRole.Candidate)],
            [Sim("judge-fair", ProfileRole.Judge), Sim("judge-strict", ProfileRole.Judge)], []);
        var options = new BenchmarkOptions
        {
            ExperimentName = "reported", OutputDirectory = Path.Combine(work.Path, "outputs"), ExperimentCount = 1, InvocationsPerScenario = 2,
            SleepBetweenInvocations = TimeSpan.Zero, ParallelCalls = 8, Report = report,
        };
        var events = Channel.CreateUnbounded<RunEvent>();
        var outcome = await Benchmark.Create(configuration, options, work.Path).RunAsync(events.Writer, CancellationToken.None);

        Assert.Equal(RunStatus.Completed, outcome.Status);
        var file = outcome.Directory.Report;
        using var manifest = JsonDocument.Parse(File.ReadAllText(outcome.Directory.Manifest));
        if (!report)
        {
            Assert.False(File.Exists(file));
            Assert.False(manifest.RootElement.TryGetProperty("report", out _));
            return;
        }

        Assert.True(File.Exists(file));
        Assert.Equal("report.html", manifest.RootElement.GetProperty("report").GetString());
        var html = File.ReadAllText(file);
        Assert.Contains("<title>Eval360 report: reported</title>", html, StringComparison.Ordinal);
        Assert.Contains("SIMULATED: every result", html, StringComparison.Ordinal);
        Assert.Contains("12 (12 succeeded", html, StringComparison.Ordinal);
        Assert.Contains("sim/judge-strict", html, StringComparison.Ordinal);
        Assert.Equal(1, ReportContentTests.Count(html, "<script"));
        foreach (var summary in outcome.Summaries)
        {
            Assert.Contains($">{Html.Seconds(summary.TimeToFirstTokenP50)}<", html, StringComparison.Ordinal);
        }
    }
}
