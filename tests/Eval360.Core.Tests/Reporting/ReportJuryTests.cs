using Eval360.Tests.Statistics;

namespace Eval360.Tests.Reporting;

/// <summary>The report's "Jury" section shows the agreement table and each judge's leniency, with their intervals.</summary>
public sealed class ReportJuryTests
{
    [Fact]
    public void The_jury_section_shows_alpha_kappa_and_leniency_worked_by_hand()
    {
        // The lenient-judge jury of JuryMeasuresTests: interval α = 87/131 = 0.66, nominal α = 7/51 = 0.14; j3 is one
        // point more lenient than the others on every answer, j1 half a point harsher; constant offsets, so the
        // interval is the point itself.
        var results = new[] { 2, 3, 4, 2 }.Select((s, i) => JuryResults.Answer("m", i, s, s, s + 1)).ToList();
        var html = ReportContentTests.Render(results);
        var agreement = Table(html, "t-jury-agreement");
        var correctness = Row(agreement, "Correctness");
        Assert.Contains("<td", correctness, StringComparison.Ordinal);
        Assert.Contains(">0.66 (", correctness, StringComparison.Ordinal);
        Assert.Contains(">0.14 (", correctness, StringComparison.Ordinal);
        Assert.Contains(">unreliable<", correctness, StringComparison.Ordinal);
        Assert.Contains(">Passed<", agreement, StringComparison.Ordinal);

        var leniency = Table(html, "t-jury-leniency");
        Assert.Contains(">+1.00 (+1.00 to +1.00)<", Row(leniency, "j3"), StringComparison.Ordinal);
        Assert.Contains(">−0.50 (−0.50 to −0.50)<", Row(leniency, "j1"), StringComparison.Ordinal);
        Assert.Contains("Krippendorff&#39;s α: 1 is perfect agreement", html, StringComparison.Ordinal);
        ReportContentTests.AssertBalanced(html);
    }

    [Fact]
    public void A_latency_only_run_has_no_agreement_table()
    {
        var results = Enumerable.Range(0, 3).Select(i => new InvocationResult { RunId = "r", ModelId = "m", EvalType = EvalTypes.LatencyOnly, TimeToFirstToken = 0.1 }).ToList();
        var html = ReportContentTests.Render(results);
        Assert.DoesNotContain("t-jury-agreement", html, StringComparison.Ordinal);
    }

    private static string Table(string html, string id)
    {
        int start = html.IndexOf($"<table id=\"{id}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no table {id}");
        return html[start..html.IndexOf("</table>", start, StringComparison.Ordinal)];
    }

    private static string Row(string table, string label)
    {
        int at = table.IndexOf($">{label}<", StringComparison.Ordinal);
        Assert.True(at >= 0, $"no row for {label}");
        int start = table.LastIndexOf("<tr", at, StringComparison.Ordinal);
        return table[start..table.IndexOf("</tr>", at, StringComparison.Ordinal)];
    }
}
