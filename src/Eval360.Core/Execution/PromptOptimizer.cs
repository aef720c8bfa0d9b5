using System.Threading.Channels;
using Eval360.Calls;
using Eval360.Configuration;
using Eval360.Providers;
using Eval360.Results;

namespace Eval360.Execution;

/// <summary>
/// Amazon Bedrock's prompt optimization, for a run (<c>-PromptOptimization</c>) and on its own
/// (<c>Optimize-Eval360Prompt</c>). In a run, each scenario's prompt is optimized once per target model whose provider
/// optimizes prompts, before the first measured call: all pairs at once, up to <see cref="BenchmarkOptions.ParallelCalls"/>
/// at a time, each paced at its model's <c>target_rpm</c> (on buckets of their own, so the model's measured calls and
/// achieved rate are untouched) and retried like every call. Each outcome goes into <c>prompt_optimization_log.json</c> as
/// it is known; a resumed run reuses what the log holds and asks only for what it lacks. Models of other providers are
/// logged as skipped and failed optimizations as failed: both keep their original prompt only.
/// </summary>
public static class PromptOptimizer
{
    /// <summary>
    /// The output limit an optimization request carries for the caller's sake: OptimizePrompt takes none. Its calls are
    /// paced by requests only (<c>target_rpm</c>); <c>target_tpm</c> counts the model's own tokens, which they do not use.
    /// </summary>
    private const int RequestOutputLimit = 1024;

    /// <summary>Optimizes what the log does not hold yet for <paramref name="models"/> (the run's accessible candidates) and returns every decision.</summary>
    internal static async Task<OptimizedPrompts> RunAsync(BenchmarkPlan plan, IReadOnlyList<ModelProfile> models, PromptOptimizationLog log,
        ProviderSet providers, TimeProvider time, ChannelWriter<RunEvent> events, CancellationToken cancellationToken)
    {
        var known = OptimizedPrompts.Of(log.Entries);
        var pending = new List<(string ScenarioId, Scenario Scenario, ModelProfile Model)>();
        foreach (var model in models.DistinctBy(m => m.ModelId))
        {
            foreach (var (id, scenario) in plan.Scenarios)
            {
                if (known.Decision(id, model) is not null)
                {
                    continue;
                }

                if (ProviderSet.OptimizesPrompts(model))
                {
                    pending.Add((id, scenario, model));
                }
                else
                {
                    log.Add(Entry(id, scenario, model, time, PromptOptimizationStatus.Skipped,
                        $"{model.Provider.Prefix}/ models have no prompt optimization (it is Amazon Bedrock's): the original prompt only"));
                }
            }
        }

        if (pending.Count > 0)
        {
            await events.WriteAsync(new RunNotice($"Optimizing {pending.Count} prompt(s) for {pending.Select(p => p.Model.ModelId).Distinct().Count()} Bedrock model(s)"), cancellationToken).ConfigureAwait(false);
            using var pacer = new TokenBucketPacer(time);
            using var caller = new ModelCaller(pacer, CallLimits.Of(plan.Options), time);
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = plan.Options.ParallelCalls, CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(pending, parallel, async (pair, token) =>
            {
                var outcome = await OptimizeOneAsync(caller, providers, pair.Model, pair.Scenario.Prompt, token).ConfigureAwait(false);
                log.Add(outcome.Measurement is { } m
                    ? Entry(pair.ScenarioId, pair.Scenario, pair.Model, time, PromptOptimizationStatus.Optimized, null) with { OptimizedPrompt = m.Answer, Analysis = m.Reasoning }
                    : Entry(pair.ScenarioId, pair.Scenario, pair.Model, time, PromptOptimizationStatus.Failed, Reason(outcome, providers.Redactor)));
            }).ConfigureAwait(false);
        }

        log.Save();
        var entries = log.Entries;
        var failed = entries.Where(e => e.Status == PromptOptimizationStatus.Failed).ToList();
        if (failed.Count > 0)
        {
            await events.WriteAsync(new RunWarning(
                $"{failed.Count} of {entries.Count(e => e.Status != PromptOptimizationStatus.Skipped)} prompt optimization(s) failed and run with the original prompt only " +
                $"(first: {failed[0].ModelId}, scenario {failed[0].ScenarioId}: {failed[0].Reason}); {PromptOptimizationLog.FileName} lists each", "PromptOptimizationFailed"), cancellationToken).ConfigureAwait(false);
        }

        return OptimizedPrompts.Of(entries);
    }

