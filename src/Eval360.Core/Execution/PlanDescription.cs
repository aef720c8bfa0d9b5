using System.Globalization;
using System.Text;
using Eval360.Configuration;
using Eval360.Jury;

namespace Eval360.Execution;

/// <summary>Projected tokens and cost of a set of calls: at least, as expected, and at most.</summary>
public sealed record CostRange(double Min, double Expected, double Max)
{
    public static CostRange Zero { get; } = new(0, 0, 0);

    public CostRange Add(CostRange other) => new(Min + other.Min, Expected + other.Expected, Max + other.Max);
}

/// <summary>What a plan would call and spend, for <c>-WhatIf</c>: nothing here calls a model.</summary>
public static class PlanDescription
{
    /// <summary>The shortest reply a judge can give: bare scores.</summary>
    private const int JudgeMinimumOutput = 50;

    /// <param name="finished">Keys a resumed run already holds; they are not called again.</param>
    /// <param name="changes">Settings a resume changes from the run's saved ones.</param>
    public static string Describe(BenchmarkPlan plan, IReadOnlySet<string>? finished = null, IReadOnlyList<SettingChange>? changes = null)
    {
        var options = plan.Options;
        var text = new StringBuilder();
        var line = (string s) => text.Append(s).Append(Environment.NewLine);
        int alreadyFinished = finished?.Count ?? 0;
        var remaining = finished is { Count: > 0 } ? plan.Items.Where(i => !finished.Contains(i.Key)).ToList() : plan.Items;
        int calls = remaining.Count;
        int optimizations = OptimizationCalls(plan);
        line($"What if: Eval360 benchmark '{options.ExperimentName}' would make {(optimizations > 0 ? $"{optimizations} prompt optimization calls, " : string.Empty)}" +
             $"{calls} model calls{(alreadyFinished > 0 ? $" ({alreadyFinished} of {plan.Items.Count} already done)" : string.Empty)}" +
             $"{(plan.Judges.Count > 0 ? $" and {calls * plan.Judges.Count} judge calls" : " (latency only, no jury)")}. No call is made now.");
        line(string.Empty);
        line(Header("model / judge"));
        var total = CostRange.Zero;
        foreach (var group in remaining.GroupBy(i => i.Model.Key))
        {
            var model = group.First().Model;
            long input = group.Sum(i => Tokens(i.Prompt));
            long output = group.Sum(i => (long)i.Scenario.ExpectedOutputTokens);
            var cost = new CostRange(model.CostOf(input, group.Count()), model.CostOf(input, output), model.CostOf(input, output));
            total = total.Add(cost);
            line(Row(model.DisplayName, model.Region, group.Count(), input, output, cost));
        }

        if (plan.Judges.Count > 0)
        {
            line("  the jury (each judge scores every answer):");
        }

        foreach (var judge in plan.Judges)
        {
            var items = remaining;
            long baseInput = items.Sum(i => Tokens(i.Prompt) + Tokens(i.Scenario.GoldenAnswer) + Tokens(i.Scenario.TaskCriteria) + JudgePrompt.InstructionTokens);
            long responses = items.Sum(i => (long)i.Scenario.ExpectedOutputTokens);
            var cost = JudgeCost(judge, baseInput, baseInput + responses, items.Count);
            total = total.Add(cost);
            line(Row(judge.DisplayName, judge.Region, items.Count, baseInput + responses, items.Count * (long)JudgePrompt.ExpectedOutputTokens, cost));
        }

        line(Row("total", null, calls * (1 + plan.Judges.Count), null, null, total));
        line(string.Empty);
        line($"  Duration: {DurationText(plan, remaining)}");
        if (options.PromptOptimization != PromptOptimizationMode.None)
        {
            line(OptimizationText(plan, optimizations));
        }

        if (options.Shard is { } shard)
        {
            line(string.Format(CultureInfo.InvariantCulture,
                "  Shard {0}: the {1:N0} of the plan's {2:N0} work items whose key falls in it; target_rpm and target_tpm are divided by {3}.",
                shard, plan.Items.Count, plan.WholePlanCount, shard.Count));
        }

        if (options.MaxCost is double cap)
        {
            line(string.Format(CultureInfo.InvariantCulture, "  -MaxCost {0:0.####} USD: scheduling stops before projected spend would pass it.", cap));
        }

        foreach (var settingsLine in Wrap("  Settings: ", SettingsText(options)))
        {
            line(settingsLine);
        }

        if (changes is { Count: > 0 })
        {
            line("  Changed on resume: " + string.Join(", ", changes.Select(c => $"-{c.Setting} {c.From} -> {c.To}")));
        }

        if (plan.UsesSimulator)
        {
            line("  Models named sim/… are Eval360's built-in simulator: nothing is called or billed; their latency, tokens and cost (from the profile's prices) are simulated, not measured.");
        }

        return text.ToString().TrimEnd();
    }

    /// <summary>
    /// What <paramref name="calls"/> calls to a judge cost: at least (the shortest prompts, bare scores), as expected
    /// (a verdict of <see cref="JudgePrompt.ExpectedOutputTokens"/>) and at most (every reply at its token limit).
    /// </summary>
    internal static CostRange JudgeCost(ModelProfile judge, long minimumInputTokens, long inputTokens, long calls) => new(
        judge.CostOf(minimumInputTokens, calls * JudgeMinimumOutput),
        judge.CostOf(inputTokens, calls * JudgePrompt.ExpectedOutputTokens),
        judge.CostOf(inputTokens, calls * JudgePrompt.MaxOutputTokens));

