using Eval360.Statistics;
using static Eval360.Reporting.Html;

namespace Eval360.Reporting;

/// <summary>The sections about speed and money: latency, throughput, cost.</summary>
internal sealed partial class ReportPageBuilder
{
    private ReportSection Latency()
    {
        var section = new ReportSection("latency", "Latency",
            "Time to first token (TTFT) runs from sending the request to the first chunk carrying generated text; time to last byte (TTLB) to the end of the stream. Only successful invocations count.");
        if (_models.All(m => m.Summary.TimeToFirstTokenP50 is null && m.Summary.TimeToLastByteP50 is null))
        {
            return section.Add(ReportBlock.Empty("No invocation succeeded, so there is no latency to show."));
        }

        var ttft = _models.Select(m => new WhiskerRow(m.Label, m.Color, m.Summary.TimeToFirstTokenP50, m.Summary.TimeToFirstTokenP95, m.Summary.TimeToFirstTokenP99)).ToList();
        var ttftTable = DistributionTable("latency-ttft", "Time to first token per model (seconds)", "p99");
        foreach (var m in _models)
        {
            var d = m.Figures.Latency.TimeToFirstToken;
            DistributionRow(ttftTable, m.Label, Moments.Of(m.Statistics.TimesToFirstToken), d, m.Summary.TimeToFirstTokenP50, m.Summary.TimeToFirstTokenP95, m.Summary.TimeToFirstTokenP99);
        }

        section.Add(ReportBlock.Chart("Time to first token: median, p95 and p99",
            Charts.Whiskers(ChartId(), "Time to first token per model", "Bars show each model's median time to first token in seconds, whiskers reach the 95th percentile and dots mark the 99th.", ttft, "s"),
            ttftTable, ShapeNote(_models.Select(m => (m.Label, Moments.Of(m.Statistics.TimesToFirstToken))))));

        var ttlb = _models.Select(m => new WhiskerRow(m.Label, m.Color, m.Summary.TimeToLastByteP50, m.Summary.TimeToLastByteP95, m.Figures.Latency.TimeToLastByte.Quantile(0.99))).ToList();
        var ttlbTable = DistributionTable("latency-ttlb", "Time to last byte per model (seconds)", "p99 (±1%)");
        foreach (var m in _models)
        {
            var d = m.Figures.Latency.TimeToLastByte;
            DistributionRow(ttlbTable, m.Label, Moments.Of(m.Statistics.TimesToLastByte), d, m.Summary.TimeToLastByteP50, m.Summary.TimeToLastByteP95, d.Quantile(0.99));
        }

        section.Add(ReportBlock.Chart("Time to last byte: median, p95 and p99",
            Charts.Whiskers(ChartId(), "Time to last byte per model", "Bars show each model's median time to last byte in seconds, whiskers reach the 95th percentile and dots mark the 99th.", ttlb, "s"),
            ttlbTable, "The p99 of time to last byte is read from the distribution and is within about 1% of the exact value. " +
                ShapeNote(_models.Select(m => (m.Label, Moments.Of(m.Statistics.TimesToLastByte))))));

        var withTtft = _models.Where(m => m.Figures.Latency.TimeToFirstToken.Count > 0).ToList();
        if (withTtft.Count > 0)
        {
            double low = withTtft.Min(m => m.Figures.Latency.TimeToFirstToken.Min);
            double high = withTtft.Max(m => m.Figures.Latency.TimeToFirstToken.Quantile(0.99) ?? 0);
            double max = withTtft.Max(m => m.Figures.Latency.TimeToFirstToken.Max);
            if (high <= low)
            {
                high = low + Math.Max(0.001, low * 0.1);
            }

            var panels = withTtft.Select(m => new HistogramPanel(m.Label, m.Color, m.Figures.Latency.TimeToFirstToken.Histogram(low, high, HistogramBins), m.Figures.Latency.TimeToFirstToken.Count,
                Moments.Of(m.Statistics.TimesToFirstToken))).ToList();
            var binTable = NewTable("latency-histogram", "Time to first token: invocations per bin").Column("From (s)").Column("To (s)");
            foreach (var m in withTtft)
            {
                binTable.Column(m.Label);
            }

            double step = (high - low) / HistogramBins;
            for (int b = 0; b < HistogramBins; b++)
            {
                var cells = new List<TableCell> { Sec(low + b * step), b == HistogramBins - 1 ? Sec(max) : Sec(low + (b + 1) * step) };
                cells.AddRange(panels.Select(p => Num(p.Counts[b], Count(p.Counts[b]))));
                binTable.Row([.. cells]);
            }

            section.Add(ReportBlock.Chart("Distribution of time to first token",
                Charts.Histograms(ChartId(), "Histograms of time to first token per model", $"One histogram per model over the same range, {Seconds(low)} to {Seconds(high)} seconds, in {HistogramBins} bins, with the normal curve of the same mean and standard deviation; the last bin also holds everything slower.", low, high, panels, "s"),
                binTable, $"All panels share the x axis ({Seconds(low)}–{Seconds(high)} s, up to the slowest model's p99); the last bin also counts everything slower, up to {Seconds(max)} s. Each panel's height is scaled to its own tallest bin. The line is the normal distribution with the sample's mean and standard deviation, for reference. " +
                    ShapeNote(withTtft.Select(m => (m.Label, Moments.Of(m.Statistics.TimesToFirstToken))))));
        }

        return section;
    }

