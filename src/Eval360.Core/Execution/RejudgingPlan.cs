using System.Globalization;
using System.Text;
using Eval360.Configuration;
using Eval360.Jury;
using Eval360.Results;

namespace Eval360.Execution;

/// <summary>
/// What a re-judging holds and would do, counted in one pass over the saved results: how many a jury can judge, how
/// many pass through unjudged (failed invocations, latency-only results), how many an earlier session already wrote,
/// which candidates and runs they come from, and what judging the rest would cost. Nothing here calls anything.
/// </summary>
public sealed class RejudgingPlan
{
    private readonly List<string> _candidates = [];
    private readonly List<string> _metrics = [.. Dimensions.Core];
    private readonly List<RejudgedRun> _runs = [];

    /// <summary>Distinct results (a result listed twice counts once).</summary>
    public int Total { get; private set; }

    /// <summary>Results a jury can judge: the candidate answered, and not in a latency-only run.</summary>
    public int Judgeable { get; private set; }

    /// <summary>Failed invocations: passed through unjudged.</summary>
    public int FailedInvocations { get; private set; }

    /// <summary>Latency-only results: passed through unjudged.</summary>
    public int LatencyOnly { get; private set; }

    public int PassedThrough => FailedInvocations + LatencyOnly;

    /// <summary>Results not yet on disk (a resumed re-judging counts only these).</summary>
    public int Remaining { get; private set; }

    /// <summary>Of <see cref="Remaining"/>, those to judge: the judge calls are this × the judges.</summary>
    public int RemainingToJudge { get; private set; }

    /// <summary>Results an earlier session of a resumed re-judging already judged.</summary>
    public int AlreadyJudged { get; private set; }

    /// <summary>The candidates whose answers are judged, as results name them.</summary>
    public IReadOnlyList<string> Candidates => _candidates;

    /// <summary>The metrics the results were judged on before: the six core dimensions, then user metrics in order of appearance.</summary>
    public IReadOnlyList<string> EarlierMetrics => _metrics;

    /// <summary>The runs the results come from, with the jury that had judged them.</summary>
    public IReadOnlyList<RejudgedRun> Runs => _runs;

    /// <summary>The source's experiment name when there is one, else <c>Eval360</c>: it names the new directory.</summary>
    public string ExperimentName { get; private set; } = "Eval360";

    /// <summary>True when every result comes from Eval360's built-in simulator.</summary>
    public bool Simulated { get; private set; } = true;

    /// <summary>Estimated prompt tokens of one judge call on each remaining result to judge, summed.</summary>
    internal long JudgeInputTokens { get; private set; }

    /// <summary>A judge call's prompt, in tokens, estimated as a projection does: its texts at about four characters a token, plus the instructions.</summary>
    internal static long JudgeInputTokensOf(InvocationResult result) =>
        PlanDescription.Tokens(result.Prompt) + PlanDescription.Tokens(result.GoldenAnswer) + PlanDescription.Tokens(result.TaskCriteria)
        + PlanDescription.Tokens(result.Response) + JudgePrompt.InstructionTokens;

    internal static RejudgingPlan Of(IEnumerable<(InvocationResult Result, string? Path)> results, IReadOnlySet<string> finished)
    {
        var plan = new RejudgingPlan();
        var candidates = new HashSet<string>(StringComparer.Ordinal);
        var runs = new Dictionary<(string, string?), int>();
        var experiments = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (result, path) in results)
        {
            plan.Total++;
            bool done = finished.Contains(Rejudging.Identity(result));
            plan.Remaining += done ? 0 : 1;
            plan.Simulated &= result.Simulated;
            if (result.ExperimentName.Length > 0)
            {
                experiments.Add(result.ExperimentName);
            }

            // A run's entry names the jury that had judged it: the first judged result says (failed ones have none).
            if (!runs.TryGetValue((result.RunId, path), out int run))
            {
                runs[(result.RunId, path)] = plan._runs.Count;
                plan._runs.Add(new RejudgedRun(result.RunId, result.JuryId, path));
            }
            else if (plan._runs[run].JuryId is null && result.JuryId is not null)
            {
                plan._runs[run] = plan._runs[run] with { JuryId = result.JuryId };
            }

            if (!Rejudging.Judgeable(result))
            {
                if (result.IsSucceeded())
                {
                    plan.LatencyOnly++;
                }
                else
                {
                    plan.FailedInvocations++;
                }

                continue;
            }

            plan.Judgeable++;
            foreach (var metric in EarlierMetricsOf(result))
            {
                if (!plan._metrics.Contains(metric, StringComparer.OrdinalIgnoreCase))
                {
                    plan._metrics.Add(metric);
                }
            }

            if (candidates.Add(result.ModelId))
            {
                plan._candidates.Add(result.ModelId);
            }

            if (done)
            {
                plan.AlreadyJudged++;
            }
            else
            {
                plan.RemainingToJudge++;
                plan.JudgeInputTokens += JudgeInputTokensOf(result);
            }
        }

