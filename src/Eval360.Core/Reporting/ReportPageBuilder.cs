using System.Globalization;
using System.Security.Cryptography;
using Eval360.Statistics;
using static Eval360.Reporting.Html;

namespace Eval360.Reporting;

/// <summary>Turns the accumulated figures into the page: header, ranking, and one section per concern.</summary>
internal sealed partial class ReportPageBuilder
{
    private const int HistogramBins = 30;

    private readonly ReportAccumulator _data;
    private readonly ReportOptions _options;
    private readonly ModelRanking _ranking;
    private readonly List<ModelRow> _models;
    private int _chartCount;

    public ReportPageBuilder(ReportAccumulator data, ReportOptions options)
    {
        _data = data;
        _options = options;
        _ranking = data.Statistics.Rank(options.Ranking);
        _models = _ranking.Models.Select((r, i) => new ModelRow(r.Label, i, r, data.Models[r.Key])).ToList();
        Verdict = Verdict.Of(_ranking, data);
    }

    /// <summary>The deterministic findings and caveats the page opens with.</summary>
    public Verdict Verdict { get; }

    private bool HasJury => _data.Overall.Judged > 0;

    public ReportPage Build()
    {
        var page = new ReportPage
        {
            Title = _options.Title ?? DefaultTitle(),
            GeneratedAt = Date(_options.GeneratedAt ?? DateTimeOffset.UtcNow),
            Generator = "Eval360 " + (typeof(ReportPageBuilder).Assembly.GetName().Version?.ToString(3) ?? string.Empty),
            Nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)),
            SimulatedBanner = SimulatedBanner(),
        };
        AddFacts(page);
        page.Notes.AddRange(_options.Notes);
        if (_data.Overall.Invocations == 0)
        {
            page.Notes.Add("There are no results to report.");
            return page;
        }

        page.Sections.Add(Findings());
        page.Sections.Add(Ranking());
        page.Sections.Add(Latency());
        page.Sections.Add(Throughput());
        page.Sections.Add(Cost());
        page.Sections.Add(Quality());
        page.Sections.Add(JuryAgreement());
        page.Sections.Add(Reliability());
        page.Sections.Add(Regions());
        if (Trend() is { } trend)
        {
            page.Sections.Add(trend);
        }

        page.Sections.Add(Temperatures());
        page.Sections.Add(Method());
        return page;
    }

    private string DefaultTitle() => _data.ExperimentNames.Count switch
    {
        0 => "Eval360 report",
        1 => $"Eval360 report: {_data.ExperimentNames.Min}",
        _ => $"Eval360 report: {_data.ExperimentNames.Count} experiments",
    };

    private string? SimulatedBanner()
    {
        if (_data.Overall.Simulated == 0)
        {
            return null;
        }

        return _data.Overall.Simulated == _data.Overall.Invocations
            ? "SIMULATED: every result in this report comes from Eval360's built-in simulator (sim/ models). No figure here is a measurement of a real model."
            : $"PARTLY SIMULATED: {Count(_data.Overall.Simulated)} of {Count(_data.Overall.Invocations)} results come from Eval360's built-in simulator (sim/ models, marked \"simulated\"). Their figures are not measurements of a real model.";
    }

    private void AddFacts(ReportPage page)
    {
        static string List(IEnumerable<string> items, int shown = 8)
        {
            var all = items.ToList();
            return all.Count == 0 ? "—" : all.Count <= shown ? string.Join(", ", all) : string.Join(", ", all.Take(shown)) + $" and {all.Count - shown} more";
        }

        page.Facts.Add(new Fact("Runs", List(_data.RunIds)));
        page.Facts.Add(new Fact("Experiments", List(_data.ExperimentNames)));
        page.Facts.Add(new Fact("Period", _data.FirstStarted is null ? "—" : $"{Date(_data.FirstStarted)} to {Date(_data.LastStarted)}"));
        page.Facts.Add(new Fact("Models", $"{_models.Count}: {List(_models.Select(m => m.Label), 12)}"));
        page.Facts.Add(new Fact("Judges", _data.Statistics.Judges.Count == 0
            ? (_data.Overall.LatencyOnly > 0 ? "none (latency-only run)" : "none")
            : $"{_data.Statistics.Judges.Count}: {List(_data.Statistics.Judges.Keys.Order(StringComparer.Ordinal), 12)}"));
        page.Facts.Add(new Fact("Invocations", $"{Count(_data.Overall.Invocations)} ({Count(_data.Overall.Succeeded)} succeeded, {Count(_data.Overall.Invocations - _data.Overall.Succeeded)} failed, {Count(_data.Overall.Judged)} judged, {Count(_data.Overall.Passed)} passed)"));
        page.Facts.Add(new Fact("Total spend", $"{Usd(_data.Overall.Cost + _data.Overall.JuryCost)} (models {Usd(_data.Overall.Cost)}, jury {Usd(_data.Overall.JuryCost)})"));
        if (_options.Analysis is { } analysis)
        {
            page.Facts.Add(new Fact("Written analysis", $"{analysis.ModelId}: {Usd(analysis.Cost)} ({Count(analysis.InputTokens)} input and {Count(analysis.OutputTokens)} output tokens), not in the total above"));
        }
        page.Facts.Add(new Fact("Task types", List(_data.TaskTypes)));
        page.Facts.Add(new Fact("Temperatures", List(_data.Temperatures.Select(t => Number(t, "0.###")))));
        page.Facts.Add(new Fact("Regions", List(_data.ByRegion.Keys.Order(StringComparer.Ordinal))));
        if (_options.Sources.Count > 0)
        {
            page.Facts.Add(new Fact("Source", List(_options.Sources, 4)));
        }
    }

    /// <summary>The verdict: what the numbers say, then what should temper it, then (when asked for) a model's prose.</summary>
    private ReportSection Findings()
    {
        var section = new ReportSection("verdict", "What we found",
            "Written from the figures below by fixed rules: the same results always read the same.");
        section.Add(ReportBlock.Bullets("Findings", Verdict.Findings));
        if (Verdict.Caveats.Count > 0)
        {
            section.Add(ReportBlock.Bullets("Before you decide", Verdict.Caveats));
        }

        if (_options.Analysis is { } analysis)
        {
            var label = $"Written by a model, {analysis.ModelId}{(analysis.Simulated ? " (the built-in simulator: its prose means nothing)" : string.Empty)}, from the figures in this report (no prompts or answers), for {Usd(analysis.Cost)}. It is not checked: trust the figures over it.";
            section.Add(analysis.Text is { } text
                ? new ReportBlock { Kind = "analysis", Title = "A model's reading of these figures", Text = text, Items = [label] }
                : ReportBlock.Empty($"{analysis.ModelId} was asked to write an analysis of these figures and could not: {analysis.Error}"));
        }

        return section;
    }

    private ReportSection Ranking()
    {
        var w = _options.Ranking.Weights;
        bool quality = _ranking.Scale.HasQuality;
        double total = (quality ? w.Quality : 0) + w.Latency + w.Cost + w.Reliability;
        string Share(double weight) => total > 0 ? Percent(weight / total) : "—";
        var table = new HtmlTable("t-ranking", "Models ranked: above the quality floor first, then by composite score") { RowHeader = 1 }
            .Column("#", tooltip: "Rank; '=' marks models tied with another: their composite scores do not differ beyond the 95% uncertainty")
            .Column("Model", numeric: false)
            .Column("Composite", tooltip: "0–100; see How the composite score works")
            .Column("Pass rate", tooltip: "Passed / judged answers, and its 95% confidence interval (bootstrap over the judged answers)")
            .Column("Mean score", tooltip: "Mean of the dimension means, 1–5, and its 95% confidence interval")
            .Column("TTFT p50 (s)").Column("TTFT p95 (s)").Column("TTFT p99 (s)")
            .Column("n", tooltip: "Successful invocations the latency percentiles are computed over")
            .Column("TTLB p50 (s)").Column("TTLB p95 (s)")
            .Column("Tokens/s", tooltip: "Mean output tokens per second")
            .Column("Cost / response", tooltip: "The model's own cost per successful response, USD")
            .Column("Success rate")
            .Column("Pareto frontier", numeric: false, tooltip: "On the frontier: no other model is at least as good on quality, median TTFT and cost per response and better on one; otherwise the models that dominate it")
            .Column("Note", numeric: false);
        foreach (var m in _models)
        {
            var s = m.Summary;
            var c = m.Composite;
            var notes = new List<string>();
            if (s.BelowQualityFloor)
            {
                notes.Add("below quality floor");
            }

            if (s.Simulated)
            {
                notes.Add("simulated");
            }

            table.Row(
                new TableCell(RankText(s), SortKey(s.Rank), Title: s.Tied ? "tied: the data cannot order these models" : null),
                new TableCell(m.Label, Title: m.Summary.Provider),
                new TableCell(Number(c.Value, "0.0"), SortKey(c.Value), HeatStyle(c.Value / 100),
                    $"quality {Component(c.Quality)} · latency {Component(c.Latency)} · cost {Component(c.Cost)} · reliability {Component(c.Reliability)}"),
                new TableCell(PercentWithin(s.PassRate, s.PassRateCiLow, s.PassRateCiHigh), SortKey(s.PassRate), HeatStyle(s.PassRate)),
                Num(s.OverallScore, ScoreWithin(s.OverallScore, s.OverallScoreCiLow, s.OverallScoreCiHigh)),
                Sec(s.TimeToFirstTokenP50), Sec(s.TimeToFirstTokenP95), Sec(s.TimeToFirstTokenP99),
                Num(s.LatencySamples, Count(s.LatencySamples)),
                Sec(s.TimeToLastByteP50), Sec(s.TimeToLastByteP95),
                Num(s.OutputTokensPerSecond, Number(s.OutputTokensPerSecond)),
                Num(s.ModelCostPerResponse, Usd(s.ModelCostPerResponse)),
                Pct(s.SuccessRate, heat: true),
                s.ParetoOptimal ? "on the frontier" : "dominated by " + string.Join(", ", s.DominatedBy),
                string.Join(", ", notes));
        }

        var components = NewTable("composite-components", "Composite components per model (0–1, higher is better)")
            .Column("Model", numeric: false).Column("Quality").Column("Latency").Column("Cost").Column("Reliability").Column("Composite");
        foreach (var m in _models)
        {
            var c = m.Composite;
            components.Row(m.Label, Frac(c.Quality), Frac(c.Latency), Frac(c.Cost), Frac(c.Reliability), new TableCell(Number(c.Value, "0.0"), SortKey(c.Value)));
        }

        var floor = _ranking.FloorApplies
            ? $"Models whose pass rate is under the quality floor of {Percent(_options.Ranking.QualityFloor)} rank after every model at or above it, whatever their speed or price (-QualityFloor)."
            : "No answer was judged, so the quality floor plays no part.";
        return new ReportSection("ranking", "Ranking")
            .Add(ReportBlock.Paragraph($"Weights: {w.Describe(quality)} (-Weights). {floor} Models marked '=' are tied: the 95% interval of the difference between their composite scores, from resampling their judged answers and latencies, holds 0."))
            .Add(ReportBlock.Tabular(table, "Latency percentiles are exact (linear interpolation between closest ranks, over the n successful invocations), the same figures as Get-Eval360Summary and summary.json. Click a column header to sort."))
            .Add(ReportBlock.Bullets("How the composite score works", [
                quality
                    ? $"Quality (weight {Share(w.Quality)}): the mean of the pass rate and the mean score rescaled from 1–5 to 0–1."
                    : "Quality: not part of this ranking, because no answer in these results was judged; the other weights are rescaled to add up to 100%.",
                $"Latency (weight {Share(w.Latency)}): the fastest median time to first token among the models divided by this model's, so the fastest scores 1.",
                $"Cost (weight {Share(w.Cost)}): the lowest model cost per successful response divided by this model's (jury cost excluded); a free model scores 1, paid models are measured against the cheapest paid one.",
                $"Reliability (weight {Share(w.Reliability)}): the success rate, successful invocations / all invocations.",
                "Composite = 100 × the weighted mean of the components this run has. Without a jury, quality drops out and the other weights are rescaled; a model lacking a component the others have (no successful invocation, so no latency or cost) scores 0 for it.",
                "Ties: each model's judged answers (the 2,000 resamples of its intervals) and latencies are resampled and its composite recomputed, cost and success rate as measured; two neighbours are tied when the middle 95% of the differences holds 0. Models that answered the same scenarios draw the same answers in each resample, so they are compared answer by answer.",
            ]))
            .Add(ReportBlock.Tabular(components));
    }

    private ReportSection Method() =>
        new ReportSection("method", "About these figures")
            .Add(ReportBlock.Bullets("Definitions", [
                "TTFT (time to first token): from sending the request to the first chunk carrying generated text (answer or reasoning), not response headers or a role-only chunk.",
                "TTLB (time to last byte): from sending the request to the end of the stream. Tokens/s = output tokens / TTLB.",
                "Percentiles in the ranking table are exact: linear interpolation between closest ranks over successful invocations (numpy's default), as in Get-Eval360Summary. Histograms, per-region, per-temperature and p99 TTLB figures come from fixed-size distributions accurate to about 1%.",
                "Pass rate = passed / judged answers: failed invocations, latency-only results and answers no judge could judge are not in it. Success rate = succeeded / all invocations.",
                $"Figures in brackets are 95% confidence intervals: a percentile bootstrap over the judged answers (each answer is resampled whole, with all its judges' verdicts; {Bootstrap.Resamples:#,0} resamples with a fixed seed, so the same results always give the same interval). Two models whose intervals overlap widely may not really differ.",
                "Costs are USD from the profiles' prices per 1,000 tokens; cost per response divides by successful responses.",
                "Models grouped as not significantly different: the 95% interval of the difference between their pass rates over the same 2,000 resamples (answer by answer where they answered the same scenarios) holds 0.",
                "The Pareto frontier: quality (pass rate, then mean score between equal pass rates), median time to first token and model cost per successful response; a model is dominated when another is at least as good on all three and better on one.",
                $"Standard deviation and variance are the sample's (n − 1); skewness and excess kurtosis the adjusted Fisher–Pearson estimators. A distribution is called far from normal when |skewness| > {Moments.SkewnessLimit} or |excess kurtosis| > {Moments.KurtosisLimit} (a rule of thumb, over at least {Moments.ShapeMinimum} values): then read its percentiles, not its mean and standard deviation.",
                "Hours of the day are each region's local time (its IANA time zone, daylight saving included); regions Eval360 does not know stay on UTC and are marked so.",
                "Simulated results (sim/ models) come from Eval360's built-in simulator and measure nothing real.",
            ]));

    private string NoJuryReason() => _data.Overall.LatencyOnly == _data.Overall.Invocations
        ? "No jury in this run: it ran in latency-only mode, so answers were timed and priced but not judged."
        : _data.Overall.Succeeded == 0
            ? "No jury verdicts: no invocation succeeded, so there was nothing to judge."
            : "No jury verdicts: no answer in these results received a usable verdict.";

    private string ChartId() => $"chart{++_chartCount}";

    private static HtmlTable NewTable(string id, string caption) => new("t-" + id, caption);

    private static string Component(double? value) => value is double v ? v.ToString("0.00", CultureInfo.InvariantCulture) : "—";

    private static TableCell Frac(double? value) => new(Component(value), SortKey(value), value is double v ? HeatStyle(v) : null);

    private static TableCell Sec(double? seconds) => new(Seconds(seconds), SortKey(seconds));

    private static TableCell Pct(double? fraction, bool heat = false) => new(Percent(fraction), SortKey(fraction), heat ? HeatStyle(fraction) : null);

    private static TableCell Num(double? value, string text) => new(text, SortKey(value));

    private static double? PerSuccess(long total, ModelSummary s) => s.Succeeded > 0 ? total / (double)s.Succeeded : null;

    /// <summary>The rank as shown: "=2" for a model tied with another.</summary>
    private static string RankText(ModelSummary s) => (s.Tied ? "=" : string.Empty) + Count(s.Rank);

    /// <summary>One model's row everywhere in the report: its label, colour (its place in the ranking), and figures.</summary>
    private sealed record ModelRow(string Label, int Color, RankedModel Ranked, ModelFigures Figures)
    {
        public ModelSummary Summary => Ranked.Summary;

        public ModelStatistics Statistics => Ranked.Statistics;

        public QualityIntervals Intervals => Ranked.Intervals;

        public CompositeScore Composite => Ranked.Composite;
    }
}
