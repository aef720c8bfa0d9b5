using Eval360.Statistics;
using static Eval360.Reporting.Html;

namespace Eval360.Reporting;

/// <summary>The section across runs: how each model did run after run, when runs of the same scenarios span time.</summary>
internal sealed partial class ReportPageBuilder
{
    /// <summary>The trend section; null unless two or more runs that share scenarios started at different times.</summary>
    private ReportSection? Trend()
    {
        var runs = _data.Runs.Where(r => r.Value.FirstStarted is not null)
            .Where(r => _data.Runs.Any(o => o.Key != r.Key && o.Value.Scenarios.Overlaps(r.Value.Scenarios)))
            .OrderBy(r => r.Value.FirstStarted)
            .ThenBy(r => r.Key, StringComparer.Ordinal)
            .ToList();
        if (runs.Count < 2 || runs[0].Value.FirstStarted == runs[^1].Value.FirstStarted)
        {
            return null;
        }

        var grouping = _data.Statistics.Grouping == SummaryGrouping.Model
            ? " The ranking above merges the runs; -GroupBy Run ranks each model in each run on its own."
            : string.Empty;
        var section = new ReportSection("runs", "Across runs",
            $"{runs.Count} runs of the same scenarios, oldest first: each model's median time to first token, pass rate and cost per response, run by run.{grouping}");
        var keys = runs.SelectMany(r => r.Value.Models.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        bool regions = keys.Select(k => k[(k.IndexOf('|', StringComparison.Ordinal) + 1)..]).Distinct(StringComparer.Ordinal).Count() > 1;
        string Label(string key)
        {
            int bar = key.IndexOf('|', StringComparison.Ordinal);
            return regions && bar < key.Length - 1 ? $"{key[..bar]} · {key[(bar + 1)..]}" : key[..bar];
        }

        int Color(string key, int index)
        {
            int bar = key.IndexOf('|', StringComparison.Ordinal);
            var row = _models.FirstOrDefault(m => m.Summary.ModelId == key[..bar] && (m.Summary.Region ?? string.Empty) == key[(bar + 1)..]);
            return row?.Color ?? index;
        }

        // Short axis labels (the day, or the day and time when two runs share a day); the tooltips and the tables say which run.
        var starts = runs.Select(r => r.Value.FirstStarted!.Value.UtcDateTime).ToList();
        var format = starts.Select(d => d.Date).Distinct().Count() == starts.Count ? "MM-dd" : "MM-dd HH:mm";
        var xs = starts.Select(d => d.ToString(format, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var names = runs.Select(r => $"{r.Value.FirstStarted!.Value.UtcDateTime:yyyy-MM-dd HH:mm} · {r.Key}").ToList();
        IReadOnlyList<double?> Across(string key, Func<GroupFigures, double?> pick) =>
            runs.Select(r => r.Value.Models.TryGetValue(key, out var g) ? pick(g) : null).ToList();
        List<LineSeries> Series(Func<GroupFigures, double?> pick) => keys.Select((k, i) => new LineSeries(Label(k), Color(k, i), Across(k, pick))).ToList();

        var table = NewTable("runs-trend", "Per model and run")
            .Column("Model", numeric: false).Column("Run", numeric: false).Column("Started (UTC)", numeric: false).Column("Invocations").Column("TTFT p50 (s)")
            .Column("Pass rate").Column("Cost / response").Column("Success rate");
        foreach (var key in keys)
        {
            foreach (var (run, figures) in runs)
            {
                if (figures.Models.TryGetValue(key, out var g))
                {
                    table.Row(Label(key), run, Date(figures.FirstStarted), Num(g.Counts.Invocations, Count(g.Counts.Invocations)), Sec(g.Latency.TimeToFirstToken.Quantile(0.5)),
                        Pct(g.Counts.PassRate), Num(g.Counts.ModelCostPerResponse, Usd(g.Counts.ModelCostPerResponse)), Pct(g.Counts.SuccessRate, heat: true));
                }
            }
        }

        const string Approximate = "Medians per run are read from the distributions (within about 1%). A change between two runs is not necessarily a regression: Compare-Eval360Run tests one against a baseline.";
        section.Add(ReportBlock.Chart("Median time to first token, run by run",
            Charts.Lines(ChartId(), "Median time to first token per run and model", "Lines: each model's median time to first token in seconds in each run, oldest run first.",
                xs, Series(g => g.Latency.TimeToFirstToken.Quantile(0.5)), "run (start, UTC; the table names each run)", "seconds", v => Seconds(v)),
            table, Approximate));
        if (HasJury)
        {
            var passTable = NewTable("runs-pass", "Pass rate per model and run").Column("Model", numeric: false);
            foreach (var name in names)
            {
                passTable.Column(name);
            }

            foreach (var key in keys)
            {
                passTable.Row([Label(key), .. Across(key, g => g.Counts.PassRate).Select(v => Pct(v))]);
            }

            section.Add(ReportBlock.Chart("Pass rate, run by run",
                Charts.Lines(ChartId(), "Pass rate per run and model", "Lines: each model's pass rate in each run, oldest run first.",
                    xs, Series(g => g.Counts.PassRate), "run (start, UTC; the table names each run)", "pass rate", v => Percent(v), 0, 1),
                passTable));
        }

        var costTable = NewTable("runs-cost", "Model cost per successful response per model and run (USD)").Column("Model", numeric: false);
        foreach (var name in names)
        {
            costTable.Column(name);
        }

        foreach (var key in keys)
        {
            costTable.Row([Label(key), .. Across(key, g => g.Counts.ModelCostPerResponse).Select(v => Num(v, Usd(v)))]);
        }

        return section.Add(ReportBlock.Chart("Cost per response, run by run",
            Charts.Lines(ChartId(), "Model cost per successful response per run and model", "Lines: each model's own cost per successful response in USD in each run, oldest run first.",
                xs, Series(g => g.Counts.ModelCostPerResponse), "run (start, UTC; the table names each run)", "USD", v => Usd(v)),
            costTable));
    }
}
