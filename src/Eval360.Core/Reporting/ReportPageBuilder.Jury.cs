using System.Globalization;
using Eval360.Statistics;
using static Eval360.Reporting.Html;

namespace Eval360.Reporting;

/// <summary>The "Jury" section: what each judge gave, how far the judges agree (Krippendorff's α, Fleiss' κ) and how lenient each one is.</summary>
internal sealed partial class ReportPageBuilder
{
    private ReportSection JuryAgreement()
    {
        var section = new ReportSection("jury", "Jury",
            "What each judge gave, how far the judges agree beyond chance (Krippendorff's α and Fleiss' κ, with 95% intervals over answers), and how lenient each judge is compared with the rest.");
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
        if (agreement.Items > 0)
        {
            section.Add(ReportBlock.Tabular(AgreementTable(),
                "Krippendorff's α: 1 is perfect agreement, 0 what chance gives; below 0.667 the scores are unreliable, from 0.8 reliable (Krippendorff's thresholds; Reliability reads the interval α, and the nominal one for Passed). " +
                "Scores from 1 to 5 are ordered, so the ordinal and interval levels are the ones to read; nominal counts only exact matches. Passed is the judges' own pass/fail. " +
                "Answers with fewer than two usable scores are left out; Missing counts the judge × answer cells without one. " +
                (JuryIntervals
                    ? "Intervals: 95%, a bootstrap over answers (2,000 resamples, fixed seed). Measure-Eval360Jury gives the same figures."
                    : $"With more than {Count(JuryIntervalsUpTo)} judged answers the intervals (a few thousandths wide) are left out here; Measure-Eval360Jury computes them.")));
            section.Add(ReportBlock.Tabular(LeniencyTable(),
                "Leniency: the judge's score minus the other judges' mean on the same answers, averaged (Overall: its mean over the dimensions of an answer; Passed: how much more often it passes). " +
                "An interval wholly above 0 means a systematically lenient judge, wholly below 0 a harsh one. Agreement with the rest: Krippendorff's α (interval) between the judge and the others' mean."));
        }

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

    /// <summary>
    /// Above this many judged answers the report shows the jury's agreement without intervals: the bootstrap costs
    /// resamples × answers per metric, and with this many answers the intervals are a few thousandths wide.
    /// </summary>
    private const int JuryIntervalsUpTo = 20_000;

    private bool JuryIntervals => _data.Statistics.Scores.Count <= JuryIntervalsUpTo;

    private HtmlTable AgreementTable()
    {
        var table = NewTable("jury-agreement", "Agreement among the judges per metric")
            .Column("Metric", numeric: false).Column("Answers").Column("Missing")
            .Column("α interval", tooltip: "Krippendorff's α at the interval level, with its 95% interval")
            .Column("α ordinal", tooltip: "Krippendorff's α at the ordinal level, with its 95% interval")
            .Column("α nominal").Column("Fleiss' κ", tooltip: "Fleiss' κ (nominal), with its 95% interval")
            .Column("Reliability", numeric: false);
        var statistics = JuryMeasures.Agreement(_data.Statistics.Scores, intervals: JuryIntervals);
        foreach (var metric in statistics.GroupBy(s => s.Metric, StringComparer.Ordinal))
        {
            JuryStatistic? Alpha(MeasurementLevel level) => metric.FirstOrDefault(s => s.Statistic == JuryStatistic.KrippendorffAlpha && s.Level == level);
            var fleiss = metric.FirstOrDefault(s => s.Statistic == JuryStatistic.FleissKappa);
            var headline = Alpha(MeasurementLevel.Interval) ?? Alpha(MeasurementLevel.Nominal);
            var first = metric.First();
            table.Row(metric.Key, Num(first.Items, Count(first.Items)), Num(first.Missing, Count(first.Missing)),
                Within(Alpha(MeasurementLevel.Interval)), Within(Alpha(MeasurementLevel.Ordinal)), Within(Alpha(MeasurementLevel.Nominal)), Within(fleiss),
                new TableCell(headline?.Reliability ?? "—", null, headline?.Value is double v ? HeatStyle((v - 0.5) / 0.4) : null));
        }

        return table;
    }

    private HtmlTable LeniencyTable()
    {
        var table = NewTable("jury-leniency", "Leniency and agreement of each judge with the rest")
            .Column("Judge", numeric: false).Column("Answers")
            .Column("Leniency (Overall)", tooltip: "Mean of its mean score minus the other judges' mean, in points, with its 95% interval")
            .Column("Agreement with the rest (Overall)")
            .Column("Leniency (Passed)", tooltip: "How much more often than the other judges it passes an answer, with its 95% interval");
        var figures = JuryMeasures.Judges(_data.Statistics.Scores, intervals: JuryIntervals);
        foreach (var judge in figures.GroupBy(s => s.Judge!, StringComparer.Ordinal))
        {
            JuryStatistic? Figure(string metric, string statistic) => judge.FirstOrDefault(s => s.Metric == metric && s.Statistic == statistic);
            var overall = Figure(JuryStatistic.OverallMetric, JuryStatistic.Leniency);
            table.Row(judge.Key, Num(overall?.Items, Count(overall?.Items ?? 0)),
                Within(overall, signed: true), Within(Figure(JuryStatistic.OverallMetric, JuryStatistic.AgreementWithRest)),
                Within(Figure(JuryStatistic.PassedMetric, JuryStatistic.Leniency), signed: true));
        }

        return table;
    }

    /// <summary>A figure with its interval: <c>0.78 (0.64–0.85)</c>, signed when asked: <c>+0.55 (+0.45–+0.64)</c>.</summary>
    private static TableCell Within(JuryStatistic? statistic, bool signed = false)
    {
        string format = signed ? "+0.00;−0.00;0.00" : "0.00;−0.00;0.00";
        string F(double? value) => value is double v ? v.ToString(format, CultureInfo.InvariantCulture) : "—";
        if (statistic?.Value is not double value)
        {
            return new TableCell("—", string.Empty);
        }

        var text = statistic.CiLow is not null ? $"{F(value)} ({F(statistic.CiLow)} to {F(statistic.CiHigh)})" : F(value);
        return new TableCell(text, SortKey(value));
    }
}
