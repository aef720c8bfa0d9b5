using System.Text.RegularExpressions;
using Eval360.Reporting;
using Eval360.Statistics;
using Eval360.Tests.Statistics;

namespace Eval360.Tests.Reporting;

/// <summary>The page's verdict, ranking marks, distributions, runs and written analysis, from results built by hand.</summary>
public sealed partial class ReportVerdictContentTests
{
    private static IEnumerable<InvocationResult> FastFailingAndSlowPassing() =>
        new ConstructedResults("p/fast-failing") { Judged = 40, Passed = 12, Score = 2.2, TimeToFirstToken = [0.05], Cost = 0.0001 }.Generate()
            .Concat(new ConstructedResults("p/slow-passing") { Judged = 40, Passed = 36, Score = 4.6, TimeToFirstToken = [2.0], Cost = 0.01 }.Generate());

    [Fact]
    public void The_ranking_puts_the_fast_failing_model_last_and_prints_weights_and_floor()
    {
        var html = ReportContentTests.Render(FastFailingAndSlowPassing());
        var ranking = Table(html, "t-ranking");

        // Composite by hand (ModelRankingTests): slow-passing 60.65, fast-failing 65 — and yet slow-passing ranks first.
        Assert.Equal(["1", "p/slow-passing", "60.7"], Cells(Row(ranking, "p/slow-passing")).Take(3));
        Assert.Equal(["2", "p/fast-failing", "65.0"], Cells(Row(ranking, "p/fast-failing")).Take(3));
        Assert.True(ranking.IndexOf("p/slow-passing", StringComparison.Ordinal) < ranking.IndexOf("p/fast-failing", StringComparison.Ordinal));
        Assert.EndsWith("below quality floor", Cells(Row(ranking, "p/fast-failing"))[^1], StringComparison.Ordinal);
        Assert.Contains("Weights: quality 50%, latency 20%, cost 15%, reliability 15% (-Weights). Models whose pass rate is under the quality floor of 50% rank after every model", html, StringComparison.Ordinal);
        Assert.Contains("<section id=\"verdict\"", html, StringComparison.Ordinal);
        Assert.True(html.IndexOf("<section id=\"verdict\"", StringComparison.Ordinal) < html.IndexOf("<section id=\"ranking\"", StringComparison.Ordinal), "the verdict opens the page");

        var custom = ReportContentTests.Render(FastFailingAndSlowPassing(), new ReportOptions
        {
            Ranking = new RankingOptions { Weights = new CompositeWeights(Quality: 1, Latency: 1, Cost: 0, Reliability: 0), QualityFloor = 0.25 },
        });
        Assert.Contains("Weights: quality 50%, latency 50%, cost 0%, reliability 0% (-Weights). Models whose pass rate is under the quality floor of 25%", custom, StringComparison.Ordinal);
        // Above a 25% floor both count; half latency puts the fast one first.
        Assert.True(Table(custom, "t-ranking").IndexOf("p/fast-failing", StringComparison.Ordinal) < Table(custom, "t-ranking").IndexOf("p/slow-passing", StringComparison.Ordinal));
    }

