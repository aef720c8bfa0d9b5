using System.Globalization;
using System.Text.Json;
using CsvHelper;

namespace Eval360.Results;

/// <summary>
/// <c>invocations.csv</c>: the seed's column names where the seed has the column (so its readers and habits carry
/// over), then Eval360's own. Values are plain: numbers in invariant culture, booleans as <c>True</c>/<c>False</c>
/// as the seed's pandas writes them, structured fields as JSON. Latency-only rows carry <c>N/A</c> in judge fields.
/// </summary>
internal sealed class InvocationCsv : IDisposable
{
    public const string FileName = "invocations.csv";

    private static readonly CsvWriterOptions Options = new() { NewLine = "\n", FormatProvider = CultureInfo.InvariantCulture };

    private static readonly (string Name, Func<InvocationResult, string?> Value)[] Columns =
    [
        ("model_id", r => r.ModelId),
        ("region", r => r.Region),
        ("temperature", r => Number(r.Temperature)),
        ("task_types", r => r.TaskType),
        ("task_criteria", r => r.TaskCriteria),
        ("prompt", r => r.Prompt),
        ("golden_answer", r => r.GoldenAnswer),
        ("model_response", r => r.Response),
        ("input_tokens", r => r.InputTokens.ToString(CultureInfo.InvariantCulture)),
        ("output_tokens", r => r.OutputTokens.ToString(CultureInfo.InvariantCulture)),
        ("time_to_first_byte", r => Number(r.TimeToFirstToken)),
        ("time_to_last_byte", r => Number(r.TimeToLastByte)),
        ("throughput_tps", r => Number(r.OutputTokensPerSecond)),
        ("response_cost", r => Number(r.Cost)),
        ("retry_count", r => r.Retries.ToString(CultureInfo.InvariantCulture)),
        ("api_call_status", r => r.IsSucceeded() ? "Success" : $"{r.ErrorCode}: {r.ErrorMessage}"),
        ("error_code", r => r.IsSucceeded() ? null : r.ErrorCode),
        ("judge_success", r => Latency(r) ?? Bool(r.Passed)),
        ("judge_scores", r => r.IsLatencyOnly() ? "{}" : JsonSerializer.Serialize(new Dictionary<string, double>(r.Scores), ResultJsonContext.Default.DictionaryStringDouble)),
        ("judge_details", r => r.IsLatencyOnly() ? "[]" : JsonSerializer.Serialize(r.Judges.ToList(), ResultJsonContext.Default.ListJudgeVerdict)),
        ("judge_explanation", r => Latency(r) ?? string.Join(" | ", r.Judges.Select(j => $"{j.JudgeModelId}: {j.Error ?? j.Explanation}"))),
        ("evaluation_cost", r => Number(r.JuryCost)),
        ("eval_type", r => r.EvalType),
        ("throttled", r => Bool(r.Throttled)),
        ("throttle_wait_time", r => Number(r.ThrottleWaitSeconds)),
        ("target_rpm", r => Number(r.TargetRpm)),
        ("actual_rpm", r => Number(r.ActualRpm)),
        ("run_count", r => r.Experiment.ToString(CultureInfo.InvariantCulture)),
        ("timestamp", r => r.StartedAt.ToString("O", CultureInfo.InvariantCulture)),
        ("inference_request_count", r => r.Retries.ToString(CultureInfo.InvariantCulture)),
        ("provider_throttles", r => r.ProviderThrottles.ToString(CultureInfo.InvariantCulture)),
        ("run_id", r => r.RunId),
        ("experiment_name", r => r.ExperimentName),
        ("scenario_id", r => r.ScenarioId),
        ("invocation", r => r.Invocation.ToString(CultureInfo.InvariantCulture)),
        ("provider", r => r.Provider),
        ("service_tier", r => r.ServiceTier),
        ("served_service_tier", r => r.ServedServiceTier),
        ("service_tier_fallback", r => r.ServiceTierFallback),
        ("prompt_variant", r => r.PromptVariant),
        ("status", r => r.Status),
        ("error_message", r => r.ErrorMessage),
        ("reasoning_response", r => r.ReasoningResponse),
        ("finish_reason", r => r.FinishReason),
        ("inter_token_latency", r => Number(r.InterTokenLatency)),
        ("tokens_estimated", r => Bool(r.TokensEstimated)),
        ("simulated", r => Bool(r.Simulated)),
        ("key", r => r.Key),
        ("jury_id", r => r.JuryId),
        ("plan_id", r => r.PlanId),
    ];

    private readonly CsvWriter _csv;

    private InvocationCsv(Stream stream, bool writeHeader, bool leaveOpen = false)
    {
        _csv = CsvWriter.Create(stream, Options, leaveOpen);
        if (writeHeader)
        {
            foreach (var column in Columns)
            {
                _csv.WriteField(column.Name);
            }

            _csv.EndRecord();
        }
    }

    public static IReadOnlyList<string> ColumnNames { get; } = Columns.Select(c => c.Name).ToList();

    private static readonly string HeaderLine = string.Join(',', ColumnNames);

    /// <summary>
    /// Opens for appending. The header is written when the file is new, or when it holds nothing but an earlier
    /// version's header (a run begun with fewer columns and resumed before its first result), whose rows would otherwise
    /// carry more fields than it names. A resumed run with results has had its file rebuilt from the journal already.
    /// </summary>
    public static InvocationCsv Open(string path)
    {
        bool fresh = !File.Exists(path) || new FileInfo(path).Length == 0 || HoldsOnlyAnotherHeader(path);
        var stream = new FileStream(path, fresh ? FileMode.Create : FileMode.Append, FileAccess.Write, FileShare.Read, 1);
        return new InvocationCsv(stream, fresh);
    }

    private static bool HoldsOnlyAnotherHeader(string path)
    {
        using var lines = File.ReadLines(path).GetEnumerator();
        return lines.MoveNext() && lines.Current != HeaderLine && !lines.MoveNext();
    }

    /// <summary>Writes a complete file from results, atomically (a resumed run's CSV is rebuilt from its journal).</summary>
    public static void WriteAll(string path, IEnumerable<InvocationResult> results) =>
        ResultJson.WriteAtomically(path, stream =>
        {
            using var file = new InvocationCsv(stream, writeHeader: true, leaveOpen: true);
            foreach (var result in results)
            {
                file.Append(result);
            }
        });

    public void Append(InvocationResult result)
    {
        foreach (var column in Columns)
        {
            _csv.WriteField(column.Value(result));
        }

        _csv.EndRecord();
    }

    public void Flush() => _csv.Flush();

    public void Dispose()
    {
        _csv.Flush();
        _csv.Dispose();
    }

    private static string? Latency(InvocationResult result) => result.IsLatencyOnly() ? "N/A" : null;

    private static string? Number(double? value) => value?.ToString("R", CultureInfo.InvariantCulture);

    private static string? Bool(bool? value) => value switch
    {
        true => "True",
        false => "False",
        null => null,
    };
}
