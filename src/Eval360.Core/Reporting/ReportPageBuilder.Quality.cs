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

        var points = judgedModels.Where(m => m.Summary.OverallScore is not null && CompositeScore.ModelCostPerResponse(m.Summary) is not null)
            .Select(m => new BubblePoint(m.Label, m.Color, CompositeScore.ModelCostPerResponse(m.Summary)!.Value, m.Summary.OverallScore!.Value, m.Summary.TimeToFirstTokenP50 ?? 0,
                $"{m.Label}: {Usd(CompositeScore.ModelCostPerResponse(m.Summary))} per response, score {Score(m.Summary.OverallScore)}, median TTFT {Seconds(m.Summary.TimeToFirstTokenP50)} s"))
            .ToList();
        if (points.Count > 0)
        {
            var bubbleTable = NewTable("quality-bubbles", "Cost, quality and latency per model")
                .Column("Model", numeric: false).Column("Cost / response").Column("Mean score").Column("TTFT p50 (s)").Column("Pass rate");
            foreach (var m in judgedModels)
            {
                bubbleTable.Row(m.Label, Num(CompositeScore.ModelCostPerResponse(m.Summary), Usd(CompositeScore.ModelCostPerResponse(m.Summary))),
                    Num(m.Summary.OverallScore, Score(m.Summary.OverallScore)), Sec(m.Summary.TimeToFirstTokenP50), Pct(m.Summary.PassRate));
            }

            section.Add(ReportBlock.Chart("Cost against quality",
                Charts.Bubbles(ChartId(), "Cost per response against mean score", "Each bubble is a model: further right costs more per response, higher scores better, and a larger bubble takes longer to the first token.",
                    points, "model cost per successful response (USD)", v => Usd(v), "mean score", 1, 5, "median time to first token"),
                bubbleTable, "Up and to the left is better; small bubbles answer sooner."));
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

    private ReportSection JuryAgreement()
    {
        var section = new ReportSection("jury", "Jury",
            "What each judge gave: its verdicts, how many were usable, the pass rate and mean score it gave, and how often its own pass/fail matched the jury's decision.");
        if (_data.Statistics.Judges.Count == 0)
        {
            return section.Add(ReportBlock.Empty(NoJuryReason()));
        }

        var judges = _data.Statistics.Judges.Values.OrderBy(j => j.JudgeModelId, StringComparer.Ordinal).ToList();
        var table = NewTable("jury-judges", "Per judge")
            .Column("Judge", numeric: false).Column("Verdicts").Column("Usable").Column("Failed")
            .Column("Failures by code", numeric: false).Column("Pass rate given").Column("Mean score given")
            .Column("Agrees with jury", tooltip: "Share of its usable verdicts whose pass/fail matched the jury's decision")
            .Column("Mean latency (s)").Column("Retries").Column("Cost");
        foreach (var j in judges)
        {
            table.Row(j.JudgeModelId, Num(j.Verdicts, Count(j.Verdicts)), Num(j.Usable, Count(j.Usable)), Num(j.Failed, Count(j.Failed)),
                string.Join(", ", j.Failures.OrderByDescending(f => f.Value).Select(f => $"{f.Key} × {f.Value}")),
                Pct(j.PassRate), Num(j.MeanScore, Score(j.MeanScore)), Pct(j.Agreement, heat: true), Sec(j.MeanLatency), Num(j.Retries, Count(j.Retries)), Num(j.Cost, Usd(j.Cost)));
        }

        var bars = judges.Select((j, i) => new BarRow(j.JudgeModelId, i, j.MeanScore, Score(j.MeanScore))).ToList();
        section.Add(ReportBlock.Chart("Mean score given by each judge",
            Charts.Bars(ChartId(), "Mean score given per judge", "Bars show the mean score, 1 to 5, each judge gave across all dimensions and answers; a judge far from the others is harsher or more lenient.", bars, "score"),
            table));
        var agreement = _data.Statistics.Agreement();
        section.Add(ReportBlock.Paragraph(agreement.Items == 0
            ? "No answer had two or more usable verdicts, so there is no agreement to measure."
            : $"{Count(agreement.Items)} answers had two or more usable verdicts. The judges agreed unanimously on pass or fail for {Percent(agreement.UnanimousShare)} of them; " +
              $"the mean gap between the most and the least generous judge's mean score was {Score(agreement.MeanSpread)} points."));
        AddFamilyBias(section);
        return section;
    }

    /// <summary>The self-preference check: each judge's scores on its own model family's answers against other families'.</summary>
    private void AddFamilyBias(ReportSection section)
    {
        var bias = _data.Statistics.FamilyBias();
        if (bias.Count == 0)
        {
            return;
        }

        var table = NewTable("jury-family", "Judges scoring their own model family")
            .Column("Judge", numeric: false).Column("Family", numeric: false)
            .Column("Own family", tooltip: "Mean score it gave answers of its own family's models (answers)")
            .Column("Other families", tooltip: "Mean score it gave answers of other families' models (answers)")
            .Column("Delta", tooltip: "Own family minus other families")
            .Column("Other judges' delta", tooltip: "The same difference as judges of other families scored the same answers")
            .Column("Self-preference", tooltip: "Delta minus the other judges' delta: the part of the gap only this judge sees");
        foreach (var b in bias)
        {
            table.Row(b.JudgeModelId, b.Family,
                Num(b.OwnFamilyMean, $"{Score(b.OwnFamilyMean)} ({Count(b.OwnFamilyAnswers)})"),
                Num(b.OtherFamilyMean, $"{Score(b.OtherFamilyMean)} ({Count(b.OtherFamilyAnswers)})"),
                Num(b.Delta, Signed(b.Delta)), Num(b.OtherJudgesDelta, Signed(b.OtherJudgesDelta)), Num(b.SelfPreference, Signed(b.SelfPreference)));
        }

        section.Add(ReportBlock.Tabular(table,
            "Judges tend to favour answers from their own model family. A positive self-preference is a gap this judge sees and judges of other families do not; " +
            "add judges of other families when it is large. Scores are each answer's mean over the metrics, 1 to 5; answers of models of unknown family are left out."));
    }

    private static string Signed(double? value) => value is double v ? v.ToString("+0.00;-0.00;0.00", System.Globalization.CultureInfo.InvariantCulture) : "—";
}