    [Fact]
    public void A_dominated_model_is_named_with_what_dominates_it_and_the_frontier_is_outlined()
    {
        var results = new ConstructedResults("p/best") { Judged = 10, Passed = 9, TimeToFirstToken = [0.5], Cost = 0.002 }.Generate()
            .Concat(new ConstructedResults("p/worse") { Judged = 10, Passed = 8, TimeToFirstToken = [0.6], Cost = 0.003 }.Generate())
            .Concat(new ConstructedResults("p/fast") { Judged = 10, Passed = 5, TimeToFirstToken = [0.2], Cost = 0.004 }.Generate());
        var html = ReportContentTests.Render(results);

        Assert.Equal("dominated by p/best", Cells(Row(Table(html, "t-ranking"), "p/worse"))[^2]);
        Assert.Equal("on the frontier", Cells(Row(Table(html, "t-ranking"), "p/best"))[^2]);
        Assert.Equal(2, ReportContentTests.Count(html, " marked\" data-series="));
        Assert.Contains("p/worse: $0.003 per response, pass rate 80%, median TTFT 0.600 s · dominated by p/best", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Tied_models_are_shown_as_ties()
    {
        double[] latencies = [0.40, 0.45, 0.50, 0.55, 0.60];
        var html = ReportContentTests.Render(new ConstructedResults("p/seven") { Judged = 10, Passed = 7, TimeToFirstToken = latencies }.Generate()
            .Concat(new ConstructedResults("p/six") { Judged = 10, Passed = 6, TimeToFirstToken = latencies }.Generate()));
        var ranking = Table(html, "t-ranking");

        Assert.Equal("=1", Cells(Row(ranking, "p/seven"))[0]);
        Assert.Equal("=1", Cells(Row(ranking, "p/six"))[0]);
        var groups = Table(html, "t-quality-groups");
        Assert.Equal("1", Cells(Row(groups, "p/six"))[0]);
        Assert.Equal("1", Cells(Row(groups, "p/seven"))[0]);
    }

    [Fact]
    public void Distributions_have_their_spread_and_shape_and_histograms_their_normal_curve()
    {
        // Nine fast calls and one slow: mean 0.28, far from normal (a long right tail).
        var html = ReportContentTests.Render(new ConstructedResults("p/tailed") { Judged = 40, Passed = 30, TimeToFirstToken = [0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 1.0] }.Generate()
            .Concat(new ConstructedResults("p/even") { Judged = 40, Passed = 30, TimeToFirstToken = [0.1, 0.2, 0.3, 0.4, 0.5] }.Generate()));
        var ttft = Table(html, "t-latency-ttft");

        // p/tailed, 40 calls: 36 at 0.2 s, 4 at 1.0 s. Mean 0.28; variance Σ(x − 0.28)² / 39 = (36 × 0.0064 + 4 × 0.5184) / 39 = 2.304 / 39 = 0.059077.
        var tailed = Cells(Row(ttft, "p/tailed"));
        Assert.Equal(["p/tailed", "40"], tailed.Take(2));
        Assert.Equal("0.280", tailed[7]);
        Assert.Equal("0.243", tailed[8]);
        Assert.Equal("0.059077", tailed[9]);
        Assert.Equal("far from normal: long right tail", tailed[^1]);
        // p/even: 0.1…0.5 eight times over, symmetric and flat.
        Assert.Equal("near normal", Cells(Row(ttft, "p/even"))[^1]);
        Assert.Contains("Far from normal: p/tailed (skewness ", html, StringComparison.Ordinal);
        Assert.Equal(2, ReportContentTests.Count(html, "class=\"normal\""));
        Assert.Contains("p/tailed (n = 40) · far from normal", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Runs_of_the_same_scenarios_on_different_days_get_a_trend_and_can_be_split()
    {
        var monday = new DateTimeOffset(2025, 3, 3, 2, 0, 0, TimeSpan.Zero);
        var results = new ConstructedResults("p/a") { Judged = 20, Passed = 18, RunId = "monday", StartedAt = monday, TimeToFirstToken = [0.3] }.Generate()
            .Concat(new ConstructedResults("p/a") { Judged = 20, Passed = 10, RunId = "tuesday", StartedAt = monday.AddDays(1), TimeToFirstToken = [0.6] }.Generate())
            .ToList();

        var html = ReportContentTests.Render(results);
        Assert.Contains("<section id=\"runs\"", html, StringComparison.Ordinal);
        Assert.Contains("2 runs of the same scenarios, oldest first", html, StringComparison.Ordinal);
        Assert.Contains("-GroupBy Run ranks each model in each run on its own.", html, StringComparison.Ordinal);
        var trend = Table(html, "t-runs-trend");
        Assert.Equal(["p/a", "monday", "2025-03-03 02:00:00 UTC", "20", "0.300", "90%"], Cells(Row(trend, "monday")).Take(6));
        Assert.Equal(["p/a", "tuesday", "2025-03-04 02:00:00 UTC", "20", "0.600", "50%"], Cells(Row(trend, "tuesday")).Take(6));

        var builder = new ReportBuilder(SummaryGrouping.Run);
        builder.AddRange(results);
        var byRun = Table(builder.Render(), "t-ranking");
        Assert.Contains(">p/a · run monday<", byRun, StringComparison.Ordinal);
        Assert.Contains(">p/a · run tuesday<", byRun, StringComparison.Ordinal);

        // One run: no trend.
        Assert.DoesNotContain("<section id=\"runs\"", ReportContentTests.Render(results.Where(r => r.RunId == "monday")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_written_analysis_is_labelled_escaped_and_priced_and_a_failed_one_says_why()
    {
        var options = new ReportOptions
        {
            Analysis = new ReportAnalysis("openai/analyst", "Choose p/slow-passing.\n<script>alert('x')</script>", 0.00123, 900, 150, null, false),
        };
        var html = ReportContentTests.Render(FastFailingAndSlowPassing(), options);

        Assert.Contains("<p class=\"label\"><strong>Model-written.</strong> Written by a model, openai/analyst, from the figures in this report (no prompts or answers), for $0.00123.", html, StringComparison.Ordinal);
        Assert.Contains("Choose p/slow-passing.\n&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.Contains("openai/analyst: $0.00123 (900 input and 150 output tokens), not in the total above", html, StringComparison.Ordinal);

        var failed = ReportContentTests.Render(FastFailingAndSlowPassing(), new ReportOptions { Analysis = new ReportAnalysis("openai/analyst", null, 0, 0, 0, "auth: HTTP 401", false) });
        Assert.Contains("openai/analyst was asked to write an analysis of these figures and could not: auth: HTTP 401", failed, StringComparison.Ordinal);
    }

    [Fact]
    public void The_analysis_brief_has_the_figures_and_none_of_the_prompts_or_answers()
    {
        var results = FastFailingAndSlowPassing().Select(r =>
        {
            r.Prompt = "PROMPT-MARKER " + r.Prompt;
            r.Response = "ANSWER-MARKER " + r.Response;
            r.GoldenAnswer = "GOLDEN-MARKER";
            return r;
        });
        var builder = new ReportBuilder();
        builder.AddRange(results);
        var brief = builder.AnalysisBrief();

        Assert.Contains("1. p/slow-passing: composite 60.7; pass rate 90% (", brief, StringComparison.Ordinal);
        Assert.Contains("2. p/fast-failing: composite 65.0; pass rate 30% (", brief, StringComparison.Ordinal);
        Assert.Contains("below the quality floor", brief, StringComparison.Ordinal);
        Assert.Contains("Ranking weights: quality 50%, latency 20%, cost 15%, reliability 15%; quality floor: pass rate 50%.", brief, StringComparison.Ordinal);
        Assert.Contains("Findings:\n- Best overall: p/slow-passing", brief, StringComparison.Ordinal);
        Assert.DoesNotContain("MARKER", brief, StringComparison.Ordinal);
    }

    [Fact]
    public void Legends_toggle_their_series_and_tables_can_be_reached_from_the_keyboard()
    {
        var html = ReportContentTests.Render(new SyntheticResults { Regions = ["us-east-1", "eu-west-1"], Temperatures = [0.3, 0.7] }.Generate(600));

        Assert.Contains("<g class=\"legend\" data-series=\"0\" role=\"button\" tabindex=\"0\" aria-pressed=\"true\">", html, StringComparison.Ordinal);
        Assert.True(ReportContentTests.Count(html, "role=\"group\"") >= 5);
        Assert.Equal(ReportContentTests.Count(html, "<table id="), ReportContentTests.Count(html, "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\""));
        Assert.DoesNotContain(" onclick", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" onmouse", html, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, ReportContentTests.Count(html, "<script"));
    }

    private static string Table(string html, string id)
    {
        int start = html.IndexOf($"<table id=\"{id}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no table {id}");
        return html[start..html.IndexOf("</table>", start, StringComparison.Ordinal)];
    }

    private static string Row(string table, string label) =>
        TableRow().Matches(table).Select(m => m.Value).FirstOrDefault(r => r.Contains($">{label}<", StringComparison.Ordinal))
            ?? throw new Xunit.Sdk.XunitException($"no row for {label}");

    private static List<string> Cells(string row) => [.. CellText().Matches(row).Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value))];

    [GeneratedRegex("<tr>.*?</tr>", RegexOptions.Singleline)]
    private static partial Regex TableRow();

    [GeneratedRegex("<t[dh][^>]*>([^<]*)</t[dh]>")]
    private static partial Regex CellText();
}
