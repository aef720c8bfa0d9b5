namespace Eval360.Results;

/// <summary>One record of <c>unprocessed.json</c>: an invocation that failed or could not be judged, with why.</summary>
public sealed record UnprocessedRecord(
    string Key,
    int Experiment,
    int Invocation,
    string ScenarioId,
    string ModelId,
    string? Region,
    UnprocessedScenario Scenario,
    string Reason,
    string ErrorClassification,
    string? ErrorCode,
    int Retries,
    DateTimeOffset Timestamp,
    IReadOnlyList<JudgeFailure> JudgeErrors);

/// <summary>The scenario of an unprocessed record, in the seed's field names, so it can be run again as it is.</summary>
public sealed record UnprocessedScenario(string TextPrompt, string TaskType, string TaskCriteria, string GoldenAnswer, double Temperature);

/// <summary>A judge that gave no usable verdict.</summary>
public sealed record JudgeFailure(string Judge, string Error);

/// <summary>
/// <c>unprocessed.json</c>, the seed's list of records that failed to be evaluated: API failures (the model did not
/// answer), jury failures (no judge gave a usable verdict) and partial juries (some judges failed). Rewritten
/// atomically, at most once a second and when the run ends, so it is always valid JSON.
/// </summary>
internal sealed class UnprocessedLog
{
    public const string FileName = "unprocessed.json";

    private readonly string _path;
    private readonly List<UnprocessedRecord> _records = [];
    private bool _dirty = true;
    private long _lastWrite;

    public UnprocessedLog(string path, IEnumerable<UnprocessedRecord>? existing = null)
    {
        _path = path;
        _records.AddRange(existing ?? []);
    }

    public int Count => _records.Count;

    public void AddIfUnprocessed(InvocationResult result)
    {
        var judgeErrors = result.Judges.Where(j => j.Error is not null).Select(j => new JudgeFailure(j.JudgeModelId, j.Error!)).ToList();
        (string Reason, string Classification)? entry = result switch
        {
            { Status: not InvocationStatus.Succeeded } => ($"API error: {result.ErrorCode}: {result.ErrorMessage}", "api_failure"),
            { EvalType: EvalTypes.Judged, Passed: null } => ($"Jurors evaluation failure: no judge gave a usable verdict ({string.Join(", ", judgeErrors.Select(j => j.Judge))})", "judge_failure"),
            _ when judgeErrors.Count > 0 => ($"Partial jury: {judgeErrors.Count} of {result.Judges.Count} judges gave no usable verdict and were left out", "partial_jury"),
            _ => null,
        };
        if (entry is not { } e)
        {
            return;
        }

        var scenario = new UnprocessedScenario(result.Prompt, result.TaskType, result.TaskCriteria, result.GoldenAnswer, result.Temperature);
        _records.Add(new UnprocessedRecord(result.Key, result.Experiment, result.Invocation, result.ScenarioId, result.ModelId, result.Region,
            scenario, e.Reason, e.Classification, result.ErrorCode, result.Retries, result.StartedAt, judgeErrors));
        _dirty = true;
    }

    /// <summary>Writes the file if it changed (at most once a second unless <paramref name="force"/>).</summary>
    public void Save(bool force = false)
    {
        if (!_dirty || (!force && Environment.TickCount64 - _lastWrite < 1000))
        {
            return;
        }

        ResultJson.WriteAtomically(_path, _records);
        _dirty = false;
        _lastWrite = Environment.TickCount64;
    }
}
