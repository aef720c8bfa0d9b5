using System.Text;
using static Eval360.Reporting.Html;

namespace Eval360.Reporting;

/// <summary>
/// The figures a model is given when asked for a written analysis (-SummaryModel): the ranking, the per-task pass
/// rates, the verdict's findings and caveats — computed figures only, never a prompt, an answer or an error message
/// from the results.
/// </summary>
internal sealed partial class ReportPageBuilder
{
    /// <summary>What the analyst is told to do with the figures.</summary>
    public const string AnalystInstructions =
        "You are analysing the results of an LLM benchmark for someone who must choose a model. Using only the figures " +
        "given (invent none, and keep every model name exactly as written), write a short analysis in plain prose of at " +
        "most 250 words: which model to choose for which need, the trade-offs between quality, latency and cost, and what " +
        "is uncertain (small samples, ties, caveats). Do not repeat the tables.";

    public string Brief()
    {
        var text = new StringBuilder();
        void Line(string line) => text.Append(line).Append('\n');
        Line("Benchmark figures computed by Eval360 (no prompts or answers are included).");
        Line($"Invocations: {_data.Overall.Invocations} ({_data.Overall.Succeeded} succeeded, {_data.Overall.Judged} judged, {_data.Overall.Passed} passed); runs: {_data.RunIds.Count}; task types: {string.Join(", ", _data.TaskTypes)}.");
        if (_data.Overall.Simulated > 0)
        {
            Line($"{_data.Overall.Simulated} of {_data.Overall.Invocations} results are SIMULATED (Eval360's built-in simulator), not measurements of real models.");
        }

        Line($"Ranking weights: {_options.Ranking.Weights.Describe(_ranking.Scale.HasQuality)}; quality floor: pass rate {Percent(_options.Ranking.QualityFloor)}{(_ranking.FloorApplies ? string.Empty : " (not applied: nothing was judged)")}.");
        Line("Models, best first:");
        foreach (var m in _models)
        {
            var s = m.Summary;
            var line = new StringBuilder($"{(s.Tied ? "=" : string.Empty)}{s.Rank}. {m.Label}: composite {Number(m.Composite.Value, "0.0")}");
            if (s.PassRate is not null)
            {
                line.Append($"; pass rate {PercentWithin(s.PassRate, s.PassRateCiLow, s.PassRateCiHigh)} over {s.Judged} judged answers; mean score {ScoreWithin(s.OverallScore, s.OverallScoreCiLow, s.OverallScoreCiHigh)} of 5");
            }

            line.Append($"; time to first token p50 {Seconds(s.TimeToFirstTokenP50)} s, p95 {Seconds(s.TimeToFirstTokenP95)} s over {s.LatencySamples} calls");
            line.Append($"; {Number(s.OutputTokensPerSecond)} tokens/s; model cost per response {Usd(s.ModelCostPerResponse)}; success rate {Percent(s.SuccessRate)}");
            line.Append(s.ParetoOptimal ? "; on the Pareto frontier" : $"; dominated by {string.Join(", ", s.DominatedBy)}");
            if (s.BelowQualityFloor)
            {
                line.Append("; below the quality floor");
            }

            if (s.Simulated)
            {
                line.Append("; simulated");
            }

            Line(line.Append('.').ToString());
        }

        if (HasJury && _data.TaskTypes.Count > 1)
        {
            Line("Pass rate per task type:");
            foreach (var m in _models)
            {
                var cells = m.Figures.ByTaskType.Where(t => t.Value.Counts.Judged > 0).OrderBy(t => t.Key, StringComparer.Ordinal)
                    .Select(t => $"{t.Key} {t.Value.Counts.Passed}/{t.Value.Counts.Judged}");
                Line($"- {m.Label}: {string.Join(", ", cells)}");
            }
        }

        Line("Findings:");
        foreach (var finding in Verdict.Findings)
        {
            Line("- " + finding);
        }

        if (Verdict.Caveats.Count > 0)
        {
            Line("Caveats:");
            foreach (var caveat in Verdict.Caveats)
            {
                Line("- " + caveat);
            }
        }

        return text.ToString();
    }
}
