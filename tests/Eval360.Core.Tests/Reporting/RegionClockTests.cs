using System.Text.RegularExpressions;
using Eval360.Reporting;
using Eval360.Tests.Statistics;

namespace Eval360.Tests.Reporting;

/// <summary>
/// Hours of the day in each region's own time. 23:30 UTC is, by hand:
/// in us-west-2 (America/Los_Angeles) 16:30 on a summer day (PDT, UTC−7) and 15:30 on a winter day (PST, UTC−8);
/// in ap-northeast-1 (Asia/Tokyo, UTC+9 all year) 08:30 the next morning.
/// </summary>
public sealed partial class RegionClockTests
{
    private static readonly DateTimeOffset Summer = new(2025, 7, 15, 23, 30, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Winter = new(2025, 1, 15, 23, 30, 0, TimeSpan.Zero);

    [Fact]
    public void Half_past_eleven_utc_falls_in_the_right_local_hours_summer_and_winter()
    {
        Assert.Equal(16, RegionClock.LocalTime("us-west-2", Summer).Hour);
        Assert.Equal(15, RegionClock.LocalTime("us-west-2", Winter).Hour);
        Assert.Equal(new DateTime(2025, 7, 16, 8, 30, 0), RegionClock.LocalTime("ap-northeast-1", Summer).DateTime);
        Assert.Equal(new DateTime(2025, 1, 16, 8, 30, 0), RegionClock.LocalTime("ap-northeast-1", Winter).DateTime);
        // Sydney's summer is January: AEDT, UTC+11 → 10:30 the next day; in July AEST, UTC+10 → 09:30.
        Assert.Equal(10, RegionClock.LocalTime("ap-southeast-2", Winter).Hour);
        Assert.Equal(9, RegionClock.LocalTime("ap-southeast-2", Summer).Hour);
        // Azure and Google Cloud names of the same places.
        Assert.Equal(16, RegionClock.LocalTime("westus2", Summer).Hour);
        Assert.Equal(8, RegionClock.LocalTime("asia-northeast1", Summer).Hour);
    }

    [Fact]
    public void An_unknown_region_stays_on_utc_and_says_so()
    {
        Assert.False(RegionClock.IsKnown("moon-base-1"));
        Assert.False(RegionClock.IsKnown(null));
        Assert.True(RegionClock.IsKnown("us-west-2"));
        Assert.Equal(23, RegionClock.LocalTime("moon-base-1", Summer).Hour);
        Assert.Equal(TimeSpan.Zero, RegionClock.LocalTime("moon-base-1", Summer).Offset);
    }

    [Fact]
    public void The_report_puts_each_result_in_its_regions_local_hour()
    {
        var results = new[]
        {
            new ConstructedResults("p/a") { Region = "us-west-2", Unjudged = 1, StartedAt = Summer, TimeToFirstToken = [0.4] },
            new ConstructedResults("p/a") { Region = "us-west-2", Unjudged = 1, StartedAt = Winter, TimeToFirstToken = [0.8], RunId = "run2" },
            new ConstructedResults("p/a") { Region = "ap-northeast-1", Unjudged = 1, StartedAt = Summer, TimeToFirstToken = [0.2] },
            new ConstructedResults("p/a") { Region = "ap-northeast-1", Unjudged = 1, StartedAt = Winter, TimeToFirstToken = [0.3], RunId = "run2" },
            new ConstructedResults("p/a") { Region = "moon-base-1", Unjudged = 1, StartedAt = Summer, TimeToFirstToken = [0.9] },
        }.SelectMany(r => r.Generate()).ToList();
        var html = ReportContentTests.Render(results);
        int start = html.IndexOf("<table id=\"t-regions-hours\"", StringComparison.Ordinal);
        var table = html[start..html.IndexOf("</table>", start, StringComparison.Ordinal)];

        Assert.Equal(["Region", "Time zone", "08:00", "15:00", "16:00", "23:00"], Headers().Matches(table).Select(m => m.Groups[1].Value));
        Assert.Equal(["ap-northeast-1", "Asia/Tokyo", "0.250", "—", "—", "—"], Cells(table, "ap-northeast-1"));
        Assert.Equal(["us-west-2", "America/Los_Angeles", "—", "0.800", "0.400", "—"], Cells(table, "us-west-2"));
        Assert.Equal(["moon-base-1", "UTC (zone unknown)", "—", "—", "—", "0.900"], Cells(table, "moon-base-1"));
        Assert.Contains("Eval360 does not know the time zone of moon-base-1: their hours are UTC.", html, StringComparison.Ordinal);
    }

    private static List<string> Cells(string table, string region)
    {
        var row = Rows().Matches(table).Select(m => m.Value).Single(r => r.Contains($">{region}<", StringComparison.Ordinal));
        return [.. CellText().Matches(row).Select(m => m.Groups[1].Value)];
    }

    [GeneratedRegex("<th scope=\"col\"[^>]*><button type=\"button\">([^<]*)</button>")]
    private static partial Regex Headers();

    [GeneratedRegex("<tr>.*?</tr>", RegexOptions.Singleline)]
    private static partial Regex Rows();

    [GeneratedRegex("<t[dh][^>]*>([^<]*)</t[dh]>")]
    private static partial Regex CellText();
}
