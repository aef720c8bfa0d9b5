using Eval360.Statistics;
using static Eval360.Reporting.Html;

namespace Eval360.Reporting;

/// <summary>The sections about how the run went: reliability, regions, temperatures.</summary>
internal sealed partial class ReportPageBuilder
{
    private ReportSection Reliability()
    {
        var section = new ReportSection("reliability", "Reliability",
            "How invocations ended, which errors they met, how often calls were retried or throttled by the provider (HTTP 429), and how Eval360's pacing held the request rate.");
        bool jury = HasJury;
        string[] series = jury ? ["Passed", "Not passed", "Not judged", "Failed"] : ["Succeeded", "Failed"];
        var outcomes = _models.Select(m =>
        {
            var s = m.Summary;
            IReadOnlyList<double> values = jury
                ? [s.Passed, s.Judged - s.Passed, s.Succeeded - s.Judged, s.Failed]
                : [s.Succeeded, s.Failed];
            return new StackRow(m.Label, values, $"{Percent(s.SuccessRate)} succeeded");
        }).ToList();
        var outcomeTable = NewTable("reliability-outcomes", "Outcomes per model").Column("Model", numeric: false).Column("Invocations");
        foreach (var name in series)
        {
            outcomeTable.Column(name);
        }

        outcomeTable.Column("Success rate").Column("Error rate");
        for (int i = 0; i < _models.Count; i++)
        {
            var s = _models[i].Summary;
            var cells = new List<TableCell> { _models[i].Label, Num(s.Invocations, Count(s.Invocations)) };
            cells.AddRange(outcomes[i].Values.Select(v => Num(v, Count((long)v))));
            cells.Add(Pct(s.SuccessRate, heat: true));
            cells.Add(Pct(s.Invocations > 0 ? s.Failed / (double)s.Invocations : null));
            outcomeTable.Row([.. cells]);
        }

        section.Add(ReportBlock.Chart("How invocations ended",
            Charts.Stacked(ChartId(), "Outcome of invocations per model", jury
                ? "Stacked bars of invocation counts per model: passed, judged but not passed, answered but not judged, and failed."
                : "Stacked bars of invocation counts per model: succeeded and failed.", series, outcomes, "invocations", v => Count((long)v),
                jury ? [2, 1, 9, 3] : [2, 3]),
            outcomeTable));

        var codes = _models.SelectMany(m => m.Statistics.Failures.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var errorTable = NewTable("reliability-errors", "Errors by code per model")
            .Column("Model", numeric: false).Column("Code", numeric: false).Column("Kind", numeric: false).Column("Count").Column("Share of invocations").Column("Example message", numeric: false);
        foreach (var m in _models)
        {
            foreach (var (kind, errors, examples) in new[] { ("call failed", m.Statistics.Failures, m.Figures.FailureExamples), ("answer not judged", m.Statistics.JuryProblems, m.Figures.JuryProblemExamples) })
            {
                foreach (var (code, count) in errors.OrderByDescending(e => e.Value).ThenBy(e => e.Key, StringComparer.Ordinal))
                {
                    errorTable.Row(m.Label, code, kind, Num(count, Count(count)), Pct(m.Summary.Invocations > 0 ? count / (double)m.Summary.Invocations : null), examples.GetValueOrDefault(code) ?? string.Empty);
                }
            }
        }

        if (codes.Count > 0)
        {
            var errorRows = _models.Select(m => new StackRow(m.Label, codes.Select(c => (double)m.Statistics.Failures.GetValueOrDefault(c)).ToList(), Count(m.Summary.Failed) + " failed")).ToList();
            section.Add(ReportBlock.Chart("Failed invocations by error code",
                Charts.Stacked(ChartId(), "Failed invocations by error code per model", "Stacked bars: each model's failed invocations split by error code.", codes, errorRows, "failures", v => Count((long)v)),
                errorTable));
        }
        else if (errorTable.Rows.Count > 0)
        {
            section.Add(ReportBlock.Tabular(errorTable, "No invocation failed; the rows above are answers the jury could not judge."));
        }
        else
        {
            section.Add(ReportBlock.Paragraph("No invocation failed and every answer was judged."));
        }

        var retries = NewTable("reliability-retries", "Retries and provider throttling per model")
            .Column("Model", numeric: false).Column("Invocations").Column("Retries").Column("Invocations retried").Column("Most retries of one call")
            .Column("Provider throttles (429)", tooltip: "Times the provider itself throttled a call, retried or not")
            .Column("Partial juries", tooltip: "Answers decided although some judges failed");
        foreach (var m in _models)
        {
            var s = m.Summary;
            retries.Row(m.Label, Num(s.Invocations, Count(s.Invocations)), Num(s.Retries, Count(s.Retries)), Num(m.Statistics.Retried, Count(m.Statistics.Retried)),
                Num(m.Statistics.MaxRetries, Count(m.Statistics.MaxRetries)), Num(s.ProviderThrottles, Count(s.ProviderThrottles)), Num(m.Statistics.PartialJury, Count(m.Statistics.PartialJury)));
        }

        section.Add(ReportBlock.Tabular(retries));

        var pacing = NewTable("reliability-pacing", "Pacing per model")
            .Column("Model", numeric: false).Column("Target RPM").Column("Actual RPM", tooltip: "The request rate achieved to this model at the end of the run")
            .Column("Throttle events", tooltip: "Calls Eval360's pacing made wait for their turn").Column("Total wait (s)").Column("Mean wait (s)");
        foreach (var m in _models)
        {
            var s = m.Summary;
            pacing.Row(m.Label, Num(s.TargetRpm, Number(s.TargetRpm)), Num(s.ActualRpm, Number(s.ActualRpm)), Num(s.ThrottleEvents, Count(s.ThrottleEvents)),
                Sec(s.ThrottleWaitSeconds), Sec(s.MeanThrottleWaitSeconds));
        }

        var paced = _models.Where(m => m.Summary.TargetRpm is not null).ToList();
        if (paced.Count > 0)
        {
            section.Add(ReportBlock.Chart("Target and actual request rate",
                Charts.Grouped(ChartId(), "Target and actual requests per minute per model", "Grouped bars: for each model with a target_rpm, the target and the rate achieved.",
                    paced.Select(m => m.Label).ToList(), [("Target RPM", 0), ("Actual RPM", 1)],
                    (c, s) => s == 0 ? paced[c].Summary.TargetRpm : paced[c].Summary.ActualRpm,
                    0, Charts.NiceMax(paced.Max(m => Math.Max(m.Summary.TargetRpm ?? 0, m.Summary.ActualRpm ?? 0))), v => Number(v), "requests/min"),
                pacing, paced.Count < _models.Count ? "Models without a target_rpm are not paced and are left out of the chart; the table lists every model." : null));
        }
        else
        {
            section.Add(ReportBlock.Tabular(pacing, "No model profile set a target_rpm, so pacing did not limit the request rate."));
        }

        return section;
    }

    private ReportSection Regions()
    {
        var section = new ReportSection("regions", "Regions",
            "Latency, cost, reliability and throttling per region (Bedrock-style regions, or whatever region the model profiles name), and which region suits each model best.");
        if (_data.ByRegion.Count < 2)
        {
            section.Add(ReportBlock.Empty($"All results come from one region ({_data.ByRegion.Keys.FirstOrDefault() ?? "none"}); a regional comparison needs models in several regions."));
            return HoursOfDay(section);
        }

        var regions = _data.ByRegion.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        var regionInputs = regions.Select(r => new CompositeInputs(r.Value.Counts.PassRate, r.Value.Counts.MeanScore, r.Value.Latency.TimeToFirstToken.Quantile(0.5),
            r.Value.Counts.ModelCostPerResponse, r.Value.Counts.SuccessRate)).ToList();
        var regionScores = CompositeScore.Of(regionInputs, _options.Ranking.Weights);
        var table = NewTable("regions-table", "Per region, all models together")
            .Column("Region", numeric: false).Column("Composite", tooltip: "The composite score of the region's results against the other regions' (the ranking's weights)")
            .Column("Models").Column("Invocations").Column("Success rate").Column("TTFT p50 (s)").Column("TTLB p50 (s)")
            .Column("Mean tokens/s").Column("Cost / response").Column("Retries / invocation").Column("Provider throttles (429)")
            .Column("Paced calls", tooltip: "Calls Eval360's pacing made wait (target_rpm)").Column("Pass rate");
        for (int i = 0; i < regions.Count; i++)
        {
            var (region, g) = regions[i];
            int models = _models.Count(m => (m.Summary.Region ?? "(none)") == region);
            double? retries = g.Counts.Invocations > 0 ? g.Counts.Retries / (double)g.Counts.Invocations : null;
            table.Row(region, new TableCell(Number(regionScores[i].Value, "0.0"), SortKey(regionScores[i].Value), HeatStyle(regionScores[i].Value / 100)),
                Num(models, Count(models)), Num(g.Counts.Invocations, Count(g.Counts.Invocations)), Pct(g.Counts.SuccessRate, heat: true), Sec(g.Latency.TimeToFirstToken.Quantile(0.5)),
                Sec(g.Latency.TimeToLastByte.Quantile(0.5)), Num(g.Latency.TokensPerSecond.Mean, Number(g.Latency.TokensPerSecond.Mean)), Num(g.Counts.ModelCostPerResponse, Usd(g.Counts.ModelCostPerResponse)),
                Num(retries, Number(retries, "0.##")), Num(g.Counts.ProviderThrottles, Count(g.Counts.ProviderThrottles)),
                Num(g.Counts.ThrottleEvents, Count(g.Counts.ThrottleEvents)), Pct(g.Counts.PassRate));
        }

        section.Add(ReportBlock.Tabular(table, "Medians here are read from the distributions (within about 1%). Regions host different models, so compare a model across regions below before choosing where to deploy."));
        var modelIds = _models.Select(m => m.Summary.ModelId).Distinct(StringComparer.Ordinal).ToList();
        var regionNames = regions.Select(r => r.Key).ToList();
        ModelRow? Find(string modelId, string region) => _models.FirstOrDefault(m => m.Summary.ModelId == modelId && (m.Summary.Region ?? "(none)") == region);
        var matrix = NewTable("regions-models", "Per model and region")
            .Column("Model", numeric: false).Column("Region", numeric: false).Column("Invocations").Column("Success rate").Column("TTFT p50 (s)").Column("TTFT p95 (s)")
            .Column("TTLB p50 (s)").Column("Tokens/s").Column("Cost / response").Column("Retries").Column("Provider throttles");
        foreach (var m in _models.OrderBy(m => m.Summary.ModelId, StringComparer.Ordinal).ThenBy(m => m.Summary.Region, StringComparer.Ordinal))
        {
            var s = m.Summary;
            matrix.Row(s.ModelId, s.Region ?? "(none)", Num(s.Invocations, Count(s.Invocations)), Pct(s.SuccessRate, heat: true), Sec(s.TimeToFirstTokenP50), Sec(s.TimeToFirstTokenP95),
                Sec(s.TimeToLastByteP50), Num(s.OutputTokensPerSecond, Number(s.OutputTokensPerSecond)),
                Num(s.ModelCostPerResponse, Usd(s.ModelCostPerResponse)), Num(s.Retries, Count(s.Retries)), Num(s.ProviderThrottles, Count(s.ProviderThrottles)));
        }

        var colors = modelIds.Select(id => _models.First(m => m.Summary.ModelId == id).Color).ToList();
        section.Add(ReportBlock.Chart("Median time to first token by region",
            Charts.Grouped(ChartId(), "Median time to first token per region and model", "Grouped bars: for each region, one bar per model with its median time to first token in seconds.",
                regionNames, modelIds.Select((id, i) => (id, colors[i])).ToList(),
                (r, s) => Find(modelIds[s], regionNames[r])?.Summary.TimeToFirstTokenP50,
                0, Charts.NiceMax(_models.Max(m => m.Summary.TimeToFirstTokenP50 ?? 0)), v => Seconds(v), "s"),
            matrix));
        section.Add(WhereToDeploy());
        return HoursOfDay(section);
    }

    /// <summary>For each model measured in several regions, its regions ranked by a composite among themselves.</summary>
    private ReportBlock WhereToDeploy()
    {
        if (_data.Statistics.Grouping != SummaryGrouping.Model)
        {
            return ReportBlock.Empty("The rows here are runs or experiments (-GroupBy); group by model to compare each model's regions.");
        }

        var table = NewTable("regions-deploy", "Where to deploy: each model's regions compared with each other")
            .Column("Model", numeric: false).Column("Region", numeric: false).Column("Composite", tooltip: "Among this model's regions only, with the ranking's weights")
            .Column("Pass rate").Column("TTFT p50 (s)").Column("Success rate").Column("Retries / invocation").Column("Provider throttles (429)").Column("Cost / response");
        var several = _models.GroupBy(m => m.Summary.ModelId, StringComparer.Ordinal).Where(g => g.Count() > 1).ToList();
        foreach (var model in several)
        {
            var rows = model.ToList();
            var scores = CompositeScore.Of(rows.Select(r => CompositeInputs.Of(r.Summary)).ToList(), _options.Ranking.Weights);
            foreach (var (row, score) in rows.Zip(scores).OrderByDescending(p => p.Second.Value))
            {
                var s = row.Summary;
                double? retries = s.Invocations > 0 ? s.Retries / (double)s.Invocations : null;
                table.Row(s.ModelId, s.Region ?? "(none)", new TableCell(Number(score.Value, "0.0"), SortKey(score.Value), HeatStyle(score.Value / 100)), Pct(s.PassRate),
                    Sec(s.TimeToFirstTokenP50), Pct(s.SuccessRate, heat: true), Num(retries, Number(retries, "0.##")), Num(s.ProviderThrottles, Count(s.ProviderThrottles)),
                    Num(s.ModelCostPerResponse, Usd(s.ModelCostPerResponse)));
            }
        }

        return several.Count == 0
            ? ReportBlock.Empty("No model was measured in more than one region, so there is no choice of region to compare.")
            : ReportBlock.Tabular(table, "Each model's best region first. The composite compares a model's regions with each other only (quality, latency, cost and reliability, the ranking's weights).");
    }

    /// <summary>Mean time to first token per region and local hour of the day, when the results span more than one hour.</summary>
    private ReportSection HoursOfDay(ReportSection section)
    {
        var hours = Enumerable.Range(0, 24).Where(h => _data.ByHour.Values.Any(v => v.Count[h] > 0)).ToList();
        if (hours.Count < 2)
        {
            return section;
        }

        var means = _data.ByHour.ToDictionary(kv => kv.Key, kv => hours.Select(h => kv.Value.Count[h] > 0 ? kv.Value.TimeToFirstToken[h].Value / kv.Value.Count[h] : (double?)null).ToList(), StringComparer.Ordinal);
        var all = means.Values.SelectMany(v => v).OfType<double>().ToList();
        double low = all.Min(), high = all.Max();
        var table = NewTable("regions-hours", "Mean time to first token (s) by region and local hour of day").Column("Region", numeric: false).Column("Time zone", numeric: false);
        foreach (var hour in hours)
        {
            table.Column($"{hour:00}:00");
        }

        var unknown = new List<string>();
        foreach (var (region, values) in means.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var counts = _data.ByHour[region].Count;
            bool known = RegionClock.IsKnown(region);
            if (!known)
            {
                unknown.Add(region);
            }

            var zone = known ? RegionClock.ZoneOf(region)! : "UTC (zone unknown)";
            table.Row([region, zone, .. values.Select((v, i) => v is double mean
                ? new TableCell(Seconds(mean), SortKey(mean), HeatStyle(high > low ? 1 - (mean - low) / (high - low) : 1), $"{region} at {hours[i]:00}:00 {(known ? "local time" : "UTC")}: {Count(counts[hours[i]])} invocations")
                : new TableCell("—"))]);
        }

        var note = "Hours are each region's local time (daylight saving included). Green is the fastest hour, red the slowest, across all models in the region: a hint of time-of-day load, not a controlled comparison.";
        if (unknown.Count > 0)
        {
            note += $" Eval360 does not know the time zone of {string.Join(", ", unknown)}: their hours are UTC.";
        }

        return section.Add(ReportBlock.Tabular(table, note));
    }

    /// <summary>Original and optimized prompts side by side, per model that has both; null when no result used an optimized prompt.</summary>
    private HtmlTable? PromptVariantTable()
    {
        var pairs = _models
            .Where(m => m.Summary.ModelId.EndsWith(PromptVariants.OptimizedSuffix, StringComparison.Ordinal))
            .Select(optimized => (Original: _models.FirstOrDefault(m => m.Summary.Region == optimized.Summary.Region
                && m.Summary.ModelId + PromptVariants.OptimizedSuffix == optimized.Summary.ModelId), Optimized: optimized))
            .ToList();
        if (pairs.Count == 0)
        {
            return null;
        }

        var table = NewTable("prompt-variants", "Original and optimized prompts")
            .Column("Model", numeric: false).Column("Prompt", numeric: false).Column("Invocations").Column("Success rate").Column("Pass rate").Column("Mean score")
            .Column("TTFT p50 (s)").Column("Output tokens").Column("Cost");
        foreach (var (original, optimized) in pairs)
        {
            foreach (var (row, variant) in new[] { (original, PromptVariants.Original), (optimized, PromptVariants.Optimized) })
            {
                if (row is null)
                {
                    continue;
                }

                var s = row.Summary;
                table.Row(row.Label, variant, Num(s.Invocations, Count(s.Invocations)), Pct(s.Invocations > 0 ? s.Succeeded / (double)s.Invocations : null, heat: true),
                    Pct(s.PassRate, heat: true), Num(s.OverallScore, Score(s.OverallScore)), Sec(s.TimeToFirstTokenP50), Num(s.OutputTokens, Count(s.OutputTokens)), Num(s.Cost, Usd(s.Cost)));
            }
        }

        return table;
    }

    private ReportSection Temperatures()
    {
        var section = new ReportSection("temperature", "Temperature and prompt variant",
            "The same scenarios at several temperatures (-TemperatureVariations), and with Bedrock's optimized prompts beside the originals (-PromptOptimization EvaluateBoth): quality, latency and cost of each.");
        if (PromptVariantTable() is { } variants)
        {
            section.Add(ReportBlock.Tabular(variants, "Each Bedrock model with its original prompts and, on the next row, the prompts Bedrock's prompt optimization rewrote for it (the same scenarios)."));
        }

        if (_data.Temperatures.Count < 2)
        {
            return section.Add(ReportBlock.Empty($"One temperature ran ({Number(_data.Temperatures.FirstOrDefault(), "0.###")}); use -TemperatureVariations to compare several."));
        }

        var temperatures = _data.Temperatures.ToList();
        var temperatureLabels = temperatures.Select(t => Number(t, "0.###")).ToList();
        var table = NewTable("temperature-table", "Per model and temperature")
            .Column("Model", numeric: false).Column("Temperature").Column("Invocations").Column("Success rate").Column("Pass rate").Column("Mean score")
            .Column("TTFT p50 (s)").Column("TTLB p50 (s)").Column("Cost / response");
        foreach (var m in _models)
        {
            foreach (var (temperature, g) in m.Figures.ByTemperature)
            {
                table.Row(m.Label, Num(temperature, Number(temperature, "0.###")), Num(g.Counts.Invocations, Count(g.Counts.Invocations)), Pct(g.Counts.SuccessRate, heat: true), Pct(g.Counts.PassRate, heat: true),
                    Num(g.Counts.MeanScore, Score(g.Counts.MeanScore)), Sec(g.Latency.TimeToFirstToken.Quantile(0.5)), Sec(g.Latency.TimeToLastByte.Quantile(0.5)), Num(g.Counts.ModelCostPerResponse, Usd(g.Counts.ModelCostPerResponse)));
            }
        }

        IReadOnlyList<double?> Across(ModelRow m, Func<GroupFigures, double?> pick) =>
            temperatures.Select(t => m.Figures.ByTemperature.TryGetValue(t, out var g) ? pick(g) : null).ToList();
        var latency = _models.Select(m => new LineSeries(m.Label, m.Color, Across(m, g => g.Latency.TimeToFirstToken.Quantile(0.5)))).ToList();
        var latencyChart = Charts.Lines(ChartId(), "Median time to first token per temperature and model",
            "Lines: each model's median time to first token in seconds at each temperature.", temperatureLabels, latency, "temperature", "seconds", v => Seconds(v));
        const string Approximate = "Medians per temperature are read from the distributions (within about 1%).";
        if (!HasJury)
        {
            return section.Add(ReportBlock.Chart("Median time to first token by temperature", latencyChart, table, Approximate));
        }

        section.Add(ReportBlock.Chart("Mean score by temperature",
            Charts.Lines(ChartId(), "Mean score per temperature and model", "Lines: each model's mean jury score (1 to 5) at each temperature.", temperatureLabels,
                _models.Select(m => new LineSeries(m.Label, m.Color, Across(m, g => g.Counts.MeanScore))).ToList(), "temperature", "mean score", v => Score(v), 1, 5),
            table));
        var latencyTable = NewTable("temperature-latency", "Median time to first token per model and temperature (seconds)").Column("Model", numeric: false);
        foreach (var t in temperatures)
        {
            latencyTable.Column(Number(t, "0.###"));
        }

        foreach (var line in latency)
        {
            latencyTable.Row([line.Label, .. line.Values.Select(v => Sec(v))]);
        }

        return section.Add(ReportBlock.Chart("Median time to first token by temperature", latencyChart, latencyTable, Approximate));
    }
}