    /// <summary>Prompt tokens as estimated before a call: about four characters each.</summary>
    internal static long Tokens(string text) => (text.Length + 3) / 4;

    /// <summary>The prompt optimization calls still to make: one per scenario and Bedrock model, less what a resumed run's log holds.</summary>
    private static int OptimizationCalls(BenchmarkPlan plan) => plan.Options.PromptOptimization == PromptOptimizationMode.None ? 0
        : plan.Models.Where(Providers.ProviderSet.OptimizesPrompts).DistinctBy(m => m.ModelId)
            .Sum(model => plan.Scenarios.Count(s => plan.Optimized.Decision(s.Id, model) is null));

    private static string OptimizationText(BenchmarkPlan plan, int calls)
    {
        var mode = plan.Options.PromptOptimization;
        var targets = plan.Models.Where(Providers.ProviderSet.OptimizesPrompts).Select(m => m.ModelId).Distinct().Count();
        var effect = mode == PromptOptimizationMode.EvaluateBoth
            ? "each Bedrock model's calls above include its optimized variant beside the original (fewer where an optimization fails)"
            : "each Bedrock model runs the optimized prompt instead of the original (the original where an optimization fails)";
        return targets == 0
            ? $"  Prompt optimization ({mode}): no Bedrock model, so none: every model keeps the original prompt."
            : $"  Prompt optimization ({mode}): {calls} optimization call(s) before the first model call (a scenario × Bedrock model each, not priced); {effect}; other models keep the original prompt only.";
    }

    private static string DurationText(BenchmarkPlan plan, IReadOnlyList<WorkItem> remaining)
    {
        var options = plan.Options;
        int calls = remaining.Count;
        double perWorker = Math.Ceiling(calls / (double)options.ParallelCalls);
        double sleeping = perWorker * options.SleepBetweenInvocations.TotalSeconds;
        double pacing = remaining.GroupBy(i => i.Model.Key)
            .Select(g => g.First().Model.TargetRpm is double rpm ? g.Count() / rpm * 60 : 0)
            .DefaultIfEmpty(0).Max();
        double waits = (options.ExperimentCount - 1) * options.ExperimentWaitTime.TotalSeconds;
        double floor = Math.Max(sleeping, pacing) + waits;
        return string.Format(CultureInfo.InvariantCulture,
            "at least {0} from pacing ({1} workers, {2:0.##} s sleep after each invocation{3}, {4:0.##} s between experiments), plus the models' own latency",
            Format(TimeSpan.FromSeconds(floor)), options.ParallelCalls, options.SleepBetweenInvocations.TotalSeconds,
            pacing > 0 ? ", target RPM" : string.Empty, options.ExperimentWaitTime.TotalSeconds);
    }

    /// <summary>Every setting with its value and unit, as <see cref="RunSettings"/> defines them (the name is in the title).</summary>
    private static IEnumerable<string> SettingsText(BenchmarkOptions options) =>
        RunSettings.All.Where(s => s != RunSettings.ExperimentName).Select(s => $"-{s.Name} {s.Format(s.ValueIn(options))}");

    /// <summary>Joins items with commas into lines of at most 116 characters, the first after <paramref name="lead"/>.</summary>
    private static IEnumerable<string> Wrap(string lead, IEnumerable<string> items)
    {
        var current = new StringBuilder(lead);
        bool first = true;
        foreach (var item in items)
        {
            if (!first && current.Length + item.Length + 2 > 116)
            {
                yield return current.Append(',').ToString();
                current.Clear().Append(' ', lead.Length);
                first = true;
            }

            current.Append(first ? string.Empty : ", ").Append(item);
            first = false;
        }

        yield return current.ToString();
    }

    /// <summary>The plan table's header; with <see cref="Row"/>, 117 characters wide, so it fits a 120-column console.</summary>
    internal static string Header(string first) =>
        string.Format(CultureInfo.InvariantCulture, RowFormat, first, "region", "calls", "input tok", "output tok", "USD min/expected/max");

    /// <summary>One line of the plan table: a long name keeps its provider and its end (family, size, version), losing what lies between.</summary>
    internal static string Row(string name, string? region, int calls, long? input, long? output, CostRange cost) =>
        string.Format(CultureInfo.InvariantCulture, RowFormat,
            Shorten(name, 44), Shorten(region ?? string.Empty, 14), calls, input?.ToString("N0", CultureInfo.InvariantCulture) ?? string.Empty,
            output?.ToString("N0", CultureInfo.InvariantCulture) ?? string.Empty, $"{cost.Min:0.####} / {cost.Expected:0.####} / {cost.Max:0.####}");

    private const string RowFormat = "  {0,-44} {1,-14} {2,6} {3,11} {4,11} {5,24}";

    private static string Shorten(string text, int width)
    {
        if (text.Length <= width)
        {
            return text;
        }

        int keep = Math.Min(text.IndexOf('/', StringComparison.Ordinal) + 1, width / 3);
        return string.Concat(text.AsSpan(0, keep), "…", text.AsSpan(text.Length - (width - keep - 1)));
    }

    private static string Format(TimeSpan span) => span.TotalHours >= 1 ? $"{(int)span.TotalHours} h {span.Minutes} min"
        : span.TotalMinutes >= 1 ? $"{(int)span.TotalMinutes} min {span.Seconds} s"
        : $"{span.TotalSeconds:0.#} s";
}
