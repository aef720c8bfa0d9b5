using System.Text.RegularExpressions;
using Eval360.Reporting;
using Eval360.Statistics;

namespace Eval360.Tests.Reporting;

public sealed partial class ReportContentTests
{
    private static readonly string[] Sections = ["verdict", "ranking", "latency", "throughput", "cost", "quality", "jury", "reliability", "regions", "temperature", "method"];

    [Fact]
    public void A_judged_run_has_every_section_with_charts_and_the_tables_behind_them()
    {
        var data = new SyntheticResults { Regions = ["us-east-1", "eu-west-1"], Temperatures = [0.3, 0.7], UserMetrics = ["brand voice"] };
        var html = Render(data.Generate(3000));

        foreach (var id in Sections)
        {
            Assert.Contains($"<section id=\"{id}\"", html, StringComparison.Ordinal);
            Assert.Contains($"<a href=\"#{id}\">", html, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("class=\"empty\"", html, StringComparison.Ordinal);
        Assert.Contains("How the composite score works", html, StringComparison.Ordinal);
        Assert.Contains("brand voice", html, StringComparison.Ordinal);
        Assert.Contains("Following-instructions", html, StringComparison.Ordinal);
        Assert.Contains("Pass rate by model and task type", html, StringComparison.Ordinal);
        Assert.Contains("Cost per response against pass rate", html, StringComparison.Ordinal);
        Assert.Contains("Median time to first token per region and model", html, StringComparison.Ordinal);
        Assert.Contains("Mean score per temperature and model", html, StringComparison.Ordinal);
        Assert.Contains("openai/judge-a", html, StringComparison.Ordinal);
        Assert.Contains("judge_unparseable × ", html, StringComparison.Ordinal);
        Assert.Contains("Target and actual requests per minute", html, StringComparison.Ordinal);
        Assert.DoesNotContain("SIMULATED", html, StringComparison.Ordinal);

        // Every chart is an image with a title and a description, and is followed by the table of its data.
        int charts = Count(html, "<svg ");
        Assert.True(charts >= 15, $"only {charts} charts");
        // An image, or a group when its legend entries are buttons.
        Assert.Equal(charts, Count(html, "role=\"img\"") + Count(html, "role=\"group\""));
        Assert.Equal(charts, Count(html, "Data behind this chart"));
        Assert.Equal(charts, AriaLabelled().Matches(html).Count);
        AssertBalanced(html);
    }

    [Fact]
    public void The_jury_section_shows_each_judge_s_gap_on_its_own_family_only_when_a_family_meets_itself()
    {
        static InvocationResult Answer(string model, int invocation, double claude, double gpt)
        {
            string[] metrics = ["Correctness"];
            var verdicts = new[]
            {
                new JudgeVerdict { JudgeModelId = "anthropic/claude-judge", Scores = new Dictionary<string, double> { ["Correctness"] = claude }, Passed = claude >= 3 },
                new JudgeVerdict { JudgeModelId = "openai/gpt-judge", Scores = new Dictionary<string, double> { ["Correctness"] = gpt }, Passed = gpt >= 3 },
            };
            var result = new InvocationResult { RunId = "r", ModelId = model, ScenarioId = "s", Invocation = invocation, TimeToFirstToken = 0.1, TimeToLastByte = 0.2, Key = $"{model}{invocation}" };
            new Eval360.Jury.JuryOutcome(verdicts, Eval360.Jury.JuryVerdict.Combine(verdicts, metrics, 3, JuryAggregation.Mean)).WriteTo(result);
            return result;
        }

        // Claude judge: 5 and 4 on Claude (4.5), 2 on GPT: +2.50; the GPT judge saw 3 and 3 against 4: -1.00; so +3.50.
        var html = Render([Answer("anthropic/claude-haiku", 1, 5, 3), Answer("anthropic/claude-haiku", 2, 4, 3), Answer("openai/gpt-4o", 1, 2, 4)]);
        var table = Table(html, "t-jury-family");
        var claude = Row(table, "anthropic/claude-judge");
        Assert.Contains(">Anthropic Claude<", claude, StringComparison.Ordinal);
        Assert.Contains(">4.50 (2)<", claude, StringComparison.Ordinal);
        Assert.Contains(">2.00 (1)<", claude, StringComparison.Ordinal);
        Assert.Contains(">+2.50<", claude, StringComparison.Ordinal);
        Assert.Contains(">-1.00<", claude, StringComparison.Ordinal);
        Assert.Contains(">+3.50<", claude, StringComparison.Ordinal);
        Assert.Contains(">+1.00<", Row(table, "openai/gpt-judge"), StringComparison.Ordinal);

        Assert.DoesNotContain("t-jury-family", Render([Answer("sim/a", 1, 5, 3)]), StringComparison.Ordinal);
    }

    [Fact]
    public void The_ranking_shows_the_same_figures_as_the_summary()
    {
        var results = new SyntheticResults { Regions = ["us-east-1"] }.Generate(2000).ToList();
        var html = Render(results);
        var ranking = Table(html, "t-ranking");

        foreach (var s in ResultStatistics.Of(results))
        {
            var row = Row(ranking, s.ModelId);
            Assert.Contains($">{Html.Seconds(s.TimeToFirstTokenP50)}<", row, StringComparison.Ordinal);
            Assert.Contains($">{Html.Seconds(s.TimeToFirstTokenP95)}<", row, StringComparison.Ordinal);
            Assert.Contains($">{Html.Seconds(s.TimeToFirstTokenP99)}<", row, StringComparison.Ordinal);
            Assert.Contains($">{Html.Seconds(s.TimeToLastByteP50)}<", row, StringComparison.Ordinal);
            Assert.Contains($">{Html.Seconds(s.TimeToLastByteP95)}<", row, StringComparison.Ordinal);
            // The pass rate and the mean score with their intervals, as summary.json has them.
            Assert.NotNull(s.PassRateCiLow);
            Assert.NotNull(s.OverallScoreCiHigh);
            Assert.Contains($">{Html.Percent(s.PassRate)} ({(s.PassRateCiLow!.Value * 100).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)}–{Html.Percent(s.PassRateCiHigh)})<", row, StringComparison.Ordinal);
            Assert.Contains($">{Html.Score(s.OverallScore)} ({Html.Score(s.OverallScoreCiLow)}–{Html.Score(s.OverallScoreCiHigh)})<", row, StringComparison.Ordinal);
            Assert.Contains($">{Html.Percent(s.SuccessRate)}<", row, StringComparison.Ordinal);
            Assert.Contains($">{Html.Usd(s.Cost / s.Succeeded)}<", row, StringComparison.Ordinal);
            Assert.Contains($">{Html.Number(s.OutputTokensPerSecond)}<", row, StringComparison.Ordinal);
            // The exact value sorts the column, not the rounded text.
            Assert.Contains($"data-sort=\"{Html.SortKey(s.TimeToFirstTokenP50)}\"", row, StringComparison.Ordinal);
        }

        var total = results.Sum(r => r.Cost + r.JuryCost);
        Assert.Contains($"Total spend: {Html.Usd(total)}", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Models_are_ranked_by_composite_score_and_the_best_on_every_count_comes_first()
    {
        // The synthetic models get slower and dearer but better in that order; give the last one everything.
        var results = new SyntheticResults { Models = ["p/a", "p/b", "p/c"], FailEvery = 0 }.Generate(900).Select(r =>
        {
            if (r.ModelId == "p/c")
            {
                r.TimeToFirstToken /= 10;
                r.Cost /= 10;
            }

            return r;
        }).ToList();
        var ranking = Table(Render(results), "t-ranking");
        int a = ranking.IndexOf("p/a", StringComparison.Ordinal), c = ranking.IndexOf("p/c", StringComparison.Ordinal);
        Assert.True(c < a, "the fastest, cheapest and best model should rank first");
    }

    [Fact]
    public void A_latency_only_run_says_there_was_no_jury_instead_of_drawing_empty_charts()
    {
        var html = Render(new SyntheticResults { LatencyOnly = true }.Generate(600));

        Assert.Equal(2, Count(html, "No jury in this run: it ran in latency-only mode"));
        Assert.DoesNotContain("Mean jury score per dimension", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Pass rate by model and task type", html, StringComparison.Ordinal);
        Assert.Contains("none (latency-only run)", html, StringComparison.Ordinal);
        Assert.Contains("Time to first token per model", html, StringComparison.Ordinal);
        Assert.Contains("Quality: not part of this ranking", html, StringComparison.Ordinal);
        Assert.Contains("Latency (weight 40%)", html, StringComparison.Ordinal);
        // Without a jury the outcome chart is succeeded/failed only.
        Assert.DoesNotContain(">Not judged<", html, StringComparison.Ordinal);
        AssertBalanced(html);
    }

    [Fact]
    public void A_run_where_everything_failed_still_reports_its_errors()
    {
        var html = Render(new SyntheticResults { AllFail = true, Simulated = true, ErrorMessage = "HTTP 503: <b>overloaded</b>" }.Generate(300));

        Assert.Contains("No invocation succeeded, so there is no latency to show.", html, StringComparison.Ordinal);
        Assert.Contains("No jury verdicts: no invocation succeeded", html, StringComparison.Ordinal);
        Assert.Contains("Failed invocations by error code per model", html, StringComparison.Ordinal);
        Assert.Contains(">throttled<", html, StringComparison.Ordinal);
        Assert.Contains("HTTP 503: &lt;b&gt;overloaded&lt;/b&gt;", html, StringComparison.Ordinal);
        Assert.Contains("SIMULATED: every result in this report", html, StringComparison.Ordinal);
        Assert.Contains(">0%<", Table(html, "t-ranking"), StringComparison.Ordinal);
        AssertBalanced(html);
    }

    [Fact]
    public void Results_over_several_hours_show_latency_by_region_and_hour_of_day()
    {
        var oneHour = Render(new SyntheticResults().Generate(600));
        Assert.DoesNotContain("by region and hour of day", oneHour, StringComparison.Ordinal);

        var html = Render(new SyntheticResults { Regions = ["us-east-1", "eu-west-1"] }.Generate(600).Select(r =>
        {
            r.StartedAt = r.StartedAt.AddHours(r.Invocation % 3);
            return r;
        }));
        var table = Table(html, "t-regions-hours");
        Assert.Contains(">12:00<", table, StringComparison.Ordinal);
        Assert.Contains(">14:00<", table, StringComparison.Ordinal);
        Assert.Contains(">eu-west-1<", table, StringComparison.Ordinal);
    }

    [Fact]
    public void Partly_simulated_results_get_a_banner_that_says_how_many()
    {
        var real = new SyntheticResults().Generate(30);
        var simulated = new SyntheticResults { Models = ["sim/swift-mini"], Simulated = true }.Generate(10);
        var html = Render(real.Concat(simulated));
        Assert.Contains("PARTLY SIMULATED: 10 of 40 results", html, StringComparison.Ordinal);
        Assert.Contains(">simulated<", Table(html, "t-ranking"), StringComparison.Ordinal);
    }

    [Fact]
    public void No_results_make_a_page_that_says_so()
    {
        var html = new ReportBuilder().Render();
        Assert.Contains("There are no results to report.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<section", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_page_is_self_contained()
    {
        var html = Render(new SyntheticResults().Generate(300));
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<link", html, StringComparison.Ordinal);
        Assert.DoesNotContain(" src=", html, StringComparison.Ordinal);
        Assert.DoesNotContain("@import", html, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_title_and_notes_come_from_the_options()
    {
        var html = Render(new SyntheticResults().Generate(30), new ReportOptions { Title = "Nightly <run>", Notes = ["3 lines skipped"], Sources = ["/tmp/x"] });
        Assert.Contains("<title>Nightly &lt;run&gt;</title>", html, StringComparison.Ordinal);
        Assert.Contains("<p class=\"note\">3 lines skipped</p>", html, StringComparison.Ordinal);
        Assert.Contains("/tmp/x", html, StringComparison.Ordinal);
    }

    internal static string Render(IEnumerable<InvocationResult> results, ReportOptions? options = null)
    {
        var builder = new ReportBuilder();
        builder.AddRange(results);
        return builder.Render(options);
    }

    internal static int Count(string text, string value)
    {
        int count = 0;
        for (int at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    /// <summary>Every element the page opens is closed, as often as it is opened.</summary>
    internal static void AssertBalanced(string html)
    {
        foreach (var element in new[] { "section", "table", "thead", "tbody", "tr", "svg", "details", "figure", "ul", "pre", "script", "style", "title", "text", "button", "dl", "nav", "main", "header" })
        {
            Assert.True(Count(html, $"<{element}>") + Count(html, $"<{element} ") == Count(html, $"</{element}>"), $"<{element}> is not balanced");
        }
    }

    private static string Table(string html, string id)
    {
        int start = html.IndexOf($"<table id=\"{id}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no table {id}");
        return html[start..html.IndexOf("</table>", start, StringComparison.Ordinal)];
    }

    private static string Row(string table, string label)
    {
        foreach (Match row in TableRow().Matches(table))
        {
            if (row.Value.Contains($">{label}<", StringComparison.Ordinal))
            {
                return row.Value;
            }
        }

        throw new Xunit.Sdk.XunitException($"no row for {label}");
    }

    [GeneratedRegex("<tr>.*?</tr>", RegexOptions.Singleline)]
    private static partial Regex TableRow();

    [GeneratedRegex("<svg [^>]*aria-labelledby=\"(chart\\d+)-t \\1-d\"[^>]*><title id=\"\\1-t\">[^<]+</title><desc id=\"\\1-d\">[^<]+</desc>")]
    private static partial Regex AriaLabelled();
}
