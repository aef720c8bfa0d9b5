namespace Eval360.Dashboard.Store;

/// <summary>Where an evaluation stands, from set-up to its run's end.</summary>
public enum EvaluationState
{
    /// <summary>Being set up on the Setup tab (one draft at a time).</summary>
    Draft,

    /// <summary>Saved, checked and ready to queue.</summary>
    Saved,

    /// <summary>Waiting for its turn: evaluations run one at a time.</summary>
    Queued,

    Running,

    /// <summary>The dashboard stopped during its run (killed, machine down, or stopped): it resumes first at the next start.</summary>
    Interrupted,

    Completed,

    Failed,

    /// <summary>Cancelled from the Monitor tab; resumable.</summary>
    Cancelled,

    /// <summary>Its MaxCost stopped it; resumable.</summary>
    BudgetExhausted,
}

/// <summary>What the filters and buttons ask of a state.</summary>
public static class EvaluationStates
{
    /// <summary>Waiting for the worker: queued, or interrupted and so to be resumed.</summary>
    public static bool IsWaiting(this EvaluationState state) => state is EvaluationState.Queued or EvaluationState.Interrupted;

    /// <summary>Ended without completing: the Evaluations tab's "Failed" filter.</summary>
    public static bool IsUnsuccessful(this EvaluationState state) => state is EvaluationState.Failed or EvaluationState.Cancelled or EvaluationState.BudgetExhausted;

    /// <summary>Can be put (back) in the queue: saved, or ended early with its run directory to resume.</summary>
    public static bool IsQueueable(this EvaluationState state) => state is EvaluationState.Saved or EvaluationState.Cancelled or EvaluationState.BudgetExhausted or EvaluationState.Failed;

    public static string Text(this EvaluationState state) => state switch
    {
        EvaluationState.BudgetExhausted => "Budget exhausted",
        _ => state.ToString(),
    };
}

/// <summary>One task evaluation of an evaluation: every dataset row is asked under each task.</summary>
public sealed record EvaluationTask
{
    public string TaskType { get; init; } = string.Empty;

    public string TaskCriteria { get; init; } = string.Empty;

    /// <summary>As typed (a number from 0 to 2); checked by the scenario rules.</summary>
    public string Temperature { get; init; } = "0.7";

    /// <summary>Comma-separated metrics the judges score beside the six dimensions.</summary>
    public string UserDefinedMetrics { get; init; } = string.Empty;
}

/// <summary>Everything the Setup tab defines; kept as JSON in the database, and copied by "Load config".</summary>
public sealed record EvaluationDefinition
{
    public string Name { get; init; } = string.Empty;

    /// <summary>The uploaded CSV (an upload id); null before one is uploaded.</summary>
    public string? UploadId { get; init; }

    public string? PromptColumn { get; init; }

    public string? GoldenAnswerColumn { get; init; }

    /// <summary>With vision, each row's image (a URL or a data: URI) is sent with its prompt.</summary>
    public string? ImageColumn { get; init; }

    /// <summary>The output-token limit of each answer, as typed.</summary>
    public string OutputTokens { get; init; } = Scenario.DefaultExpectedOutputTokens.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public IReadOnlyList<EvaluationTask> Tasks { get; init; } = [new EvaluationTask()];

    /// <summary>Selected candidates: model profile keys (model, region, tier).</summary>
    public IReadOnlyList<string> Models { get; init; } = [];

    /// <summary>Selected judges: judge profile keys.</summary>
    public IReadOnlyList<string> Judges { get; init; } = [];

    /// <summary>Run settings as typed, by setting name (Eval360.Configuration.RunSettings); unset ones keep their defaults.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();
}

/// <summary>An evaluation as the database holds it.</summary>
public sealed record Evaluation
{
    public required string Id { get; init; }

    public EvaluationState State { get; init; }

    public required EvaluationDefinition Definition { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public DateTimeOffset? QueuedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Its run directory once its run started (an ordinary run directory every cmdlet reads).</summary>
    public string? RunDirectory { get; init; }

    public string? RunId { get; init; }

    /// <summary>Why it failed or stopped; null otherwise.</summary>
    public string? Message { get; init; }

    public string Name => Definition.Name;
}

/// <summary>What happened to an evaluation, for its history.</summary>
public enum EvaluationEventKind
{
    Saved,
    Queued,
    Started,
    Interrupted,
    Resumed,
    Warning,
    Ended,
}

public sealed record EvaluationEvent(DateTimeOffset At, EvaluationEventKind Kind, string Message);

/// <summary>An uploaded CSV: stored under the data folder with a generated name; its original name is only shown.</summary>
public sealed record Upload(string Id, string OriginalName, string StoredPath, long Bytes, DateTimeOffset UploadedAt);
