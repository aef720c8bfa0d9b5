using System.Threading.Channels;
using Eval360.Calls;
using Eval360.Configuration;
using Eval360.Jury;
using Eval360.Logging;
using Eval360.Providers;
using Eval360.Providers.Simulator;
using Eval360.Reporting;
using Eval360.Results;
using Microsoft.Extensions.Logging;

namespace Eval360.Execution;

/// <summary>
/// Runs a plan: access check, then each experiment in turn with <see cref="BenchmarkOptions.ParallelCalls"/> workers.
/// A worker takes the next work item, calls the model, has the jury judge the answer (all judges at once), hands the
/// result to the recorder, and sleeps as the seed paces. Cancellation stops everything promptly; whatever finished is
/// already on disk, and the run can be resumed.
/// </summary>
internal sealed class BenchmarkRunner
{

    /// <summary>The plan; after the access check and prompt optimization, the plan that runs (tiers fallen back, optimized prompts in).</summary>
    private BenchmarkPlan _plan;

    /// <summary>The plan id results carry (<see cref="Benchmark.ResultsPlanId"/>).</summary>
    private readonly string? _planId;
    private readonly RunDirectory _directory;
    private readonly LiveManifest _live;
    private readonly ProviderSet _clients;
    private readonly IRequestPacer _pacer;
    private readonly TimeProvider _time;
    private readonly IReadOnlySet<string> _finished;
    private readonly RunProgress _progress;
    private readonly ILogger _log;

    public BenchmarkRunner(BenchmarkPlan plan, string? planId, RunDirectory directory, LiveManifest live, ProviderSet clients, IRequestPacer pacer,
        IReadOnlySet<string> finished, RunProgress progress, TimeProvider time, ILogger log)
    {
        _log = log;
        _plan = plan;
        _planId = planId;
        _directory = directory;
        _live = live;
        _clients = clients;
        _pacer = pacer;
        _finished = finished;
        _progress = progress;
        _time = time;
    }

    private BenchmarkOptions Options => _plan.Options;

    private RunManifest Manifest => _live.Manifest;

