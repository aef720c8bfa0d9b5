using System.Threading.Channels;
using Eval360.Calls;
using Eval360.Configuration;
using Eval360.Jury;
using Eval360.Logging;
using Eval360.Providers;
using Eval360.Results;
using Microsoft.Extensions.Logging;

namespace Eval360.Execution;

/// <summary>
/// Runs a re-judging: access check of the judges, then <see cref="BenchmarkOptions.ParallelCalls"/> workers that take
/// the next saved result from the snapshot and either put it before the jury (every judge at once, through the same
/// <see cref="ModelCaller"/> as a benchmark's: pacing, retries, watchdog) or pass it through unjudged, and hand it to
/// the recorder, which puts it on disk before the pipeline sees it. Cancellation stops promptly; whatever finished is
/// on disk and a resume skips it.
/// </summary>
internal sealed class RejudgingRunner
{
    private readonly Rejudging _rejudging;
    private readonly RunDirectory _directory;
    private readonly ILogger _log;
    private readonly LiveManifest _live;
    private readonly ProviderSet _clients;
    private readonly IRequestPacer _pacer;
    private readonly IReadOnlySet<string> _finished;
    private readonly TimeProvider _time;
    private int _judged;

    public RejudgingRunner(Rejudging rejudging, RunDirectory directory, LiveManifest live, ProviderSet clients, IRequestPacer pacer, IReadOnlySet<string> finished, TimeProvider time, ILogger log)
    {
        _log = log;
        _rejudging = rejudging;
        _directory = directory;
        _live = live;
        _clients = clients;
        _pacer = pacer;
        _finished = finished;
        _time = time;
    }

    private BenchmarkOptions Options => _rejudging.Options;

    private RejudgingPlan Plan => _rejudging.Plan;

    private RunProgress Progress => _rejudging.Progress;

    private RunManifest Manifest => _live.Manifest;

