using Eval360.Statistics;
using static Eval360.Reporting.Html;

namespace Eval360.Reporting;

/// <summary>
/// "What we found": the report's opening, written from the numbers by fixed rules, so the same results always read
/// the same — the best model overall (or the models tied for it), the best on quality overall and per task type, the
/// fastest, the cheapest that reaches the quality floor, the Pareto frontier, the models below the floor; then what
/// should temper any conclusion: simulated data, no jury, small samples, a disagreeing jury, throttling, failures, a
/// pass rate too close to the floor to be sure of its side.
/// </summary>
internal sealed record Verdict(IReadOnlyList<string> Findings, IReadOnlyList<string> Caveats)
{
    /// <summary>Fewer judged answers (or latencies) than this make a small sample.</summary>
    public const int SmallSample = 30;

    /// <summary>Judges unanimous on fewer answers than this share make a disagreeing jury.</summary>
    public const double UnanimousMinimum = 0.6;

    /// <summary>Answers with two or more usable verdicts needed before agreement is judged.</summary>
    public const int AgreementMinimum = 10;

    /// <summary>Throttled (by the provider or by pacing) on more than this share of calls is worth a caveat.</summary>
    public const double ThrottledShare = 0.05;

    /// <summary>Failing more than this share of calls is worth a caveat.</summary>
    public const double FailedShare = 0.05;

    public static Verdict Of(ModelRanking ranking, ReportAccumulator data)
    {
        ArgumentNullException.ThrowIfNull(ranking);
        ArgumentNullException.ThrowIfNull(data);
        var findings = new List<string>();
        var caveats = new List<string>();
        var models = ranking.Models;
        if (models.Count == 0)
        {
            return new Verdict(findings, caveats);
        }

        bool jury = data.Overall.Judged > 0;
        double floor = ranking.Options.QualityFloor;
        Overall(findings, models, ranking.FloorApplies, floor);
        if (jury && models.Count > 1)
        {
            Quality(findings, ranking, data);
        }

        Fastest(findings, models);
        Cheapest(findings, models, ranking.FloorApplies);
        Frontier(findings, models);
        var below = models.Where(m => m.BelowFloor).ToList();
        if (below.Count > 0 && below.Count < models.Count)
        {
            findings.Add($"Below the quality floor (pass rate under {Percent(floor)}), so ranked after every other model whatever their speed or price: {Join(below.Select(m => $"{m.Label} ({Rate(m.Summary)})"))}.");
        }

        Caveat(caveats, ranking, data, jury, floor);
        return new Verdict(findings, caveats);
    }

    private static void Overall(List<string> findings, IReadOnlyList<RankedModel> models, bool floorApplies, double floor)
    {
        var top = models[0];
        if (models.Count == 1)
        {
            findings.Add($"One model was measured, {top.Label} (composite {Composite(top)}): there is nothing to compare it with.");
            return;
        }

        if (floorApplies && top.BelowFloor)
        {
            findings.Add($"No model reaches the quality floor (a pass rate of {Percent(floor)}): the best of them, {top.Label}, passes {Rate(top.Summary)}. None of them is fit for these tasks as measured.");
            return;
        }

        var tied = models.Where(m => m.Summary.Rank == top.Summary.Rank).ToList();
        if (tied.Count > 1)
        {
            findings.Add($"Best overall: {Join(tied.Select(m => m.Label))} are tied (composite {Join(tied.Select(Composite))}): the differences between them are within their 95% uncertainty.");
            return;
        }

        var next = models[1];
        findings.Add($"Best overall: {top.Label} (composite {Composite(top)}; next {next.Label}, {Composite(next)}).");
    }

