using Microsoft.Extensions.Logging;

namespace Eval360.Logging;

/// <summary>
/// Everything the engine logs, in one place: each event's id, level and wording. The engine logs through
/// <see cref="ILogger"/> only; a run's logger (<c>Execution.RunLog</c>) writes <c>run.log</c> in the run directory and
/// hands the lines to the cmdlet, which writes them to the verbose (Information and above) and debug streams. Nothing
/// is logged per chunk or per successful call, so a log stays readable for runs of any size.
/// </summary>
internal static partial class LogEvents
{
    /// <summary>How a model is named in the log: its display name, and its region when it has one.</summary>
    public static string Of(ModelProfile profile) => profile.Region is null ? profile.DisplayName : $"{profile.DisplayName} @ {profile.Region}";

    [LoggerMessage(1, LogLevel.Information, "run {RunId} ({Experiment}) started in {Directory}: {Remaining} of {Planned} invocations to make, {Models} model(s), {Judges} judge(s), {ParallelCalls} parallel call(s){Resumed}")]
    public static partial void RunStarted(this ILogger log, string runId, string experiment, string directory, int remaining, int planned, int models, int judges, int parallelCalls, string resumed);

    [LoggerMessage(2, LogLevel.Information, "run {RunId} ended {Status}: {Finished} of {Planned} invocations done, {Failed} failed, {SpentUsd:0.######} USD spent, {Seconds:0.0} s{Reason}")]
    public static partial void RunEnded(this ILogger log, string runId, string status, int finished, int planned, int failed, double spentUsd, double seconds, string reason);

    [LoggerMessage(3, LogLevel.Information, "access check: {Model} ({Role}) answers ({Seconds:0.000} s)")]
    public static partial void ModelAvailable(this ILogger log, string model, string role, double seconds);

    [LoggerMessage(4, LogLevel.Warning, "access check: {Model} ({Role}) is left out: {Code}: {Reason}")]
    public static partial void ModelLeftOut(this ILogger log, string model, string role, string code, string reason);

    [LoggerMessage(5, LogLevel.Warning, "access check: {Model} ({Role}) answers but is throttled already: {Reason}")]
    public static partial void ModelThrottledAtStart(this ILogger log, string model, string role, string reason);

    [LoggerMessage(6, LogLevel.Warning, "access check: {Model} ({Role}): the {Tier} service tier is refused ({Reason}); it runs at the default tier instead")]
    public static partial void ServiceTierFellBack(this ILogger log, string model, string role, string tier, string reason);

    [LoggerMessage(7, LogLevel.Warning, "access check: {Model} ({Role}): the {Tier} service tier is refused ({Reason}); dropped, since the run has the model at the default tier already")]
    public static partial void ServiceTierDropped(this ILogger log, string model, string role, string tier, string reason);

    [LoggerMessage(10, LogLevel.Information, "retry {Retry} of {MaxRetries} for {Model} in {DelaySeconds:0.00} s, after {Code}: {Reason}")]
    public static partial void CallRetried(this ILogger log, int retry, int maxRetries, string model, double delaySeconds, string code, string reason);

    [LoggerMessage(11, LogLevel.Warning, "throttled: {Model} answered {Code}{Status}: {Reason}{RetryAfter}")]
    public static partial void ProviderThrottled(this ILogger log, string model, string code, string status, string reason, string retryAfter);

    [LoggerMessage(12, LogLevel.Warning, "{Model}: the call failed after {Attempts} attempt(s) with {Code}: {Reason}")]
    public static partial void CallFailed(this ILogger log, string model, int attempts, string code, string reason);

    [LoggerMessage(20, LogLevel.Information, "pacing: {Model} is paced to {Limits}")]
    public static partial void PaceSet(this ILogger log, string model, string limits);

    [LoggerMessage(21, LogLevel.Information, "pacing: calls to {Model} now wait for their turn (this one waited {Seconds:0.000} s)")]
    public static partial void PacingHolds(this ILogger log, string model, double seconds);

    [LoggerMessage(30, LogLevel.Warning, "budget: {Reason}")]
    public static partial void BudgetStopped(this ILogger log, string reason);

    [LoggerMessage(31, LogLevel.Debug, "experiment {Experiment} of {Count} started")]
    public static partial void ExperimentStarted(this ILogger log, int experiment, int count);
}
