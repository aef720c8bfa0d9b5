using Eval360.Statistics;
using static Eval360.Reporting.Html;

namespace Eval360.Reporting;

/// <summary>The sections about the jury: quality of the answers, and the judges themselves.</summary>
internal sealed partial class ReportPageBuilder
{
    private ReportSection Quality()
    {
        var section = new ReportSection("quality", "Quality",
            "Scores from the jury, 1 (poor) to 5 (excellent) per dimension, averaged over the judges that gave a usable verdict and then over answers.");
        if (!HasJury)
        {
            return section.Add(ReportBlock.Empty(NoJuryReason()));
        }

        var dimensions = _data.Statistics.Dimensions;
        var judgedModels = _models.Where(m => m.Summary.Judged > 0).ToList();
        var scoreTable = NewTable("quality-dimensions", "Mean score per dimension (1–5)").Column("Model", numeric: false);
        foreach (var dimension in dimensions)
        {
            scoreTable.Column(dimension);
        }

        scoreTable.Column("Overall", tooltip: "Mean of the dimension means, and its 95% confidence interval")
            .Column("Pass rate", tooltip: "Passed / judged answers, and its 95% confidence interval")
            .Column("Judged");
        foreach (var m in judgedModels)
        {
            var cells = new List<TableCell> { m.Label };
            foreach (var dimension in dimensions)
            {
                double? score = m.Summary.MeanScores.TryGetValue(dimension, out var v) ? v : null;
                string? interval = m.Intervals.MeanScores.TryGetValue(dimension, out var ci) ? $"{m.Label} · {dimension}: 95% CI {Score(ci.Low)}–{Score(ci.High)}" : null;
                cells.Add(new TableCell(Score(score), SortKey(score), score is double sc ? HeatStyle((sc - 1) / 4) : null, interval));
            }

            var s = m.Summary;
            cells.Add(new TableCell(ScoreWithin(s.OverallScore, s.OverallScoreCiLow, s.OverallScoreCiHigh), SortKey(s.OverallScore), s.OverallScore is double o ? HeatStyle((o - 1) / 4) : null));
            cells.Add(new TableCell(PercentWithin(s.PassRate, s.PassRateCiLow, s.PassRateCiHigh), SortKey(s.PassRate), HeatStyle(s.PassRate)));
            cells.Add(Num(s.Judged, Count(s.Judged)));
            scoreTable.Row([.. cells]);
        }

        section.Add(ReportBlock.Chart("Scores per dimension",
            Charts.Grouped(ChartId(), "Mean jury score per dimension and model", "Grouped bars: for each dimension, one bar per model with its mean score on a 0 to 5 scale.",
                dimensions, judgedModels.Select(m => (m.Label, m.Color)).ToList(),
                (d, s) => judgedModels[s].Summary.MeanScores.TryGetValue(dimensions[d], out var v) ? v : null, 0, 5, v => Score(v), "score"),
            scoreTable, "Brackets hold 95% confidence intervals (a bootstrap over the judged answers); hover over a dimension's score for its interval." +
                (dimensions.Count > Jury.Dimensions.Core.Count ? " Dimensions after the six core ones are user-defined metrics." : string.Empty)));

        var tasks = _data.TaskTypes.Count > 0 ? _data.TaskTypes.ToList() : ["(none)"];
        var heat = NewTable("quality-heatmap", "Pass rate by model and task type (heat map)").Column("Model", numeric: false);
        foreach (var task in tasks)
        {
            heat.Column(task);
        }

        heat.Column("All");
        foreach (var m in judgedModels)
        {
            var cells = new List<TableCell> { m.Label };
            foreach (var task in tasks)
            {
                var g = m.Figures.ByTaskType.GetValueOrDefault(task);
                cells.Add(g is null || g.Counts.Judged == 0
                    ? new TableCell("—")
                    : new TableCell($"{Percent(g.Counts.PassRate)} ({g.Counts.Passed}/{g.Counts.Judged})", SortKey(g.Counts.PassRate), HeatStyle(g.Counts.PassRate), $"{m.Label} · {task}: mean score {Score(g.Counts.MeanScore)}"));
            }

            cells.Add(new TableCell($"{Percent(m.Summary.PassRate)} ({m.Summary.Passed}/{m.Summary.Judged})", SortKey(m.Summary.PassRate), HeatStyle(m.Summary.PassRate)));
            heat.Row([.. cells]);
        }

        section.Add(ReportBlock.Tabular(heat, "Cells are coloured from red (0%) to green (100%); each shows passed / judged answers."));

        var groups = _ranking.QualityGroups();
        var groupTable = NewTable("quality-groups", "Models grouped by pass rate: within a group the differences are not significant")
            .Column("Group").Column("Model", numeric: false).Column("Pass rate").Column("Judged").Column("Difference from the group's best", tooltip: "Pass-rate difference and its 95% interval (the bootstrap of the intervals, answer by answer where both models answered the same scenarios)");
        for (int g = 0; g < groups.Count; g++)
        {
            foreach (var m in groups[g])
            {
                var s = m.Summary;
                var difference = m == groups[g][0] ? null : Draws.Difference(groups[g][0].PassRateDraws, m.PassRateDraws);
                groupTable.Row(Num(g + 1, Count(g + 1)), m.Label, new TableCell(PercentWithin(s.PassRate, s.PassRateCiLow, s.PassRateCiHigh), SortKey(s.PassRate), HeatStyle(s.PassRate)),
                    Num(s.Judged, Count(s.Judged)),
                    difference is Interval d ? $"{Points(groups[g][0].Summary.PassRate - s.PassRate)} ({Points(d.Low)} to {Points(d.High)})" : "—");
            }
        }

        section.Add(ReportBlock.Tabular(groupTable, groups.Count == judgedModels.Count
            ? "Every model's pass rate differs significantly from the next one's."
            : "Models in one group cannot be told apart on pass rate by these data; more judged answers may separate them."));

        var points = judgedModels.Where(m => m.Summary.PassRate is not null && m.Summary.ModelCostPerResponse is not null)
            .Select(m => new BubblePoint(m.Label, m.Color, m.Summary.ModelCostPerResponse!.Value, m.Summary.PassRate!.Value, m.Summary.TimeToFirstTokenP50 ?? 0,
                $"{m.Label}: {Usd(m.Summary.ModelCostPerResponse)} per response, pass rate {Percent(m.Summary.PassRate)}, median TTFT {Seconds(m.Summary.TimeToFirstTokenP50)} s" +
                (m.Summary.ParetoOptimal ? " · on the Pareto frontier" : " · dominated by " + string.Join(", ", m.Summary.DominatedBy)), m.Summary.ParetoOptimal))
            .ToList();
        if (points.Count > 0)
        {
            var bubbleTable = NewTable("quality-bubbles", "Cost, quality and latency per model")
                .Column("Model", numeric: false).Column("Cost / response").Column("Pass rate").Column("Mean score").Column("TTFT p50 (s)").Column("Pareto frontier", numeric: false);
            foreach (var m in judgedModels)
            {
                bubbleTable.Row(m.Label, Num(m.Summary.ModelCostPerResponse, Usd(m.Summary.ModelCostPerResponse)), Pct(m.Summary.PassRate),
                    Num(m.Summary.OverallScore, Score(m.Summary.OverallScore)), Sec(m.Summary.TimeToFirstTokenP50),
                    m.Summary.ParetoOptimal ? "on the frontier" : "dominated by " + string.Join(", ", m.Summary.DominatedBy));
            }

            section.Add(ReportBlock.Chart("Cost against quality, with the Pareto frontier",
                Charts.Bubbles(ChartId(), "Cost per response against pass rate", "Each bubble is a model: further right costs more per response, higher passes more answers, and a larger bubble takes longer to the first token. Models on the Pareto frontier have a thick outline.",
                    points, "model cost per successful response (USD)", v => Usd(v), "pass rate", 0, 1, v => Percent(v), "median time to first token"),
                bubbleTable, "Up and to the left is better, and small bubbles answer sooner. Outlined bubbles are on the Pareto frontier of quality, median time to first token and cost: each is the best choice for some trade-off; any other model is beaten on all three by one of them."));
        }

        var samples = _models.SelectMany(m => m.Figures.LowestScored.Samples.Select(s => new SampleView(
                m.Label,
                $"{m.Label} · {s.TaskType} · scenario {s.ScenarioId} · score {Score(s.Score)} · {(s.Passed ? "passed" : "failed")}",
                s.Prompt, s.Response, s.Explanations)))
            .ToList();
        if (samples.Count > 0)
        {
            section.Add(new ReportBlock { Kind = "samples", Title = "Lowest-scored answers (up to three per model)", Samples = samples });
        }

        return section;
    }
}
