using System.Text.Json;

namespace Eval360.Configuration;

/// <summary>Everything a run reads from files, checked.</summary>
public sealed record LoadedConfiguration(
    IReadOnlyList<Scenario> Scenarios,
    IReadOnlyList<ModelProfile> Models,
    IReadOnlyList<ModelProfile> Judges,
    IReadOnlyList<ConfigFinding> Warnings);

/// <summary>Reads and checks scenario, model and judge files; the single entry point for both validation and runs.</summary>
public static class ConfigLoader
{
    /// <summary>Checks one file and returns every finding (an empty list means the file is fine).</summary>
    /// <param name="providers">The providers profiles may name (<c>ProviderSet.Catalog</c>).</param>
    public static IReadOnlyList<ConfigFinding> Validate(string path, ProviderCatalog providers, ConfigKind kind = ConfigKind.Auto)
    {
        var findings = new List<ConfigFinding>();
        if (!RequireFile(path, parameter: null, findings))
        {
            return findings;
        }

        var resolved = kind == ConfigKind.Auto ? DetectKind(path) : kind;
        if (kind == ConfigKind.Auto && resolved == ConfigKind.Scenario && KindFromName(path) is ConfigKind named and not ConfigKind.Scenario)
        {
            // Checked as what it holds, a clean file would say nothing; but it is named for the run's profile
            // parameters, which refuse it: say so, so that "no output" keeps meaning "the run accepts it".
            findings.Add(new ConfigFinding(ConfigSeverity.Warning, path, 0, string.Empty,
                $"holds scenarios, though its name says {(named == ConfigKind.Judge ? "judge" : "model")} profiles: -ModelProfile and -JudgeProfile refuse it (give it to -InputFile)"));
        }

        switch (resolved)
        {
            case ConfigKind.Scenario:
                ScenarioFile.Read(path, findings);
                break;
            case ConfigKind.Model:
                ProfileFile.Read(path, ProfileRole.Candidate, findings, providers);
                break;
            case ConfigKind.Judge:
                ProfileFile.Read(path, ProfileRole.Judge, findings, providers);
                break;
            default:
                findings.Add(new ConfigFinding(ConfigSeverity.Error, path, 0, string.Empty,
                    "cannot tell whether this is a scenario, model or judge file; pass -Kind"));
                break;
        }

        return findings;
    }

    /// <summary>Reads everything a run needs; throws <see cref="ConfigurationException"/> listing every error.</summary>
    /// <param name="providers">The providers profiles may name (<c>ProviderSet.Catalog</c>).</param>
    /// <param name="baseDirectory">Where relative image paths of <paramref name="extraScenarios"/> resolve (the PowerShell location); the process's directory when null.</param>
    public static LoadedConfiguration Load(
        IEnumerable<string> scenarioFiles,
        IEnumerable<Scenario> extraScenarios,
        string modelFile,
        string? judgeFile,
        ProviderCatalog providers,
        string? baseDirectory = null)
    {
        var findings = new List<ConfigFinding>();
        var scenarios = new List<Scenario>();
        foreach (var file in scenarioFiles)
        {
            if (RequireFile(file, "InputFile", findings))
            {
                scenarios.AddRange(ScenarioFile.Read(file, findings));
            }
        }

        int index = 0;
        foreach (var scenario in extraScenarios)
        {
            index++;
            var source = scenario.Source.Length > 0 ? scenario.Source : $"pipeline object #{index}";
            foreach (var problem in ScenarioRules.Errors(scenario, baseDirectory ?? Environment.CurrentDirectory))
            {
                findings.Add(new ConfigFinding(ConfigSeverity.Error, source, 0, problem.Field, problem.Message));
            }

            scenarios.Add(scenario);
        }
        var models = LoadProfiles(modelFile, ProfileRole.Candidate, providers, findings);
        var judges = judgeFile is null ? [] : LoadProfiles(judgeFile, ProfileRole.Judge, providers, findings);

        if (findings.Count == 0 || findings.All(f => f.Severity == ConfigSeverity.Warning))
        {
            if (scenarios.Count == 0)
            {
                findings.Add(new ConfigFinding(ConfigSeverity.Error, "InputFile", 0, string.Empty, "no scenarios: give a scenario file or pipe scenarios in"));
            }

            if (models.Count == 0)
            {
                findings.Add(new ConfigFinding(ConfigSeverity.Error, modelFile, 0, string.Empty, "holds no models"));
            }

            if (judgeFile is not null && judges.Count == 0)
            {
                findings.Add(new ConfigFinding(ConfigSeverity.Error, judgeFile, 0, string.Empty, "holds no judges (use -LatencyOnly to run without a jury)"));
            }
        }

        if (findings.Any(f => f.Severity == ConfigSeverity.Error))
        {
            throw new ConfigurationException(findings);
        }

        return new LoadedConfiguration(scenarios, models, judges, findings);
    }