    private static void Quality(List<string> findings, ModelRanking ranking, ReportAccumulator data)
    {
        var groups = ranking.QualityGroups();
        if (groups.Count == 0)
        {
            return;
        }

        var best = groups[0];
        var leader = best[0];
        var text = $"Best quality: {leader.Label}, passing {Rate(leader.Summary)}{Within(leader.Summary)}, mean score {Score(leader.Summary.OverallScore)}";
        if (best.Count > 1)
        {
            text += $"; not significantly different: {Join(best.Skip(1).Select(m => $"{m.Label} ({Percent(m.Summary.PassRate)})"))}";
        }

        findings.Add(text + ".");
        if (data.TaskTypes.Count < 2)
        {
            return;
        }

        var perTask = new List<string>();
        foreach (var task in data.TaskTypes)
        {
            var cells = ranking.Models
                .Select(m => (Model: m, Counts: data.Models[m.Key].ByTaskType.GetValueOrDefault(task)?.Counts))
                .Where(c => c.Counts is { Judged: > 0 })
                .OrderByDescending(c => c.Counts!.PassRate)
                .ThenByDescending(c => c.Counts!.MeanScore ?? 0)
                .ToList();
            if (cells.Count == 0)
            {
                continue;
            }

            var first = cells[0];
            var line = $"{task}: {first.Model.Label} ({first.Counts!.Passed}/{first.Counts.Judged} passed)";
            if (cells.Count > 1)
            {
                var second = cells[1];
                var a = Draws.Proportion(first.Counts.Passed, first.Counts.Judged, Draws.SeedOf(first.Model.Key + "|" + task));
                var b = Draws.Proportion(second.Counts!.Passed, second.Counts.Judged, Draws.SeedOf(second.Model.Key + "|" + task));
                var runnerUp = $"{second.Model.Label} ({second.Counts.Passed}/{second.Counts.Judged})";
                line += first.Counts.PassRate == second.Counts.PassRate ? $", level with {runnerUp}"
                    : ModelRanking.Differ(a, b) ? $", ahead of {runnerUp}"
                    : $", not significantly ahead of {runnerUp}";
            }

            perTask.Add(line);
        }

        if (perTask.Count > 0)
        {
            findings.Add("Best per task type: " + string.Join("; ", perTask) + ".");
        }
    }

    private static void Fastest(List<string> findings, IReadOnlyList<RankedModel> models)
    {
        var timed = models.Where(m => m.Summary.TimeToFirstTokenP50 is not null).OrderBy(m => m.Summary.TimeToFirstTokenP50).ToList();
        if (timed.Count < 2)
        {
            return;
        }

        var fastest = timed[0];
        var text = $"Fastest to the first token: {fastest.Label} (median {Seconds(fastest.Summary.TimeToFirstTokenP50)} s over {Count(fastest.Summary.LatencySamples)} calls; next {timed[1].Label}, {Seconds(timed[1].Summary.TimeToFirstTokenP50)} s)";
        findings.Add(fastest.BelowFloor ? text + $", but it passes only {Rate(fastest.Summary)}, below the quality floor." : text + ".");
    }

    private static void Cheapest(List<string> findings, IReadOnlyList<RankedModel> models, bool floorApplies)
    {
        var priced = models.Where(m => m.Summary.ModelCostPerResponse is not null && (!floorApplies || !m.BelowFloor))
            .OrderBy(m => m.Summary.ModelCostPerResponse).ToList();
        if (priced.Count == 0 || models.Count < 2)
        {
            return;
        }

        var cheapest = priced[0];
        var what = floorApplies ? "Cheapest model above the quality floor" : "Cheapest";
        findings.Add(cheapest.Summary.ModelCostPerResponse == 0
            ? $"{what}: {cheapest.Label}, priced at $0 by its profile."
            : $"{what}: {cheapest.Label} ({Usd(cheapest.Summary.ModelCostPerResponse)} per successful response, its own calls only).");
    }

    private static void Frontier(List<string> findings, IReadOnlyList<RankedModel> models)
    {
        if (models.Count < 2)
        {
            return;
        }

        var frontier = models.Where(m => m.Summary.ParetoOptimal).Select(m => m.Label).ToList();
        var rankOf = models.ToDictionary(m => m.Label, m => m.Summary.Rank, StringComparer.Ordinal);
        string Dominated(RankedModel m)
        {
            // Dominance is on point estimates; a dominator the ranking cannot tell apart from this model is said so.
            var tied = m.Summary.DominatedBy.Where(d => rankOf.GetValueOrDefault(d) == m.Summary.Rank).ToList();
            return tied.Count == 0 ? $"{m.Label} (by {Join(m.Summary.DominatedBy)})"
                : $"{m.Label} (by {Join(m.Summary.DominatedBy)}; tied in the ranking with {Join(tied)}, so by less than the uncertainty)";
        }

        var dominated = models.Where(m => !m.Summary.ParetoOptimal).Select(Dominated).ToList();
        var text = frontier.Count == 1
            ? $"Pareto frontier: {frontier[0]} alone — no other model is as good on quality, median time to first token and cost per response"
            : $"Pareto frontier (quality, median time to first token, cost per response — each of these is best at some trade-off): {Join(frontier)}";
        findings.Add(dominated.Count > 0 ? text + $". Dominated: {string.Join("; ", dominated)}." : text + ".");
    }