        plan.Simulated &= plan.Total > 0;
        if (experiments.Count == 1)
        {
            plan.ExperimentName = experiments.Single();
        }

        return plan;
    }

    /// <summary>
    /// The metrics a result was judged on before: the six core dimensions, then the user metrics its scores (or, when
    /// its jury gave none, its first verdict with scores) name.
    /// </summary>
    internal static IReadOnlyList<string> EarlierMetricsOf(InvocationResult result)
    {
        var before = result.Scores.Count > 0 ? result.Scores.Keys : result.Judges.FirstOrDefault(j => j.Scores.Count > 0)?.Scores.Keys ?? [];
        return Dimensions.For(before.Where(m => !Dimensions.Core.Contains(m, StringComparer.OrdinalIgnoreCase)).ToList(), []);
    }

    /// <summary>What the remaining judge calls would cost: at least, as expected, at most.</summary>
    public CostRange Cost(IReadOnlyList<ModelProfile> judges) =>
        judges.Aggregate(CostRange.Zero, (total, judge) => total.Add(PlanDescription.JudgeCost(judge, JudgeInputTokens, JudgeInputTokens, RemainingToJudge)));

    /// <summary>The <c>-WhatIf</c> text: calls and cost per judge, what passes through, what was done before.</summary>
    public string Describe(IReadOnlyList<ModelProfile> judges, BenchmarkOptions options, bool resumed)
    {
        ArgumentNullException.ThrowIfNull(judges);
        ArgumentNullException.ThrowIfNull(options);
        var text = new StringBuilder();
        void Line(string s) => text.Append(s).Append(Environment.NewLine);
        Line($"What if: Eval360 would judge {RemainingToJudge} saved response(s) again with {judges.Count} judge(s): {RemainingToJudge * judges.Count} judge calls" +
             $"{(resumed ? $" ({Total - Remaining} of {Total} results already done)" : string.Empty)}. No candidate is called again, and no call is made now.");
        if (PassedThrough > 0)
        {
            Line($"{PassedThrough} result(s) pass through unjudged, as they are: {FailedInvocations} failed invocation(s), {LatencyOnly} latency-only.");
        }

        Line(string.Empty);
        Line(PlanDescription.Header("judge"));
        foreach (var judge in judges)
        {
            var cost = PlanDescription.JudgeCost(judge, JudgeInputTokens, JudgeInputTokens, RemainingToJudge);
            Line(PlanDescription.Row(judge.DisplayName, judge.Region, RemainingToJudge, JudgeInputTokens, RemainingToJudge * (long)JudgePrompt.ExpectedOutputTokens, cost));
        }

        Line(PlanDescription.Row("total", null, RemainingToJudge * judges.Count, null, null, Cost(judges)));
        Line(string.Empty);
        Line("  From: " + string.Join("; ", Runs.Select(r => $"run {(r.RunId.Length > 0 ? r.RunId : "(no id)")}{(r.JuryId is null ? string.Empty : $" (jury {r.JuryId})")}{(r.Directory is null ? string.Empty : $" in {r.Directory}")}")));
        if (options.MaxCost is double cap)
        {
            Line(string.Format(CultureInfo.InvariantCulture, "  -MaxCost {0:0.####} USD: judging stops before projected spend would pass it.", cap));
        }

        if (judges.Any(j => j.IsSimulated))
        {
            Line("  Judges named sim/… are Eval360's built-in simulator: nothing is called or billed, and their verdicts are simulated.");
        }

        return text.ToString().TrimEnd();
    }
}