    private static HtmlTable DistributionTable(string id, string caption, string p99) =>
        NewTable(id, caption)
            .Column("Model", numeric: false).Column("n").Column("min").Column("p50").Column("p95").Column(p99).Column("max").Column("mean")
            .Column("SD", tooltip: "Standard deviation (sample, n − 1)").Column("Variance", tooltip: "Sample variance, seconds squared")
            .Column("Skewness", tooltip: "Adjusted Fisher–Pearson; above 1: a long right tail")
            .Column("Excess kurtosis", tooltip: "Adjusted; 0 for a normal distribution, high: heavy tails")
            .Column("Shape", numeric: false);

    private static void DistributionRow(HtmlTable table, string label, Moments? moments, LatencySketch sketch, double? p50, double? p95, double? p99) =>
        table.Row(label, Num(sketch.Count, Count(sketch.Count)), Sec(sketch.Count > 0 ? sketch.Min : null), Sec(p50), Sec(p95), Sec(p99), Sec(sketch.Count > 0 ? sketch.Max : null),
            Sec(moments?.Mean), Sec(moments?.StandardDeviation), Num(moments?.Variance, Number(moments?.Variance, "0.######")),
            Num(moments?.Skewness, Number(moments?.Skewness, "0.00")), Num(moments?.ExcessKurtosis, Number(moments?.ExcessKurtosis, "0.00")), Shape(moments));

    /// <summary>How a distribution looks against a normal one, in words.</summary>
    private static string Shape(Moments? moments) => moments switch
    {
        null => "—",
        { Count: < Moments.ShapeMinimum } => "too few to judge",
        { FarFromNormal: true, Skewness: > Moments.SkewnessLimit } => "far from normal: long right tail",
        { FarFromNormal: true, Skewness: < -Moments.SkewnessLimit } => "far from normal: long left tail",
        { FarFromNormal: true, ExcessKurtosis: > 0 } => "far from normal: heavy tails",
        { FarFromNormal: true } => "far from normal: flat or split",
        _ => "near normal",
    };

    /// <summary>The sentence that names the distributions far from normal, or says none is.</summary>
    private static string ShapeNote(IEnumerable<(string Label, Moments? Moments)> distributions)
    {
        var far = distributions.Where(d => d.Moments?.FarFromNormal == true).ToList();
        return far.Count == 0
            ? "No distribution here is far from normal by skewness and kurtosis."
            : $"Far from normal: {string.Join("; ", far.Select(d => $"{d.Label} (skewness {Number(d.Moments!.Skewness, "0.00")}, excess kurtosis {Number(d.Moments.ExcessKurtosis, "0.00")})"))} — for these the mean and standard deviation mislead: read the percentiles.";
    }