    private static void Caveat(List<string> caveats, ModelRanking ranking, ReportAccumulator data, bool jury, double floor)
    {
        var overall = data.Overall;
        var models = ranking.Models;
        if (overall.Simulated == overall.Invocations)
        {
            caveats.Add("Simulated data: every result comes from Eval360's built-in simulator (sim/ models). These findings describe the simulator, not any real model.");
        }
        else if (overall.Simulated > 0)
        {
            caveats.Add($"Partly simulated: {Join(models.Where(m => m.Summary.Simulated).Select(m => m.Label))} come from the built-in simulator; their figures are not measurements.");
        }

        if (!jury)
        {
            caveats.Add(overall.LatencyOnly == overall.Invocations
                ? "Latency only: no answer was judged, so nothing here says whether the answers are any good. The ranking weighs latency, cost and reliability alone; a fast model may answer badly."
                : "No answer received a usable verdict, so quality is not part of the ranking.");
        }

        var small = models.Where(m => jury ? m.Summary.Judged < SmallSample : m.Summary.LatencySamples < SmallSample)
            .Select(m => jury ? $"{m.Label} ({Count(m.Summary.Judged)} judged)" : $"{m.Label} ({Count(m.Summary.LatencySamples)} timed)").ToList();
        if (small.Count > 0)
        {
            caveats.Add($"Small samples: {Join(small)}, under {SmallSample} each. Intervals are wide and ties likely; run more invocations (-InvocationsPerScenario, -ExperimentCount) before deciding.");
        }

        if (jury && data.Statistics.Agreement() is { Items: >= AgreementMinimum } agreement && agreement.UnanimousShare < UnanimousMinimum)
        {
            caveats.Add($"The judges often disagreed: unanimous on pass or fail for only {Percent(agreement.UnanimousShare)} of {Count(agreement.Items)} answers (mean gap {Score(agreement.MeanSpread)} points between the most and least generous). Quality differences are less certain than their intervals say.");
        }

        foreach (var m in models)
        {
            var s = m.Summary;
            if (s.Invocations == 0)
            {
                continue;
            }

            double providerShare = s.ProviderThrottles / (double)s.Invocations, pacedShare = s.ThrottleEvents / (double)s.Invocations;
            if (providerShare > ThrottledShare)
            {
                caveats.Add($"Throttling: the provider answered HTTP 429 on {Percent(providerShare)} of {m.Label}'s calls ({Count(s.Retries)} retries): its latency and reliability show rate limits as much as the model.");
            }
            else if (pacedShare > ThrottledShare)
            {
                caveats.Add($"Pacing: {Percent(pacedShare)} of {m.Label}'s calls waited for their turn (target_rpm), {Seconds(s.MeanThrottleWaitSeconds)} s on average; the waits are not in its latency.");
            }

            double failedShare = s.Failed / (double)s.Invocations;
            if (failedShare > FailedShare)
            {
                caveats.Add($"Failures: {m.Label} failed {Percent(failedShare)} of its calls ({string.Join(", ", s.Errors.OrderByDescending(e => e.Value).Take(3).Select(e => $"{e.Key} × {e.Value}"))}).");
            }
        }

        if (ranking.FloorApplies)
        {
            var near = models.Where(m => m.Summary.PassRateCiLow < floor && m.Summary.PassRateCiHigh >= floor && m.Summary.PassRateCiLow != m.Summary.PassRateCiHigh).ToList();
            if (near.Count > 0)
            {
                caveats.Add($"Close to the quality floor ({Percent(floor)}): {Join(near.Select(m => $"{m.Label} ({Rate(m.Summary)}{Within(m.Summary)})"))} — the interval spans the floor, so which side it is on is not certain.");
            }
        }
    }

    private static string Rate(ModelSummary s) => s.PassRate is null ? "no judged answer" : $"{Percent(s.PassRate)} ({s.Passed}/{s.Judged})";

    private static string Within(ModelSummary s) =>
        s.PassRateCiLow is double low && s.PassRateCiHigh is double high ? $", 95% CI {Percent(low)}–{Percent(high)}" : string.Empty;

    private static string Composite(RankedModel m) => Number(m.Composite.Value, "0.0");

    private static string Join(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count switch
        {
            0 => "none",
            1 => list[0],
            _ => string.Join(", ", list.Take(list.Count - 1)) + " and " + list[^1],
        };
    }
}
