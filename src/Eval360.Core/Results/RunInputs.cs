using System.Text;
using System.Text.Json;
using Eval360.Configuration;

namespace Eval360.Results;

/// <summary>
/// A run's inputs, snapshotted under <c>inputs/</c> in the seed's formats: resume replays exactly these, even if the
/// original files changed or the scenarios came from the pipeline. Profiles hold no secrets (only variable names).
/// </summary>
internal static class RunInputs
{
    private const string Scenarios = "scenarios.jsonl";
    private const string Models = "models.jsonl";
    private const string Judges = "judges.jsonl";

    /// <summary>The scenarios of the snapshot in <paramref name="directory"/>.</summary>
    public static string ScenarioPath(string directory) => Path.Combine(directory, Scenarios);

    /// <summary>A re-judging's saved results, exactly as it judges them (deduplicated, every one keyed).</summary>
    private const string Results = "results.jsonl";

    public static void Write(string directory, IReadOnlyList<Scenario> scenarios, IReadOnlyList<ModelProfile> models, IReadOnlyList<ModelProfile> judges)
    {
        Directory.CreateDirectory(directory);
        WriteLines(Path.Combine(directory, Scenarios), scenarios.Select(ScenarioLine));
        WriteLines(Path.Combine(directory, Models), models.Select(ModelLine));
        WriteLines(Path.Combine(directory, Judges), judges.Select(JudgeLine));
    }

    /// <summary>The files of a snapshot, for copying it whole (a merge of shards keeps their common inputs).</summary>
    public static IEnumerable<string> Files(string directory) =>
        new[] { Scenarios, Models, Judges }.Select(name => Path.Combine(directory, name)).Where(File.Exists);

    /// <summary>A scenario as its snapshot line: the same scenario always gives the same line.</summary>
    public static string ScenarioLine(Scenario scenario) => ToJson(scenario);

    public static string ModelLine(ModelProfile model) => ToJson(model, "input_token_cost", "output_token_cost");

    public static string JudgeLine(ModelProfile judge) => ToJson(judge, "input_cost_per_1k", "output_cost_per_1k");

    public static LoadedConfiguration Read(string directory, ProviderCatalog providers)
    {
        var findings = new List<ConfigFinding>();
        var scenarios = ScenarioFile.Read(Path.Combine(directory, Scenarios), findings);
        var models = ProfileFile.Read(Path.Combine(directory, Models), ProfileRole.Candidate, findings, providers);
        var judgesPath = Path.Combine(directory, Judges);
        var judges = new FileInfo(judgesPath) is { Exists: true, Length: > 0 } ? ProfileFile.Read(judgesPath, ProfileRole.Judge, findings, providers) : [];
        if (findings.Any(f => f.Severity == ConfigSeverity.Error))
        {
            throw new ConfigurationException(findings);
        }

        return new LoadedConfiguration(scenarios, models, judges, findings);
    }

    /// <summary>The judges of a re-judging (it has no scenarios or models of its own: its inputs are saved results).</summary>
    public static void WriteJudges(string directory, IReadOnlyList<ModelProfile> judges)
    {
        Directory.CreateDirectory(directory);
        WriteLines(Path.Combine(directory, Judges), judges.Select(j => ToJson(j, "input_cost_per_1k", "output_cost_per_1k")));
    }

    public static IReadOnlyList<ModelProfile> ReadJudges(string directory, ProviderCatalog providers)
    {
        var findings = new List<ConfigFinding>();
        var judges = ProfileFile.Read(Path.Combine(directory, Judges), ProfileRole.Judge, findings, providers);
        if (findings.Any(f => f.Severity == ConfigSeverity.Error))
        {
            throw new ConfigurationException(findings);
        }

        return judges;
    }

    /// <summary>Where a re-judging's saved results are snapshotted.</summary>
    public static string ResultsPath(string directory) => Path.Combine(directory, Results);

    /// <summary>Snapshots the saved results a re-judging judges, in the journal's format; atomically, so a snapshot is whole or absent.</summary>
    public static void WriteResults(string directory, IEnumerable<InvocationResult> results)
    {
        Directory.CreateDirectory(directory);
        var path = ResultsPath(directory);
        var temporary = path + ".tmp";
        File.Delete(temporary);
        using (var journal = RunJournal.Open(temporary))
        {
            foreach (var result in results)
            {
                journal.Append(result);
                journal.Flush();
            }
        }

        File.Move(temporary, path, overwrite: true);
    }

    private static void WriteLines(string path, IEnumerable<string> lines) =>
        ResultJson.WriteAtomically(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), 64 * 1024, leaveOpen: true);
            foreach (var line in lines)
            {
                writer.Write(line);
                writer.Write('\n');
            }
        });

    private static string ToJson(Scenario s)
    {
        var value = new Dictionary<string, object?>
        {
            ["text_prompt"] = s.Prompt,
            ["expected_output_tokens"] = s.ExpectedOutputTokens,
            ["task"] = new Dictionary<string, string> { ["task_type"] = s.TaskType, ["task_criteria"] = s.TaskCriteria },
            ["golden_answer"] = s.GoldenAnswer,
        };
        AddIf(value, "url_image", s.ImageUrl);
        AddIf(value, "user_defined_metrics", s.UserDefinedMetrics.Count > 0 ? s.UserDefinedMetrics : null);
        AddIf(value, "temperature", s.Temperature);
        return JsonSerializer.Serialize(value);
    }

    private static string ToJson(ModelProfile p, string inputCost, string outputCost)
    {
        var value = new Dictionary<string, object?> { ["model_id"] = p.ModelId };
        AddIf(value, "region", p.Region);
        value[inputCost] = p.InputCostPer1K;
        value[outputCost] = p.OutputCostPer1K;
        AddIf(value, "target_rpm", p.TargetRpm);
        AddIf(value, "target_tpm", p.TargetTpm);
        AddIf(value, "service_tier", p.ServiceTier);
        AddIf(value, "endpoint", p.Endpoint?.ToString());
        AddIf(value, "api_key_env", p.ApiKeyEnv);
        AddIf(value, "api_version", p.ApiVersion);
        return JsonSerializer.Serialize(value);
    }

    private static void AddIf(Dictionary<string, object?> value, string name, object? field)
    {
        if (field is not null)
        {
            value[name] = field;
        }
    }
}