    private ReportSection Throughput()
    {
        var section = new ReportSection("throughput", "Throughput",
            "Output tokens per second = output tokens / time to last byte, per successful invocation. Inter-token latency = time between output tokens once the first has arrived.");
        if (_models.All(m => m.Summary.OutputTokensPerSecond is null))
        {
            return section.Add(ReportBlock.Empty("No successful invocation reported a throughput."));
        }

        var rows = _models.Select(m => new BarRow(m.Label, m.Color, m.Summary.OutputTokensPerSecond, Number(m.Summary.OutputTokensPerSecond) + " tok/s")).ToList();
        var table = NewTable("throughput-table", "Throughput and tokens per model")
            .Column("Model", numeric: false).Column("Mean tokens/s").Column("p50 tokens/s").Column("p5 tokens/s", tooltip: "The slowest 5% of invocations ran at or below this")
            .Column("Inter-token latency (ms)", tooltip: "Mean over successful invocations")
            .Column("Input tokens / response").Column("Output tokens / response").Column("Output tokens");
        foreach (var m in _models)
        {
            var s = m.Summary;
            var tps = m.Figures.Latency.TokensPerSecond;
            double? itl = m.Figures.InterTokenLatency.Mean * 1000;
            table.Row(m.Label, Num(s.OutputTokensPerSecond, Number(s.OutputTokensPerSecond)), Num(tps.Quantile(0.5), Number(tps.Quantile(0.5))),
                Num(tps.Quantile(0.05), Number(tps.Quantile(0.05))), Num(itl, Number(itl, "0.##")),
                Num(PerSuccess(s.InputTokens, s), Number(PerSuccess(s.InputTokens, s))), Num(PerSuccess(s.OutputTokens, s), Number(PerSuccess(s.OutputTokens, s))),
                Num(s.OutputTokens, Count(s.OutputTokens)));
        }

        return section.Add(ReportBlock.Chart("Mean output tokens per second",
            Charts.Bars(ChartId(), "Output tokens per second per model", "Bars show each model's mean output tokens per second; longer is faster.", rows, "tokens/s"),
            table, "p50 and p5 tokens/s are read from the distribution (within about 1%)."));
    }

    private ReportSection Cost()
    {
        var section = new ReportSection("cost", "Cost",
            "USD, from the token prices in the model and judge profiles. Model cost is the candidates' own calls; jury cost is the judging of their answers.");
        var stack = _models.Select(m => new StackRow(m.Label, [m.Summary.Cost, m.Summary.JuryCost], Usd(m.Summary.TotalCost))).ToList();
        var table = NewTable("cost-table", "Cost per model (USD)")
            .Column("Model", numeric: false).Column("Model cost").Column("Jury cost").Column("Total")
            .Column("Model cost / response").Column("Total / response", tooltip: "Model and jury cost per successful response")
            .Column("Input tokens").Column("Output tokens");
        foreach (var m in _models)
        {
            var s = m.Summary;
            table.Row(m.Label, Num(s.Cost, Usd(s.Cost)), Num(s.JuryCost, Usd(s.JuryCost)), Num(s.TotalCost, Usd(s.TotalCost)),
                Num(s.ModelCostPerResponse, Usd(s.ModelCostPerResponse)), Num(s.CostPerResponse, Usd(s.CostPerResponse)),
                Num(s.InputTokens, Count(s.InputTokens)), Num(s.OutputTokens, Count(s.OutputTokens)));
        }

        if (_data.Overall.Cost + _data.Overall.JuryCost <= 0)
        {
            return section
                .Add(ReportBlock.Empty("Nothing was spent: the profiles price these models and judges at zero, or no call succeeded."))
                .Add(ReportBlock.Tabular(table));
        }

        section.Add(ReportBlock.Paragraph($"Total spend: {Usd(_data.Overall.Cost + _data.Overall.JuryCost)}: models {Usd(_data.Overall.Cost)}, jury {Usd(_data.Overall.JuryCost)}."));
        section.Add(ReportBlock.Chart("Model and jury cost",
            Charts.Stacked(ChartId(), "Model and jury cost per model", "Stacked bars: each model's own cost and the cost of judging its answers, in USD.", ["Model cost", "Jury cost"], stack, "USD", v => Usd(v)),
            table));
        var perResponse = _models.Select(m => new BarRow(m.Label, m.Color, m.Summary.ModelCostPerResponse, Usd(m.Summary.ModelCostPerResponse))).ToList();
        var perResponseTable = NewTable("cost-per-response", "Model cost per successful response (USD)").Column("Model", numeric: false).Column("Cost / response");
        foreach (var row in perResponse)
        {
            perResponseTable.Row(row.Label, Num(row.Value, row.Text));
        }

        return section.Add(ReportBlock.Chart("Model cost per successful response",
            Charts.Bars(ChartId(), "Model cost per successful response", "Bars show each model's own cost per successful response in USD; shorter is cheaper.", perResponse, "USD"),
            perResponseTable));
    }
}