    public async Task<RejudgingOutcome> RunAsync(ChannelWriter<RunEvent> events, CancellationToken cancellationToken, CancellationToken eventsGone)
    {
        Progress.Planned = Plan.Total;
        long started = _time.GetTimestamp();
        var status = RunStatus.Completed;
        string? stopReason = null;
        BenchmarkException? failure = null;
        var juryId = _rejudging.JuryId;
        var alerts = new JuryAlerts(events);
        using var caller = new ModelCaller(_pacer, CallLimits.Of(Options), _time, _log);
        await using (var recorder = new RunRecorder(_directory, _finished, events, Progress, eventsGone,
            keyOf: Rejudging.Identity, spendOf: r => r.JuryId == juryId ? r.JuryCost : 0))
        {
            Progress.Begin(_finished.Count, recorder.Failed);
            _live.Track(() => new RunCounts(Progress.Finished, Progress.Failed, recorder.SpentUsd));
            _log.RunStarted(_directory.RunId, Options.ExperimentName, _directory.Path, Plan.Total - _finished.Count, Plan.Total,
                Plan.Candidates.Count, _rejudging.Judges.Count, Options.ParallelCalls, _finished.Count > 0 ? $"; resumed, {_finished.Count} already done" : "; re-judging saved answers");
            try
            {
                Progress.Phase = "checking access";
                // Nothing left to judge (a resume of judged results, or only failed ones): no judge needs to be asked.
                IReadOnlyList<ExcludedModel> excluded = [];
                if (Plan.RemainingToJudge > 0)
                {
                    var access = await AccessCheck.RunAsync(_rejudging.Judges, _clients, caller, _log, cancellationToken).ConfigureAwait(false);
                    excluded = access.Excluded;
                    foreach (var warning in access.Warnings)
                    {
                        await events.WriteAsync(warning, cancellationToken).ConfigureAwait(false);
                    }
                }

                Manifest.ExcludedModels = [.. excluded];

                var judges = _rejudging.Judges.Where(j => !excluded.Any(e => e.ModelId == j.DisplayName && e.Region == j.Region)).ToList();
                if (judges.Count == 0 && Plan.RemainingToJudge > 0)
                {
                    throw new BenchmarkException("NoAccessibleJudge", "no judge is accessible, so nothing could be judged: " +
                        string.Join("; ", excluded.Select(e => $"{e.ModelId}: {e.ErrorCode}: {e.Reason}")));
                }

                if (Plan.PassedThrough > 0 && Plan.Remaining > 0)
                {
                    await events.WriteAsync(new RunWarning(
                        $"{Plan.PassedThrough} result(s) pass through unjudged, as they were ({Plan.FailedInvocations} failed invocation(s), {Plan.LatencyOnly} latency-only): there is no answer to judge, and no candidate is called again.",
                        "PassedThroughUnjudged"), cancellationToken).ConfigureAwait(false);
                }

                await alerts.WarnOfSelfPreferenceAsync(judges, Plan.Candidates, cancellationToken).ConfigureAwait(false);
                Progress.Phase = "opening connections";
                int inFlight = Math.Min(Math.Min(Options.ParallelCalls, Plan.RemainingToJudge), 1024);
                if (inFlight > 0)
                {
                    await Task.WhenAll(judges.DistinctBy(j => j.Key).Select(j => _clients.Client(j).WarmUpAsync(inFlight, cancellationToken))).ConfigureAwait(false);
                }

                var jury = new JuryPanel(new JurySettings
                {
                    Judges = judges,
                    PassThreshold = Options.PassThreshold,
                    Aggregation = Options.JuryAggregation,
                    UserDefinedMetrics = Options.UserDefinedMetrics,
                    JuryId = juryId,
                }, caller, _clients.Client, _clients.Redactor.Redact);
                var budget = new SpendBudget(Options.MaxCost, recorder, judges);
                _live.Save();
                Progress.Phase = "judging";
                stopReason = await JudgeAllAsync(jury, alerts, recorder, budget, cancellationToken).ConfigureAwait(false);
                if (stopReason is not null)
                {
                    status = RunStatus.BudgetExhausted;
                    await events.WriteAsync(new RunWarning(stopReason, "BudgetReached"), CancellationToken.None).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                status = RunStatus.Cancelled;
                stopReason = "cancelled";
            }
            catch (BenchmarkException e)
            {
                status = RunStatus.Failed;
                stopReason = e.Message;
                failure = e;
            }
            finally
            {
                Progress.Phase = "writing results";
            }

            await recorder.DisposeAsync().ConfigureAwait(false);
            var summaries = recorder.Statistics.Summaries();
            if (status == RunStatus.Completed)
            {
                ResultJson.WriteAtomically(_directory.Summary, summaries);
                if (Options.Report)
                {
                    var from = string.Join(", ", Plan.Runs.Select(r => r.RunId.Length > 0 ? r.RunId : "(no id)").Distinct(StringComparer.Ordinal));
                    RunReport.Write(_directory, Manifest, events,
                        [$"Re-judged by jury {juryId}: saved responses of run(s) {from} put before new judges; no candidate was called again. {Plan.PassedThrough} result(s) passed through unjudged."]);
                }
            }

            Manifest.Status = status;
            Manifest.StopReason = stopReason;
            Manifest.Finished = Progress.Finished;
            Manifest.Failed = Progress.Failed;
            Manifest.SpentUsd = Math.Round(recorder.SpentUsd, 6);
            Manifest.EndedAt = _time.GetUtcNow();
            _live.SaveFinal();
            _log.RunEnded(_directory.RunId, status.ToString(), Progress.Finished, Plan.Total, Progress.Failed, recorder.SpentUsd,
                _time.GetElapsedTime(started).TotalSeconds, stopReason is null ? string.Empty : $": {stopReason}");
            if (failure is not null)
            {
                throw failure;
            }

            return new RejudgingOutcome(status, _directory, juryId, Plan.Total, Progress.Finished, Plan.AlreadyJudged + Volatile.Read(ref _judged),
                Plan.PassedThrough, alerts.Flagged, recorder.SpentUsd, summaries, stopReason);
        }
    }

    /// <returns>Why judging stopped early (the budget), or null when every result was handled.</returns>
    private async Task<string?> JudgeAllAsync(JuryPanel jury, JuryAlerts alerts, RunRecorder recorder, SpendBudget budget, CancellationToken cancellationToken)
    {
        using var saved = RunJournal.Scan(Rejudging.SnapshotOf(_directory), new ResultScan()).GetEnumerator();
        var gate = new object();
        string? stopReason = null;

        InvocationResult? Next()
        {
            lock (gate)
            {
                while (stopReason is null && saved.MoveNext())
                {
                    if (!_finished.Contains(Rejudging.Identity(saved.Current)))
                    {
                        return saved.Current;
                    }
                }

                return null;
            }
        }

        async Task WorkerAsync()
        {
            while (Next() is { } result)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!Rejudging.Judgeable(result))
                {
                    await recorder.RecordAsync(result).ConfigureAwait(false);
                    continue;
                }

                double estimate = jury.Settings.Judges.Sum(j => j.CostOf(RejudgingPlan.JudgeInputTokensOf(result), JudgePrompt.ExpectedOutputTokens));
                var key = Rejudging.Identity(result);
                if (budget.Refuse(key, result.ModelId, estimate, "judging") is { } refusal)
                {
                    lock (gate)
                    {
                        stopReason ??= refusal;
                    }

                    return;
                }

                Progress.CallStarted();
                try
                {
                    var outcome = await jury.JudgeAsync(CaseOf(result), cancellationToken).ConfigureAwait(false);
                    Forget(result);
                    outcome.WriteTo(result);
                    budget.Spent(key, result.ModelId, estimate, result.JuryCost);
                    Interlocked.Increment(ref _judged);
                    await recorder.RecordAsync(result).ConfigureAwait(false);
                    await alerts.InspectAsync(outcome, result.ModelId, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    Progress.CallEnded();
                }
            }
        }

        var workers = new Task[Math.Max(1, Options.ParallelCalls)];
        for (int i = 0; i < workers.Length; i++)
        {
            workers[i] = Task.Run(WorkerAsync, CancellationToken.None);
        }

        await Task.WhenAll(workers).ConfigureAwait(false);
        return stopReason;
    }

    /// <summary>
    /// What the judges see: the result's own prompt, task and reference, and its answer. The metrics are those it was
    /// judged on before (the six core dimensions and the user's metrics its scores name), unless the re-judging names
    /// user metrics of its own, which then replace them.
    /// </summary>
    private JuryCase CaseOf(InvocationResult result)
    {
        var scenario = new Scenario
        {
            Prompt = result.Prompt,
            TaskType = result.TaskType,
            TaskCriteria = result.TaskCriteria,
            GoldenAnswer = result.GoldenAnswer,
        };
        return new JuryCase
        {
            Key = result.Key,
            Scenario = scenario,
            Prompt = result.Prompt,
            Response = result.Response,
            Metrics = _rejudging.MetricsOf(result),
        };
    }

    /// <summary>Clears what the earlier jury wrote, so the result carries the new jury's verdicts only.</summary>
    private static void Forget(InvocationResult result)
    {
        result.Judges = [];
        result.Scores = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        result.Passed = null;
        result.JuryCost = 0;
        result.JuryId = null;
        if (result.ErrorCode == FailureKind.JuryUnavailable.Code())
        {
            result.ErrorCode = null;
            result.ErrorMessage = null;
        }
    }
}