    /// <summary>Reads a judge profile file on its own (a re-judging has no scenarios or models); throws <see cref="ConfigurationException"/> listing every error.</summary>
    /// <returns>The judges, and the file's warnings.</returns>
    public static (IReadOnlyList<ModelProfile> Judges, IReadOnlyList<ConfigFinding> Warnings) LoadJudges(string judgeFile, ProviderCatalog providers)
    {
        var findings = new List<ConfigFinding>();
        var judges = LoadProfiles(judgeFile, ProfileRole.Judge, providers, findings);
        if (findings.All(f => f.Severity == ConfigSeverity.Warning) && judges.Count == 0)
        {
            findings.Add(new ConfigFinding(ConfigSeverity.Error, judgeFile, 0, string.Empty, "holds no judges"));
        }

        if (findings.Any(f => f.Severity == ConfigSeverity.Error))
        {
            throw new ConfigurationException(findings);
        }

        return (judges, findings);
    }

    /// <summary>Reads one model or judge profile file; every problem is added to <paramref name="findings"/>, and profiles with errors are left out.</summary>
    /// <param name="providers">The providers profiles may name (<c>ProviderSet.Catalog</c>).</param>
    public static IReadOnlyList<ModelProfile> LoadProfiles(string path, ProfileRole role, ProviderCatalog providers, List<ConfigFinding> findings) =>
        RequireFile(path, role == ProfileRole.Judge ? "JudgeProfile" : "ModelProfile", findings) ? ProfileFile.Read(path, role, findings, providers) : [];

    /// <summary>Guesses a file's kind from its first object's fields, then from its name.</summary>
    public static ConfigKind DetectKind(string path)
    {
        if (Path.GetExtension(path).Equals(".csv", StringComparison.OrdinalIgnoreCase))
        {
            return ConfigKind.Scenario;
        }

        var kind = ConfigKind.Auto;
        var ignored = new List<ConfigFinding>();
        try
        {
            JsonlReader.ReadWhile(path, ignored, (_, obj) =>
            {
                // Both price spellings mean a profile; model and judge files are read alike (either spelling in either).
                kind = Has(obj, "text_prompt") || Has(obj, "task") || Has(obj, "golden_answer") ? ConfigKind.Scenario
                    : Has(obj, "input_cost_per_1k") || Has(obj, "output_cost_per_1k") ? ConfigKind.Judge
                    : Has(obj, "input_token_cost") || Has(obj, "output_token_cost") ? ConfigKind.Model
                    : ConfigKind.Auto;
                return kind == ConfigKind.Auto;
            });
        }
        catch (IOException)
        {
            // Reported by the real read.
        }

        if (kind != ConfigKind.Auto)
        {
            return kind;
        }

        return KindFromName(path)
            ?? (Path.GetFileName(path).EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) ? ConfigKind.Scenario : ConfigKind.Auto);
    }

    /// <summary>What a file's name says it holds: judges (<c>judge</c>, <c>jury</c>), models (<c>model</c>), scenarios (<c>.csv</c>); null when it says nothing.</summary>
    private static ConfigKind? KindFromName(string path)
    {
        var name = Path.GetFileName(path).ToLowerInvariant();
        return name.EndsWith(".csv", StringComparison.Ordinal) ? ConfigKind.Scenario
            : name.Contains("judge", StringComparison.Ordinal) || name.Contains("jury", StringComparison.Ordinal) ? ConfigKind.Judge
            : name.Contains("model", StringComparison.Ordinal) ? ConfigKind.Model
            : null;
    }

    private static bool Has(JsonElement obj, string name) => obj.TryGetProperty(name, out _);

    /// <summary>Adds an error unless <paramref name="path"/> is a file; <paramref name="parameter"/> names the parameter that gave it, if any.</summary>
    private static bool RequireFile(string path, string? parameter, List<ConfigFinding> findings)
    {
        if (File.Exists(path))
        {
            return true;
        }

        var what = Directory.Exists(path) ? "is a folder; give a file" : "does not exist";
        findings.Add(new ConfigFinding(ConfigSeverity.Error, path, 0, string.Empty, parameter is null ? what : $"{what} (-{parameter})"));
        return false;
    }
}