    public async Task<RunOutcome> RunAsync(ChannelWriter<RunEvent> events, CancellationToken cancellationToken, CancellationToken eventsGone)
    {
        _progress.Planned = _plan.Items.Count;
        var status = RunStatus.Completed;
        string? stopReason = null;
        BenchmarkException? failure = null;
        IDisposable? lowLatency = null;
        long started = _time.GetTimestamp();
        using var caller = new ModelCaller(_pacer, CallLimits.Of(Options), _time, _log);
        await using (var recorder = new RunRecorder(_directory, _finished, events, _progress, eventsGone))
        {
            // Counted from the journal by the recorder: a resumed run's earlier sessions are in every figure.
            _progress.Begin(_finished.Count, recorder.Failed);
            _live.Track(() => new RunCounts(_progress.Finished, _progress.Failed, recorder.SpentUsd));
            _log.RunStarted(_directory.RunId, Options.ExperimentName, _directory.Path, _plan.Items.Count - _finished.Count, _plan.Items.Count,
                _plan.Models.Count, _plan.Judges.Count, Options.ParallelCalls, _finished.Count > 0 ? $"; resumed, {_finished.Count} already done" : string.Empty);
            try
            {
                _progress.Phase = "checking access";

                // A resumed run keeps the tiers an earlier session found refused: its journal was written under them.
                var fallbacks = new List<ServiceTierFallback>(Manifest.ServiceTierFallbacks);
                var access = await AccessCheck.RunAsync(Substitute(_plan.Models.Concat(_plan.Judges), fallbacks), _clients, caller, _log, cancellationToken).ConfigureAwait(false);
                var excluded = access.Excluded;
                fallbacks.AddRange(access.Fallbacks);
                Manifest.ExcludedModels = [.. excluded];
                Manifest.ServiceTierFallbacks = fallbacks;
                foreach (var warning in access.Warnings)
                {
                    await events.WriteAsync(warning, cancellationToken).ConfigureAwait(false);
                }

                var models = Accessible(Substitute(_plan.Models, fallbacks), excluded);
                var judges = Accessible(Substitute(_plan.Judges, fallbacks), excluded);
                if (models.Count == 0)
                {
                    throw new BenchmarkException("NoAccessibleModel", "no model is accessible; every one failed the access check: " + Describe(excluded));
                }

                if (_plan.Judges.Count > 0 && judges.Count == 0)
                {
                    throw new BenchmarkException("NoAccessibleJudge", "no judge is accessible, so nothing could be judged (use -LatencyOnly to run without a jury): " + Describe(excluded));
                }

                var optimized = _plan.Optimized;
                if (Options.PromptOptimization != PromptOptimizationMode.None)
                {
                    _progress.Phase = "optimizing prompts";
                    Manifest.PromptOptimizationLog = PromptOptimizationLog.FileName;
                    var log = PromptOptimizationLog.Open(_directory.Path, Options.PromptOptimization);
                    optimized = await PromptOptimizer.RunAsync(_plan, models, log, _clients, _time, events, cancellationToken).ConfigureAwait(false);
                }

                // The plan that runs: refused tiers at the default tier (a dropped variant stays, left out like an
                // excluded model), and each optimized prompt in; every work item keeps its key.
                _plan = _plan.With([.. _plan.Models.Select(p => ServiceTierFallback.Apply(p, fallbacks) ?? p)], [.. Substitute(_plan.Judges, fallbacks)], optimized);
                _progress.Planned = Manifest.PlannedInvocations = _plan.Items.Count;
                Manifest.Models = [.. _plan.Models.Select(m => m.DisplayName).Distinct(StringComparer.Ordinal)];
                Manifest.Judges = [.. _plan.Judges.Select(m => m.DisplayName).Distinct(StringComparer.Ordinal)];

                var alerts = new JuryAlerts(events);
                await alerts.WarnOfSelfPreferenceAsync(judges, models.Select(m => m.DisplayName), cancellationToken).ConfigureAwait(false);
                _progress.Phase = "opening connections";
                await WarmUpAsync(models, judges, cancellationToken).ConfigureAwait(false);

                // Start measuring on a settled heap: the garbage of start-up (PowerShell's included) is collected now,
                // once, rather than in a long pause in the middle of the first measured streams. While the run is in
                // flight no blocking full collection may pause the streams being timed (background ones still run).
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
                lowLatency = LowLatencyGc.Enter();
                var modelKeys = models.Select(m => m.Key).ToHashSet(StringComparer.Ordinal);
                var jury = judges.Count > 0 ? new JuryPanel(JuryOf(judges), caller, _clients.Client, _clients.Redactor.Redact) : null;
                var budget = new SpendBudget(Options.MaxCost, recorder, judges);
                _live.Save();

                for (int experiment = 1; experiment <= Options.ExperimentCount && stopReason is null; experiment++)
                {
                    _progress.Experiment = experiment;
                    _log.ExperimentStarted(experiment, Options.ExperimentCount);
                    _progress.Phase = $"experiment {experiment} of {Options.ExperimentCount}";
                    bool ToRun(WorkItem item) => modelKeys.Contains(item.Model.Key) && (_finished.Count == 0 || !_finished.Contains(item.Key));
                    var (first, count) = _plan.ExperimentItems(experiment);
                    stopReason = await RunExperimentAsync(first, count, ToRun, caller, jury, alerts, recorder, budget, cancellationToken).ConfigureAwait(false);
                    if (stopReason is null && experiment < Options.ExperimentCount && Options.ExperimentWaitTime > TimeSpan.Zero)
                    {
                        _progress.Phase = $"waiting {Options.ExperimentWaitTime} before experiment {experiment + 1}";
                        await Task.Delay(Options.ExperimentWaitTime, _time, cancellationToken).ConfigureAwait(false);
                    }
                }

                if (stopReason is not null)
                {
                    status = RunStatus.BudgetExhausted;
                    _log.BudgetStopped(stopReason);
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
                _progress.Phase = "writing results";
                lowLatency?.Dispose();
            }

            await recorder.DisposeAsync().ConfigureAwait(false);
            var summaries = recorder.Statistics.Rank().Summaries;
            if (status == RunStatus.Completed)
            {
                ResultJson.WriteAtomically(_directory.Summary, summaries);
                if (Options.Report)
                {
                    RunReport.Write(_directory, Manifest, events);
                }
            }

            // The status changes only now, with every file in place: whoever polls run.json and sees "completed" finds
            // summary.json and report.html written.
            Manifest.Status = status;
            Manifest.StopReason = stopReason;
            Manifest.Finished = _progress.Finished;
            Manifest.Failed = _progress.Failed;
            Manifest.SpentUsd = Math.Round(recorder.SpentUsd, 6);
            Manifest.EndedAt = _time.GetUtcNow();
            _live.SaveFinal();
            _log.RunEnded(_directory.RunId, status.ToString(), _progress.Finished, _plan.Items.Count, _progress.Failed, recorder.SpentUsd,
                _time.GetElapsedTime(started).TotalSeconds, stopReason is null ? string.Empty : $": {stopReason}");
            if (failure is not null)
            {
                throw failure;
            }

            return new RunOutcome(status, _directory, _plan.Items.Count, _progress.Finished, _progress.Failed, recorder.SpentUsd, summaries, stopReason, Options);
        }
    }

    /// <summary>Runs the plan's items <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/> - 1 that <paramref name="toRun"/> accepts.</summary>
    /// <returns>Why scheduling stopped early (the budget), or null when every item ran.</returns>
    private async Task<string?> RunExperimentAsync(int first, int count, Func<WorkItem, bool> toRun, ModelCaller caller, JuryPanel? jury, JuryAlerts alerts, RunRecorder recorder, SpendBudget budget, CancellationToken cancellationToken)
    {
        int next = -1;
        string? stopReason = null;
        async Task WorkerAsync()
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < count && stopReason is null)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var item = _plan.Items[first + index];
                if (!toRun(item))
                {
                    continue;
                }

                if (budget.Refuse(item) is { } refusal)
                {
                    stopReason = refusal;
                    return;
                }

                _progress.CallStarted();
                try
                {
                    var result = await InvokeAsync(item, caller, cancellationToken).ConfigureAwait(false);
                    JuryOutcome? juryOutcome = null;
                    if (jury is not null && result.IsSucceeded())
                    {
                        juryOutcome = await jury.JudgeAsync(CaseOf(item, result, jury.Settings), cancellationToken).ConfigureAwait(false);
                        juryOutcome.WriteTo(result);
                    }

                    budget.Spent(item, result);
                    await recorder.RecordAsync(result).ConfigureAwait(false);
                    if (juryOutcome is not null)
                    {
                        await alerts.InspectAsync(juryOutcome, result.ModelId, cancellationToken).ConfigureAwait(false);
                    }
                }
                finally
                {
                    _progress.CallEnded();
                }

                if (Options.SleepBetweenInvocations > TimeSpan.Zero && Volatile.Read(ref next) < count - 1)
                {
                    await Task.Delay(Options.SleepBetweenInvocations, _time, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        var workers = new Task[Math.Min(Options.ParallelCalls, Math.Max(count, 1))];
        for (int i = 0; i < workers.Length; i++)
        {
            workers[i] = Task.Run(WorkerAsync, CancellationToken.None);
        }

        await Task.WhenAll(workers).ConfigureAwait(false);
        return stopReason;
    }

    private async Task<InvocationResult> InvokeAsync(WorkItem item, ModelCaller caller, CancellationToken cancellationToken)
    {
        var scenario = item.Scenario;
        var request = new ChatRequest
        {
            Prompt = item.Prompt,
            Image = Options.Vision ? item.Image : null,
            Temperature = item.Temperature,
            MaxOutputTokens = scenario.ExpectedOutputTokens,
            Simulation = item.Model.IsSimulated ? new SimulationHint(StableSeed(item.Key), scenario.GoldenAnswer) : null,
        };
        var outcome = await caller.CallAsync(item.Model, _clients.Client(item.Model), request, cancellationToken).ConfigureAwait(false);
        if (outcome.Measurement is { } measured && CallTimingEvents.Log.IsEnabled())
        {
            CallTimingEvents.Log.FirstToken(item.Key, measured.SentTimestamp, measured.FirstTokenTimestamp);
        }

        return ResultFactory.Create(item, outcome, Manifest, _planId, Options, _clients.Redactor);
    }

    private JurySettings JuryOf(IReadOnlyList<ModelProfile> judges) => new()
    {
        Judges = judges,
        PassThreshold = Options.PassThreshold,
        Aggregation = Options.JuryAggregation,
        UserDefinedMetrics = Options.UserDefinedMetrics,
        JuryId = Manifest.JuryId,
    };

    private JuryCase CaseOf(WorkItem item, InvocationResult result, JurySettings jury) => new()
    {
        Key = item.Key,
        Scenario = item.Scenario,
        Prompt = item.Prompt,
        Response = result.Response,
        Metrics = jury.MetricsFor(item.Scenario),
        Image = Options.Vision ? item.Image : null,
    };

    /// <summary>
    /// Opens, before the first measured call, as many connections per model as can be in flight to it at once:
    /// <see cref="BenchmarkOptions.ParallelCalls"/> for a candidate (fewer when it has fewer calls), as many again for
    /// each judge. Clients sharing a server share its connection pool, so each is warmed for its own share.
    /// </summary>
    private async Task WarmUpAsync(IReadOnlyList<ModelProfile> models, IReadOnlyList<ModelProfile> judges, CancellationToken cancellationToken)
    {
        int inFlight = Math.Min(Options.ParallelCalls, Math.Max(1, _plan.Items.Count - _finished.Count));
        var warming = models.Concat(judges).DistinctBy(p => p.Key)
            .Select(profile => _clients.Client(profile).WarmUpAsync(Math.Min(inFlight, 1024), cancellationToken));
        await Task.WhenAll(warming).ConfigureAwait(false);
    }

    /// <summary>The profiles that run in place of <paramref name="profiles"/>: refused tiers at the default tier, dropped ones left out.</summary>
    private static IEnumerable<ModelProfile> Substitute(IEnumerable<ModelProfile> profiles, IReadOnlyList<ServiceTierFallback> fallbacks) =>
        profiles.Select(p => ServiceTierFallback.Apply(p, fallbacks)).OfType<ModelProfile>();

    private static List<ModelProfile> Accessible(IEnumerable<ModelProfile> profiles, IReadOnlyList<ExcludedModel> excluded) =>
        profiles.Where(p => !excluded.Any(e => e.ModelId == p.DisplayName && e.Region == p.Region && e.Role == p.Role.ToString().ToLowerInvariant())).ToList();

    private static string Describe(IReadOnlyList<ExcludedModel> excluded) =>
        string.Join("; ", excluded.Select(e => $"{e.ModelId}: {e.ErrorCode}: {e.Reason}"));

    private static int StableSeed(string key) => SimulatedModelClient.StableHash(key);
}

/// <summary>A run that cannot go on (nothing accessible); its message is for the user.</summary>
public sealed class BenchmarkException(string errorId, string message) : Exception(message)
{
    public string ErrorId { get; } = errorId;
}
