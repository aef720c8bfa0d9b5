using Eval360.Calls;
using Eval360.Configuration;
using Eval360.Providers;
using Eval360.Results;

namespace Eval360.Execution;

/// <summary>Turns a work item and its call outcome into the public <see cref="InvocationResult"/>.</summary>
internal static class ResultFactory
{
    /// <param name="planId">The plan the result belongs to (<see cref="InvocationResult.PlanId"/>); null for none.</param>
    public static InvocationResult Create(WorkItem item, CallOutcome outcome, RunManifest run, string? planId, BenchmarkOptions options, SecretRedactor redactor)
    {
        var model = item.Model;
        var scenario = item.Scenario;
        var result = new InvocationResult
        {
            RunId = run.RunId,
            PlanId = planId,
            ExperimentName = run.ExperimentName,
            Experiment = item.Experiment,
            ScenarioId = item.ScenarioId,
            Invocation = item.Invocation,
            TaskType = scenario.TaskType,
            TaskCriteria = scenario.TaskCriteria,
            Prompt = item.Prompt,
            GoldenAnswer = scenario.GoldenAnswer,
            ModelId = model.DisplayName,
            Provider = model.Provider.Prefix,
            Region = model.Region,
            ServiceTier = model.ServiceTier,
            ServiceTierFallback = model.RefusedServiceTier,
            Temperature = item.Temperature,
            PromptVariant = item.PromptVariant,
            EvalType = options.LatencyOnly ? EvalTypes.LatencyOnly : EvalTypes.Judged,
            Retries = outcome.Retries,
            Throttled = outcome.PacingWait > TimeSpan.Zero,
            ThrottleWaitSeconds = Math.Round(outcome.PacingWait.TotalSeconds, 4),
            TargetRpm = model.TargetRpm,
            ActualRpm = outcome.ActualRpm,
            ProviderThrottles = outcome.ProviderThrottles,
            Simulated = model.IsSimulated,
            Key = item.Key,
        };

        if (outcome.Measurement is { } m)
        {
            result.Status = InvocationStatus.Succeeded;
            result.Response = m.Answer;
            result.ReasoningResponse = m.Reasoning;
            result.FinishReason = m.FinishReason;
            result.TimeToFirstToken = Math.Round(m.TimeToFirstToken, 6);
            result.TimeToLastByte = Math.Round(m.TimeToLastByte, 6);
            result.InterTokenLatency = m.InterTokenLatency is double itl ? Math.Round(itl, 6) : null;
            result.OutputTokensPerSecond = m.OutputTokensPerSecond is double tps ? Math.Round(tps, 3) : null;
            result.InputTokens = m.InputTokens;
            result.OutputTokens = m.OutputTokens;
            result.TokensEstimated = m.TokensEstimated;
            result.Cost = model.CostOf(m.InputTokens, m.OutputTokens);
            result.StartedAt = m.StartedAt;
            result.ServedServiceTier = m.ServedTier;
        }
        else
        {
            var failure = outcome.Failure!;
            result.Status = InvocationStatus.Failed;
            result.ErrorCode = failure.Code;
            result.ErrorMessage = redactor.Redact(failure.Message);
            result.Response = outcome.PartialAnswer ?? string.Empty;
            result.StartedAt = DateTimeOffset.UtcNow;
        }

        return result;
    }
}
