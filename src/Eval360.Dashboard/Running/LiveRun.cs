using Eval360.Execution;
using Eval360.Results;

namespace Eval360.Dashboard.Running;

/// <summary>One model's figures in the live view.</summary>
public sealed record LiveModel(string Model, int Done, int Failed, double Rpm);

/// <summary>A failure or warning shown under the live progress.</summary>
public sealed record LiveError(DateTimeOffset At, string Source, string Code, string Message);

/// <summary>What the Monitor tab shows of the evaluation in flight, at one moment.</summary>
public sealed record LiveView(string EvaluationId, string Name, string RunId, string Phase, int Planned, int Done, int Failed, int InFlight,
    double? EtaSeconds, DateTimeOffset StartedAt, IReadOnlyList<LiveModel> Models, IReadOnlyList<LiveError> Errors, bool Simulated);

/// <summary>
/// The evaluation the worker is running, as it happens: the engine's own counters (done, failed, in flight, ETA,
/// phase) and, from each recorded result, done/failed and requests per minute per model and the latest errors. A
/// resumed run starts from what its journal already holds, so its counts include earlier sessions.
/// </summary>
public sealed class LiveRun
{
    /// <summary>The window over which requests per minute are measured.</summary>
    public static readonly TimeSpan RpmWindow = TimeSpan.FromSeconds(60);

    private const int ErrorsKept = 8;

    private readonly object _gate = new();
    private readonly string _evaluationId;
    private readonly string _name;
    private readonly Benchmark _benchmark;
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _startedAt;
    private readonly Dictionary<string, ModelCounts> _models = new(StringComparer.Ordinal);
    private readonly LinkedList<LiveError> _errors = new();

    public LiveRun(string evaluationId, string name, Benchmark benchmark, TimeProvider time)
    {
        _evaluationId = evaluationId;
        _name = name;
        _benchmark = benchmark;
        _time = time;
        _startedAt = time.GetUtcNow();
        foreach (var model in benchmark.Plan.Models.Select(m => m.DisplayName).Distinct(StringComparer.Ordinal))
        {
            _models[model] = new ModelCounts();
        }

        if (benchmark.ResumedDirectory is { } directory)
        {
            // Earlier sessions' results count too (not towards the rate: they were not made now).
            foreach (var result in ResultFiles.Scan(directory, new ResultScan()))
            {
                Counts(result.ModelId).Add(result.IsSucceeded());
            }
        }
    }

    public string EvaluationId => _evaluationId;

    public void Record(InvocationResult result)
    {
        lock (_gate)
        {
            var counts = Counts(result.ModelId);
            counts.Add(result.IsSucceeded());
            counts.Recent.Enqueue(_time.GetUtcNow());
            if (!result.IsSucceeded())
            {
                AddError(new LiveError(_time.GetUtcNow(), result.ModelId, result.ErrorCode ?? "failed", result.ErrorMessage ?? string.Empty));
            }
            else if (result.Judges.FirstOrDefault(j => j.Error is not null) is { } judge)
            {
                AddError(new LiveError(_time.GetUtcNow(), judge.JudgeModelId + " (judge)", "judge", judge.Error!));
            }
        }
    }

    public void Warn(RunWarning warning)
    {
        lock (_gate)
        {
            AddError(new LiveError(_time.GetUtcNow(), "run", warning.Id, warning.Message));
        }
    }

    public LiveView View()
    {
        var progress = _benchmark.Progress;
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            var models = _models.Select(m => new LiveModel(m.Key, m.Value.Done, m.Value.Failed, m.Value.Rpm(now, _startedAt))).ToList();
            return new LiveView(_evaluationId, _name, _benchmark.RunId, progress.Phase, progress.Planned == 0 ? _benchmark.Plan.Items.Count : progress.Planned,
                progress.Finished, progress.Failed, progress.InFlight, progress.EtaSeconds, _startedAt, models, [.. _errors], _benchmark.Plan.IsSimulated);
        }
    }

    private ModelCounts Counts(string model)
    {
        if (!_models.TryGetValue(model, out var counts))
        {
            counts = _models[model] = new ModelCounts();
        }

        return counts;
    }

    private void AddError(LiveError error)
    {
        _errors.AddFirst(error);
        while (_errors.Count > ErrorsKept)
        {
            _errors.RemoveLast();
        }
    }

    private sealed class ModelCounts
    {
        public int Done { get; private set; }

        public int Failed { get; private set; }

        /// <summary>When this session's results arrived, oldest first; trimmed to the rate window.</summary>
        public Queue<DateTimeOffset> Recent { get; } = new();

        public void Add(bool succeeded)
        {
            Done++;
            if (!succeeded)
            {
                Failed++;
            }
        }

        /// <summary>Results per minute over the last minute (or since the session started, when that is shorter).</summary>
        public double Rpm(DateTimeOffset now, DateTimeOffset started)
        {
            while (Recent.Count > 0 && now - Recent.Peek() > RpmWindow)
            {
                Recent.Dequeue();
            }

            var window = now - started < RpmWindow ? now - started : RpmWindow;
            return window.TotalSeconds < 1 ? 0 : Recent.Count / window.TotalMinutes;
        }
    }
}
