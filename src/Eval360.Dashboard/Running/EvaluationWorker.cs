using System.Globalization;
using System.Threading.Channels;
using Eval360.Configuration;
using Eval360.Dashboard.Hosting;
using Eval360.Dashboard.Setup;
using Eval360.Dashboard.Store;
using Eval360.Execution;
using Eval360.Results;

namespace Eval360.Dashboard.Running;

/// <summary>
/// Runs the queue, one evaluation at a time, through the same engine as <c>Invoke-Eval360Benchmark</c>: each run is
/// an ordinary run directory. An evaluation the dashboard was running when it died is resumed first, from its journal:
/// no finished invocation is made again. Stopping the dashboard cancels the run in flight cleanly (everything finished
/// stays on disk) and marks it interrupted, so the next start resumes it.
/// </summary>
public sealed class EvaluationWorker(
    DashboardOptions options,
    EvaluationStore store,
    EvaluationPlanner planner,
    DashboardChanges changes,
    ILogger<EvaluationWorker> logger,
    TimeProvider time) : BackgroundService
{
    private readonly object _gate = new();
    private LiveRun? _live;
    private (string Id, CancellationTokenSource Cancel)? _current;

    /// <summary>The evaluation in flight, as it happens; null when the queue is idle.</summary>
    public LiveView? Live
    {
        get
        {
            lock (_gate)
            {
                return _live?.View();
            }
        }
    }

    /// <summary>Cancels an evaluation: the one running (it stops promptly, resumable) or one waiting in the queue.</summary>
    public bool Cancel(string id)
    {
        lock (_gate)
        {
            if (_current is { } current && current.Id == id)
            {
                current.Cancel.Cancel();
                return true;
            }
        }

        return store.Unqueue(id);
    }

    public bool IsRunning(string id)
    {
        lock (_gate)
        {
            return _current?.Id == id;
        }
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Before anything is served: whatever this data folder's last dashboard was running, it is not running now.
        int interrupted = store.MarkInterrupted("interrupted: the dashboard stopped during the run; it resumes from its journal");
        if (interrupted > 0)
        {
            logger.LogInformation("{Count} evaluation(s) were interrupted by the last stop and will be resumed", interrupted);
        }

        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            long seen = changes.Version;
            var next = store.Next();
            if (next is null)
            {
                await changes.WaitAsync(seen, TimeSpan.FromSeconds(5), stoppingToken).ConfigureAwait(false);
                continue;
            }

            try
            {
                await RunAsync(next, stoppingToken).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // One evaluation's unexpected failure is recorded on it; the queue goes on.
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
#pragma warning restore CA1031
            {
                logger.LogError(e, "Evaluation {Id} failed unexpectedly", next.Id);
                store.Ended(next.Id, EvaluationState.Failed, "failed unexpectedly: " + e.Message);
            }
        }
    }

    private async Task RunAsync(Evaluation evaluation, CancellationToken stopping)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var benchmark = await PrepareAsync(evaluation, stopping).ConfigureAwait(false);
        if (benchmark is null)
        {
            return;
        }

        bool resumed = benchmark.ResumedDirectory is not null;
        var live = new LiveRun(evaluation.Id, evaluation.Name, benchmark, time);
        lock (_gate)
        {
            _live = live;
            _current = (evaluation.Id, cancel);
        }

        store.Started(evaluation.Id, benchmark.RunId, benchmark.Directory, resumed, resumed
            ? string.Create(CultureInfo.InvariantCulture, $"resumed run {benchmark.RunId}: {benchmark.AlreadyFinished} of {benchmark.Plan.Items.Count} invocations were already on disk and are not made again")
            : string.Create(CultureInfo.InvariantCulture, $"started run {benchmark.RunId}: {benchmark.Plan.Items.Count} invocations in {benchmark.Directory}"));

        var events = Channel.CreateBounded<RunEvent>(new BoundedChannelOptions(1024) { SingleReader = true });
        var drain = DrainAsync(evaluation.Id, live, events.Reader);
        try
        {
            RunOutcome outcome;
            try
            {
                outcome = await benchmark.RunAsync(events.Writer, cancel.Token).ConfigureAwait(false);
            }
            finally
            {
                events.Writer.TryComplete();
                await drain.ConfigureAwait(false);
            }

            var (state, message) = outcome.Status switch
            {
                RunStatus.Completed when outcome.Gate is { } gate => (EvaluationState.Failed, gate.Message),
                RunStatus.Completed => (EvaluationState.Completed, Summary(outcome)),
                RunStatus.Cancelled when stopping.IsCancellationRequested =>
                    (EvaluationState.Interrupted, $"interrupted: the dashboard was stopped ({outcome.Finished} of {outcome.Planned} invocations on disk); it resumes when the dashboard starts again"),
                RunStatus.Cancelled => (EvaluationState.Cancelled, $"cancelled ({outcome.Finished} of {outcome.Planned} invocations on disk); queue it again to resume"),
                RunStatus.BudgetExhausted => (EvaluationState.BudgetExhausted, outcome.StopReason ?? "the budget was reached"),
                _ => (EvaluationState.Failed, outcome.StopReason ?? "failed"),
            };
            store.Ended(evaluation.Id, state, message);
        }
        catch (BenchmarkException e)
        {
            store.Ended(evaluation.Id, EvaluationState.Failed, e.Message);
        }
        finally
        {
            lock (_gate)
            {
                _live = null;
                _current = null;
            }

            changes.Notify();
        }
    }

    /// <summary>The benchmark to run: the evaluation's run resumed when it has one, else a new run from its definition.</summary>
    private async Task<Benchmark?> PrepareAsync(Evaluation evaluation, CancellationToken stopping)
    {
        try
        {
            if (evaluation.RunDirectory is { } directory && File.Exists(Path.Combine(directory, RunManifest.FileName)))
            {
                return Benchmark.Resume(directory, options.OutputDirectory, options.WorkingDirectory);
            }

            var plan = await planner.PlanAsync(evaluation.Definition, stopping).ConfigureAwait(false);
            if (!plan.IsValid)
            {
                store.Ended(evaluation.Id, EvaluationState.Failed, "cannot start: " + string.Join(" ", plan.Errors));
                return null;
            }

            foreach (var warning in plan.Warnings)
            {
                store.Warning(evaluation.Id, warning);
            }

            return Benchmark.Create(plan.Configuration!, plan.Options!, options.WorkingDirectory, time);
        }
        catch (ConfigurationException e)
        {
            store.Ended(evaluation.Id, EvaluationState.Failed, "cannot start: " + e.Message);
            return null;
        }
        catch (RunNotFoundException e)
        {
            store.Ended(evaluation.Id, EvaluationState.Failed, "cannot resume: " + e.Message);
            return null;
        }
    }

    private async Task DrainAsync(string id, LiveRun live, ChannelReader<RunEvent> events)
    {
        await foreach (var item in events.ReadAllAsync().ConfigureAwait(false))
        {
            switch (item)
            {
                case ResultRecorded recorded:
                    live.Record(recorded.Result);
                    changes.Notify();
                    break;
                case RunWarning warning:
                    live.Warn(warning);
                    store.Warning(id, warning.Message);
                    changes.Notify();
                    break;
            }
        }
    }

    private static string Summary(RunOutcome outcome) => string.Create(CultureInfo.InvariantCulture,
        $"completed: {outcome.Finished} invocations, {outcome.Failed} failed, {outcome.SpentUsd:0.######} USD");
}