    /// <summary>
    /// Optimizes each prompt for <paramref name="targetModel"/>, up to <paramref name="parallel"/> at a time, reporting each
    /// as it finishes: a <see cref="PromptOptimized"/> event, or a <see cref="PromptNotOptimized"/> one with the reason.
    /// </summary>
    /// <param name="targetModel">A Bedrock model id, with or without <c>bedrock/</c>.</param>
    /// <param name="region">The AWS region; null takes <c>AWS_REGION</c> (or <c>AWS_DEFAULT_REGION</c>) from the environment or <c>.env</c>.</param>
    /// <param name="endpoint">A Bedrock endpoint override, as a profile's <c>endpoint</c>; null for AWS's.</param>
    /// <param name="workingDirectory">Where a <c>.env</c> file is looked for (the PowerShell location).</param>
    /// <exception cref="ConfigurationException">The target is not a Bedrock model, or the region or endpoint breaks a profile rule.</exception>
    public static async Task OptimizeAsync(IReadOnlyList<string> prompts, string targetModel, string? region, Uri? endpoint, string workingDirectory, int parallel,
        ChannelWriter<RunEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(targetModel);
        ArgumentNullException.ThrowIfNull(events);
        var time = TimeProvider.System;
        using var providers = new ProviderSet(workingDirectory, time);
        var target = Target(targetModel, region ?? providers.Setting("AWS_REGION") ?? providers.Setting("AWS_DEFAULT_REGION"), endpoint);
        using var pacer = new TokenBucketPacer(time);
        using var caller = new ModelCaller(pacer, CallLimits.Of(new BenchmarkOptions()), time);
        var settings = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallel), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(prompts, settings, async (prompt, token) =>
        {
            var outcome = await OptimizeOneAsync(caller, providers, target, prompt, token).ConfigureAwait(false);
            RunEvent result = outcome.Measurement is { } m
                ? new PromptOptimized(new PromptOptimization { TargetModel = target.ModelId, Region = target.Region, Original = prompt, Optimized = m.Answer, Analysis = m.Reasoning })
                : new PromptNotOptimized(prompt, outcome.Failure!.Kind, providers.Redactor.Redact(outcome.Failure.Message));
            await events.WriteAsync(result, token).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    /// <summary>The target as a profile, held to the profile rules; only a provider with prompt optimization will do.</summary>
    private static ModelProfile Target(string targetModel, string? region, Uri? endpoint)
    {
        const string Source = "the parameters (-TargetModel, -Region, -Endpoint)";
        var modelId = targetModel.Contains('/', StringComparison.Ordinal) ? targetModel : "bedrock/" + targetModel;
        var findings = new List<ConfigFinding>();
        var target = ProfileFile.FromFields(
            new Dictionary<string, string?> { ["model_id"] = modelId, ["region"] = region, ["endpoint"] = endpoint?.AbsoluteUri },
            ProfileRole.Candidate, Source, findings, ProviderSet.Catalog);
        if (target is null)
        {
            throw new ConfigurationException(findings);
        }

        if (!ProviderSet.OptimizesPrompts(target))
        {
            throw new ConfigurationException(Source, "model_id",
                $"'{target.ModelId}': prompt optimization is Amazon Bedrock's; give a Bedrock model (bedrock/amazon.nova-pro-v1:0)");
        }

        return target;
    }

    private static Task<CallOutcome> OptimizeOneAsync(ModelCaller caller, ProviderSet providers, ModelProfile model, string prompt, CancellationToken cancellationToken) =>
        caller.CallAsync(model with { TargetTpm = null }, providers.Optimizer(model), new ChatRequest { Prompt = prompt, MaxOutputTokens = RequestOutputLimit }, cancellationToken);

    private static PromptOptimizationEntry Entry(string scenarioId, Scenario scenario, ModelProfile model, TimeProvider time, string status, string? reason) => new()
    {
        ScenarioId = scenarioId,
        ModelId = model.ModelId,
        Region = model.Region,
        Status = status,
        Reason = reason,
        OriginalPrompt = scenario.Prompt,
        At = time.GetUtcNow(),
    };

    private static string Reason(CallOutcome outcome, SecretRedactor redactor) =>
        redactor.Redact($"{outcome.Failure!.Code}: {outcome.Failure.Message}{(outcome.Retries > 0 ? $" (after {outcome.Retries} retries)" : string.Empty)}");
}
