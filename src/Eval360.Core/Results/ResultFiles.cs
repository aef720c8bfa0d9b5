using System.Globalization;
using System.Text.Json;
using CsvHelper;

namespace Eval360.Results;

/// <summary>Reads results back: from a run directory or its journal (lossless), or from an <c>invocations.csv</c>.</summary>
public static class ResultFiles
{
    /// <param name="unreadable">Lines that could not be read (a torn journal tail), reported rather than fatal.</param>
    public static IReadOnlyList<InvocationResult> Read(string path, out int unreadable)
    {
        var scan = new ResultScan();
        var results = Scan(path, scan).ToList();
        unreadable = scan.Unreadable;
        return results;
    }

    /// <summary>
    /// The names of every score the results at <paramref name="path"/> carry, in the order they first appear (the
    /// jury writes the core dimensions first, then the user's metrics). Reads the results once, keeping only names.
    /// </summary>
    public static IReadOnlyList<string> ScoreNames(string path)
    {
        var names = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var result in Scan(path, new ResultScan()))
        {
            foreach (var name in result.Scores.Keys)
            {
                if (seen.Add(name))
                {
                    names.Add(name);
                }
            }
        }

        return names;
    }

    /// <summary>
    /// Streams the results of a run directory, its journal or an invocations CSV, one at a time, so that memory stays
    /// flat however many there are. A path that does not exist throws <see cref="FileNotFoundException"/>; one that is
    /// something else (a folder that is not a run's, a profile or scenario file, an unrelated CSV) throws
    /// <see cref="InvalidDataException"/> naming it and what was expected, before any result is returned.
    /// </summary>
    /// <param name="scan">Counts the lines that could not be read (a torn journal tail) once the results are read.</param>
    public static IEnumerable<InvocationResult> Scan(string path, ResultScan scan)
    {
        if (Directory.Exists(path))
        {
            var journal = Path.Combine(path, RunJournal.FileName);
            if (!File.Exists(journal))
            {
                throw new InvalidDataException($"{path} is not an Eval360 run directory: it has no {RunJournal.FileName}. Expected a run directory, its {RunJournal.FileName} or its {InvocationCsv.FileName}.");
            }

            path = journal;
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path} does not exist", path);
        }

        return Path.GetExtension(path).Equals(".csv", StringComparison.OrdinalIgnoreCase)
            ? ReadCsv(path)
            : RunJournal.Scan(path, scan);
    }

    /// <summary>
    /// The columns every results CSV has, Eval360's and the seed's alike: without them a CSV is something else, and
    /// reading it would turn each row into a "Succeeded" result of no model.
    /// </summary>
    private static readonly string[] RequiredColumns = ["model_id", "api_call_status", "time_to_first_byte", "time_to_last_byte"];

    private static IEnumerable<InvocationResult> ReadCsv(string path)
    {
        using var csv = CsvReader.FromFile(path, new CsvReaderOptions { FormatProvider = CultureInfo.InvariantCulture });
        csv.ReadHeader();
        var missing = RequiredColumns.Where(c => !csv.Headers.Contains(c)).ToList();
        if (csv.Headers.Count > 0 && missing.Count > 0)
        {
            throw new InvalidDataException(
                $"{path} is not an Eval360 {InvocationCsv.FileName}: it has no {string.Join(", ", missing)} column{(missing.Count == 1 ? string.Empty : "s")}. Expected a run directory, its {RunJournal.FileName} or its {InvocationCsv.FileName}.");
        }

        while (csv.Read())
        {
            var row = csv.Current.ToDictionary();

            string? Get(string name) => row.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) && value != "N/A" ? value : null;
            double? Number(string name) => double.TryParse(Get(name), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
            long Whole(string name) => (long)(Number(name) ?? 0);
            var status = Get("status") ?? (Get("api_call_status") is "Success" or null ? InvocationStatus.Succeeded : InvocationStatus.Failed);
            var result = new InvocationResult
            {
                RunId = Get("run_id") ?? string.Empty,
                PlanId = Get("plan_id"),
                ExperimentName = Get("experiment_name") ?? string.Empty,
                Experiment = (int)Whole("run_count"),
                ScenarioId = Get("scenario_id") ?? string.Empty,
                Invocation = (int)Whole("invocation"),
                TaskType = Get("task_types") ?? string.Empty,
                TaskCriteria = Get("task_criteria") ?? string.Empty,
                Prompt = Get("prompt") ?? string.Empty,
                GoldenAnswer = Get("golden_answer") ?? string.Empty,
                ModelId = Get("model_id") ?? string.Empty,
                Provider = Get("provider") ?? (Get("model_id")?.Split('/')[0] ?? string.Empty),
                Region = Get("region"),
                ServiceTier = Get("service_tier"),
                ServedServiceTier = Get("served_service_tier"),
                ServiceTierFallback = Get("service_tier_fallback"),
                Temperature = Number("temperature") ?? 0,
                PromptVariant = Get("prompt_variant") ?? PromptVariants.Original,
                EvalType = Get("eval_type") ?? EvalTypes.Judged,
                Status = status,
                ErrorCode = Get("error_code"),
                ErrorMessage = Get("error_message"),
                Response = Get("model_response") ?? string.Empty,
                ReasoningResponse = Get("reasoning_response"),
                FinishReason = Get("finish_reason"),
                TimeToFirstToken = Number("time_to_first_byte"),
                TimeToLastByte = Number("time_to_last_byte"),
                InterTokenLatency = Number("inter_token_latency"),
                OutputTokensPerSecond = Number("throughput_tps"),
                InputTokens = Whole("input_tokens"),
                OutputTokens = Whole("output_tokens"),
                TokensEstimated = Get("tokens_estimated") == "True",
                Cost = Number("response_cost") ?? 0,
                Retries = (int)(Number("retry_count") ?? Number("inference_request_count") ?? 0),
                Throttled = Get("throttled") == "True",
                ThrottleWaitSeconds = Number("throttle_wait_time") ?? 0,
                ProviderThrottles = (int)Whole("provider_throttles"),
                TargetRpm = Number("target_rpm"),
                ActualRpm = Number("actual_rpm"),
                StartedAt = DateTimeOffset.TryParse(Get("timestamp"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : default,
                Passed = Get("judge_success") switch { "True" => true, "False" => false, _ => null },
                JuryCost = Number("evaluation_cost") ?? 0,
                Simulated = Get("simulated") == "True",
                Key = Get("key") ?? string.Empty,
                JuryId = Get("jury_id"),
            };
            if (Get("judge_scores") is { } scores && scores.StartsWith('{'))
            {
                result.Scores = new Dictionary<string, double>(JsonSerializer.Deserialize(scores, ResultJsonContext.Default.DictionaryStringDouble) ?? [], StringComparer.OrdinalIgnoreCase);
            }

            if (Get("judge_details") is { } details && details.StartsWith('['))
            {
                result.Judges = JsonSerializer.Deserialize(details, ResultJsonContext.Default.ListJudgeVerdict) ?? [];
            }

            yield return result;
        }
    }
}
