using System.Text.RegularExpressions;

namespace Eval360.Tests.Reporting;

/// <summary>Prompts, answers, model ids and error messages are data, never markup: nothing in them can run or break the page.</summary>
public sealed partial class ReportEscapingTests
{
    private const string Script = "<script>alert(1)</script>";
    private const string Attribute = "\"><img src=x onerror=alert(1)>";
    private const string Breakout = "</td></tr></table></svg></details></pre><script>document.title='owned'</script>";
    private const string Template = "{{ page.nonce }}{% raw %}";

    [Fact]
    public void Hostile_strings_from_results_are_escaped_everywhere_they_appear()
    {
        var hostile = Script + Attribute + Breakout + Template;
        var results = new SyntheticResults
        {
            Models = ["evil/" + Script, "evil/" + Attribute],
            Regions = [Script, Breakout],
            TaskTypes = [Script, Attribute],
            Temperatures = [0.2, 0.9],
            Judges = ["judge/" + Script, "judge/" + Attribute],
            UserMetrics = [Script],
            Prompt = hostile,
            Response = hostile,
            ErrorMessage = hostile,
        }.Generate(400).Select(r =>
        {
            r.ExperimentName = hostile;
            r.RunId = Script;
            r.ScenarioId = Attribute;
            if (r.ErrorCode is not null)
            {
                r.ErrorCode = Breakout;
            }

            return r;
        }).ToList();

        var html = ReportContentTests.Render(results);

        // The page's own script is the only one, and it carries the nonce the Content-Security-Policy requires.
        Assert.Equal(1, ReportContentTests.Count(html, "<script"));
        var nonce = Nonce().Match(html).Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(nonce));
        Assert.Contains($"<script nonce=\"{nonce}\">", html, StringComparison.Ordinal);
        Assert.Equal(2, ReportContentTests.Count(html, nonce));
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.DoesNotContain("document.title='owned'</script>", html, StringComparison.Ordinal);

        // The text is all there, escaped: in element content, in attributes (tooltips), in SVG labels.
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;", html, StringComparison.Ordinal);
        Assert.Contains("document.title=&#39;owned&#39;", html, StringComparison.Ordinal);
        Assert.Contains("{{ page.nonce }}", html, StringComparison.Ordinal);
        Assert.Contains("<title>Eval360 report: &lt;script&gt;", html, StringComparison.Ordinal);
        ReportContentTests.AssertBalanced(html);

        // No attribute value is cut short by a quote from the data: every attribute is name="…" without a raw quote inside.
        foreach (Match tag in Tag().Matches(html))
        {
            Assert.Matches(WellFormedTag(), tag.Value);
        }
    }

    [GeneratedRegex("script-src 'nonce-([^']+)'")]
    private static partial Regex Nonce();

    [GeneratedRegex("<(?:td|th|rect|circle|text|svg|table|section|a|details)\\b[^>]*>")]
    private static partial Regex Tag();

    [GeneratedRegex("^<[a-z]+(?:\\s+[a-zA-Z-]+=\"[^\"<>]*\")*\\s*/?>$")]
    private static partial Regex WellFormedTag();
}
