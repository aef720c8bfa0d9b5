using Eval360.Configuration;
using Eval360.Providers;
using Eval360.Providers.Bedrock;

namespace Eval360.Tests.Configuration;

public sealed class ConfigValidationTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private const string GoodScenario = """{"text_prompt": "What is 2+2?", "expected_output_tokens": 50, "task": {"task_type": "QA", "task_criteria": "Correct"}, "golden_answer": "4"}""";

    [Theory]
    [InlineData("config/models_profiles.jsonl", ConfigKind.Model)]
    [InlineData("config/judge_profiles.jsonl", ConfigKind.Judge)]
    [InlineData("runs/quickstart.jsonl", ConfigKind.Scenario)]
    [InlineData("runs/examples.jsonl", ConfigKind.Scenario)]
    [InlineData("config/quickstart.models.jsonl", ConfigKind.Model)]
    [InlineData("config/quickstart.judges.jsonl", ConfigKind.Judge)]
    public void The_seeds_real_files_and_ours_have_no_errors(string relative, ConfigKind kind)
    {
        var path = Repository.PathOf(relative);
        Assert.Equal(kind, ConfigLoader.DetectKind(path));
        var findings = ConfigLoader.Validate(path, ProviderSet.Catalog);
        Assert.DoesNotContain(findings, f => f.Severity == ConfigSeverity.Error);
    }

    [Fact]
    public void Seed_model_profiles_are_read_with_every_field()
    {
        var findings = new List<ConfigFinding>();
        var models = ProfileFile.Read(Repository.PathOf("config/models_profiles.jsonl"), ProfileRole.Candidate, findings, ProviderSet.Catalog);
        Assert.Equal(27, models.Count);
        var first = models[0];
        Assert.Equal("bedrock/us.amazon.nova-2-lite-v1:0", first.ModelId);
        Assert.Same(BedrockProvider.Instance.Traits, first.Provider);
        Assert.Equal("us.amazon.nova-2-lite-v1:0", first.Model);
        Assert.Equal("us-west-2", first.Region);
        Assert.Equal(0.00006, first.InputCostPer1K);
        Assert.Equal(0.00024, first.OutputCostPer1K);
        Assert.Equal("sa-east-1", models[^1].Region);
    }

    [Fact]
    public void Every_optional_field_is_read()
    {
        var path = _temp.File("models.jsonl", """
            {"model_id": "openai-compatible/llama3", "region": "eu-west-1", "input_token_cost": 0.1, "output_token_cost": 0.2, "target_rpm": 30, "target_tpm": 90000, "service_tier": "Priority", "endpoint": "http://localhost:8000/v1", "api_key_env": "MY_KEY", "api_version": "2024-10-21"}
            """);
        var findings = new List<ConfigFinding>();
        var model = Assert.Single(ProfileFile.Read(path, ProfileRole.Candidate, findings, ProviderSet.Catalog));
        Assert.Empty(findings);
        Assert.Equal(30, model.TargetRpm);
        Assert.Equal(90000, model.TargetTpm);
        Assert.Equal("priority", model.ServiceTier);
        Assert.Equal(new Uri("http://localhost:8000/v1"), model.Endpoint);
        Assert.Equal("MY_KEY", model.ApiKeyEnv);
        Assert.Equal("2024-10-21", model.ApiVersion);
        Assert.Equal("openai-compatible/llama3_priority", model.DisplayName);
    }

    [Fact]
    public void Every_scenario_field_is_read()
    {
        var image = _temp.Bytes("images/cat.png", [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0]);
        var path = _temp.File("runs.jsonl", """
            {"text_prompt": "Describe it", "expected_output_tokens": 250, "task": {"task_type": "Vision", "task_criteria": "Accurate"}, "golden_answer": "A cat", "url_image": "images/cat.png", "user_defined_metrics": "brand voice, tone", "temperature": 0.4}
            """);
        var findings = new List<ConfigFinding>();
        var scenario = Assert.Single(ScenarioFile.Read(path, findings));
        Assert.Empty(findings);
        Assert.Equal("Describe it", scenario.Prompt);
        Assert.Equal(250, scenario.ExpectedOutputTokens);
        Assert.Equal("Vision", scenario.TaskType);
        Assert.Equal("Accurate", scenario.TaskCriteria);
        Assert.Equal("A cat", scenario.GoldenAnswer);
        Assert.Equal(image, scenario.ImageUrl);
        Assert.Equal(["brand voice", "tone"], scenario.UserDefinedMetrics);
        Assert.Equal(0.4, scenario.Temperature);
        Assert.Equal($"{path}:1", scenario.Source);
    }

    [Fact]
    public void Bad_json_is_reported_on_its_own_line_and_the_other_lines_are_still_read()
    {
        var path = _temp.File("runs.jsonl", GoodScenario + "\n\n" + """{"text_prompt": "x", "task": """ + "\n" + GoodScenario + "\n");
        var findings = new List<ConfigFinding>();
        var scenarios = ScenarioFile.Read(path, findings);
        Assert.Equal(2, scenarios.Count);
        var error = Assert.Single(findings, f => f.Severity == ConfigSeverity.Error);
        Assert.Equal(3, error.Line);
        Assert.Equal(path, error.Path);
        Assert.Contains("not valid JSON", error.Message);
        Assert.StartsWith($"{path}:3: ", error.ToString());
    }

    [Theory]
    [InlineData("""{"text_prompt": 42, "expected_output_tokens": 50, "task": {"task_type": "QA", "task_criteria": "C"}, "golden_answer": "4"}""", "text_prompt", "must be a string")]
    [InlineData("""{"text_prompt": "p", "expected_output_tokens": "50", "task": {"task_type": "QA", "task_criteria": "C"}, "golden_answer": "4"}""", "expected_output_tokens", "must be a number")]
    [InlineData("""{"text_prompt": "p", "expected_output_tokens": 12.5, "task": {"task_type": "QA", "task_criteria": "C"}, "golden_answer": "4"}""", "expected_output_tokens", "whole number")]
    [InlineData("""{"text_prompt": "p", "expected_output_tokens": 0, "task": {"task_type": "QA", "task_criteria": "C"}, "golden_answer": "4"}""", "expected_output_tokens", "between 1 and")]
    [InlineData("""{"text_prompt": "p", "task": "QA", "golden_answer": "4"}""", "task", "must be an object")]
    [InlineData("""{"text_prompt": "p", "task": {"task_criteria": "C"}, "golden_answer": "4"}""", "task.task_type", "is required")]
    [InlineData("""{"text_prompt": "p", "task": {"task_type": "QA"}, "golden_answer": "4"}""", "task.task_criteria", "is required")]
    [InlineData("""{"expected_output_tokens": 5, "task": {"task_type": "QA", "task_criteria": "C"}}""", "text_prompt", "is required")]
    [InlineData("""{"prompt": "p", "task": {"task_type": "QA", "task_criteria": "C"}}""", "text_prompt", "call it 'text_prompt'")]
    [InlineData("""{"text_prompt": "  ", "task": {"task_type": "QA", "task_criteria": "C"}}""", "text_prompt", "must not be empty")]
    [InlineData("""{"text_prompt": "p", "task": {"task_type": "QA", "task_criteria": "C"}, "temperature": 2.5}""", "temperature", "between 0 and 2")]
    [InlineData("""{"text_prompt": "p", "task": {"task_type": "QA", "task_criteria": "C"}, "temperature": -0.1}""", "temperature", "between 0 and 2")]
    [InlineData("""{"text_prompt": "p", "task": {"task_type": "QA", "task_criteria": "C"}, "user_defined_metrics": 7}""", "user_defined_metrics", "comma-separated")]
    [InlineData("""{"text_prompt": "p", "task": {"task_type": "QA", "task_criteria": "C"}, "url_image": "missing.png"}""", "url_image", "does not exist")]
    [InlineData("""{"text_prompt": "p", "task": {"task_type": "QA", "task_criteria": "C"}, "url_image": "../../etc/passwd"}""", "url_image", "outside the scenario file's folder")]
    [InlineData("""{"text_prompt": "p", "task": {"task_type": "QA", "task_criteria": "C"}, "url_image": "ftp://host/cat.png"}""", "url_image", "unsupported scheme")]
    [InlineData("[1, 2]", "", "must be a JSON object")]
    public void Scenario_mistakes_name_the_field(string line, string field, string message)
    {
        var path = _temp.File("runs.jsonl", GoodScenario + "\n" + line);
        var error = Assert.Single(ConfigLoader.Validate(path, ProviderSet.Catalog, ConfigKind.Scenario), f => f.Severity == ConfigSeverity.Error);
        Assert.Equal(2, error.Line);
        Assert.Equal(field, error.Field);
        Assert.Contains(message, error.Message);
    }

    [Theory]
    [InlineData("""{"region": "us-east-1", "input_token_cost": 0.1, "output_token_cost": 0.1}""", "model_id", "is required")]
    [InlineData("""{"model_id": "gpt-4o", "input_token_cost": 0.1, "output_token_cost": 0.1}""", "model_id", "no provider prefix")]
    [InlineData("""{"model_id": "foo/bar", "input_token_cost": 0.1, "output_token_cost": 0.1}""", "model_id", "unknown provider prefix 'foo/'")]
    [InlineData("""{"model_id": "bedrock/x", "input_token_cost": 0.1, "output_token_cost": 0.1}""", "region", "is required")]
    [InlineData("""{"model_id": "openai/gpt-4o", "input_token_cost": -0.1, "output_token_cost": 0.1}""", "input_token_cost", "must not be negative")]
    [InlineData("""{"model_id": "openai/gpt-4o", "input_token_cost": "0.1", "output_token_cost": 0.1}""", "input_token_cost", "must be a number")]
    [InlineData("""{"model_id": "openai/gpt-4o", "input_token_cost": 0.1}""", "output_token_cost", "is required")]
    [InlineData("""{"model_id": "openai/gpt-4o", "input_token_cost": 0.1, "output_token_cost": 0.1, "target_rpm": 0}""", "target_rpm", "greater than 0")]
    [InlineData("""{"model_id": "openai/gpt-4o", "input_token_cost": 0.1, "output_token_cost": 0.1, "service_tier": "gold"}""", "service_tier", "not a service tier")]
    [InlineData("""{"model_id": "openai-compatible/llama", "input_token_cost": 0.1, "output_token_cost": 0.1}""", "endpoint", "is required")]
    [InlineData("""{"model_id": "openai/gpt-4o", "input_token_cost": 0.1, "output_token_cost": 0.1, "endpoint": "localhost:8000"}""", "endpoint", "not an absolute http(s) URL")]
    [InlineData("""{"model_id": "openai/gpt-4o", "input_token_cost": 0.1, "input_cost_per_1k": 0.1, "output_token_cost": 0.1}""", "input_cost_per_1k", "gives the same price as 'input_token_cost'")]
    public void Model_profile_mistakes_name_the_field(string line, string field, string message)
    {
        var path = _temp.File("models.jsonl", line);
        var errors = ConfigLoader.Validate(path, ProviderSet.Catalog, ConfigKind.Model).Where(f => f.Severity == ConfigSeverity.Error).ToList();
        Assert.Contains(errors, e => e.Field == field && e.Message.Contains(message) && e.Line == 1);
    }

    [Fact]
    public void A_key_pasted_into_api_key_env_is_not_echoed()
    {
        var path = _temp.File("models.jsonl", """{"model_id": "openai/gpt-4o", "input_token_cost": 0.1, "output_token_cost": 0.1, "api_key_env": "sk-proj-abcdefghijklmnopqrstuvwxyz123456"}""");
        var finding = Assert.Single(ConfigLoader.Validate(path, ProviderSet.Catalog, ConfigKind.Model));
        Assert.Equal("api_key_env", finding.Field);
        Assert.DoesNotContain("abcdefghij", finding.ToString());
    }

    [Fact]
    public void Duplicate_models_are_errors_and_name_the_first_line()
    {
        var path = _temp.File("models.jsonl", """
            {"model_id": "openai/gpt-4o", "input_token_cost": 0.1, "output_token_cost": 0.1}
            {"model_id": "openai/gpt-4o", "input_token_cost": 0.1, "output_token_cost": 0.1, "service_tier": "default"}
            {"model_id": "openai/gpt-4o", "input_token_cost": 0.1, "output_token_cost": 0.1, "service_tier": "flex"}
            """);
        var error = Assert.Single(ConfigLoader.Validate(path, ProviderSet.Catalog, ConfigKind.Model), f => f.Severity == ConfigSeverity.Error);
        Assert.Equal(2, error.Line);
        Assert.Contains("first on line 1", error.Message);
    }

    [Fact]
    public void Unknown_fields_are_warnings_with_a_suggestion()
    {
        var path = _temp.File("runs.jsonl", """{"text_prompt": "p", "task": {"task_type": "QA", "task_criteria": "C"}, "golden_anwser": "4"}""");
        var findings = ConfigLoader.Validate(path, ProviderSet.Catalog, ConfigKind.Scenario);
        Assert.DoesNotContain(findings, f => f.Severity == ConfigSeverity.Error);
        Assert.Contains(findings, f => f.Field == "golden_anwser" && f.Message.Contains("did you mean 'golden_answer'"));
    }

    [Fact]
    public void Per_million_prices_get_a_warning()
    {
        var path = _temp.File("judges.jsonl", """{"model_id": "openai/gpt-4o", "input_cost_per_1k": 2.5, "output_cost_per_1k": 10}""");
        var findings = ConfigLoader.Validate(path, ProviderSet.Catalog, ConfigKind.Judge);
        Assert.Equal(2, findings.Count(f => f.Severity == ConfigSeverity.Warning && f.Message.Contains("per-million")));
    }

    [Fact]
    public void Byte_order_mark_crlf_blank_lines_and_no_final_newline_are_accepted()
    {
        var text = "\uFEFF" + GoodScenario + "\r\n\r\n   \r\n" + GoodScenario;
        var path = _temp.File("runs.jsonl", text);
        var findings = new List<ConfigFinding>();
        Assert.Equal(2, ScenarioFile.Read(path, findings).Count);
        Assert.Empty(findings);
    }

    [Fact]
    public void Line_numbers_count_blank_lines()
    {
        var path = _temp.File("runs.jsonl", "\n\n" + GoodScenario + "\n\n{oops}\n");
        var error = Assert.Single(ConfigLoader.Validate(path, ProviderSet.Catalog, ConfigKind.Scenario));
        Assert.Equal(5, error.Line);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n  \r\n")]
    [InlineData("\uFEFF")]
    public void An_empty_file_is_an_error(string content)
    {
        var path = _temp.File("runs.jsonl", content);
        var error = Assert.Single(ConfigLoader.Validate(path, ProviderSet.Catalog, ConfigKind.Scenario));
        Assert.Contains("is empty", error.Message);
        Assert.Equal(0, error.Line);
    }

    [Fact]
    public void Utf16_files_are_rejected_with_advice()
    {
        var path = _temp.Bytes("runs.jsonl", System.Text.Encoding.Unicode.GetPreamble().Concat(System.Text.Encoding.Unicode.GetBytes(GoodScenario)).ToArray());
        var error = Assert.Single(ConfigLoader.Validate(path, ProviderSet.Catalog, ConfigKind.Scenario));
        Assert.Contains("UTF-16", error.Message);
        Assert.Equal(1, error.Line);
    }

    [Fact]
    public void Invalid_utf8_is_reported_on_its_line()
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(GoodScenario + "\n").Concat(new byte[] { (byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)'}' }).ToArray();
        var path = _temp.Bytes("runs.jsonl", bytes);
        var error = Assert.Single(ConfigLoader.Validate(path, ProviderSet.Catalog, ConfigKind.Scenario));
        Assert.Equal(2, error.Line);
        Assert.Contains("UTF-8", error.Message);
    }

    [Fact]
    public void A_line_over_the_limit_is_an_error_and_later_lines_still_count()
    {
        var path = Path.Combine(_temp.Path, "huge.jsonl");
        using (var writer = new StreamWriter(path))
        {
            writer.Write("{\"text_prompt\": \"");
            var block = new string('a', 1024 * 1024);
            for (int i = 0; i < 17; i++)
            {
                writer.Write(block);
            }

            writer.Write("\"}\n");
            writer.Write(GoodScenario);
        }

        var findings = new List<ConfigFinding>();
        var scenarios = ScenarioFile.Read(path, findings);
        Assert.Single(scenarios);
        var error = Assert.Single(findings);
        Assert.Equal(1, error.Line);
        Assert.Contains("MiB limit", error.Message);
    }

    [Fact]
    public void A_missing_file_is_one_clear_error()
    {
        var finding = Assert.Single(ConfigLoader.Validate(Path.Combine(_temp.Path, "nope.jsonl"), ProviderSet.Catalog));
        Assert.Equal("does not exist", finding.Message);
    }

    [Fact]
    public void Loading_for_a_run_collects_every_error_of_every_file()
    {
        var runs = _temp.File("runs.jsonl", "{bad\n" + GoodScenario);
        var models = _temp.File("models.jsonl", """{"model_id": "nope/x", "input_token_cost": 0, "output_token_cost": 0}""");
        var e = Assert.Throws<ConfigurationException>(() => ConfigLoader.Load([runs], [], models, Path.Combine(_temp.Path, "judges.jsonl"), ProviderSet.Catalog));
        Assert.Equal(3, e.Findings.Count(f => f.Severity == ConfigSeverity.Error));
        Assert.Contains($"{runs}:1", e.Message);
        Assert.Contains($"{models}:1: model_id", e.Message);
        Assert.Contains("judges.jsonl: does not exist (-JudgeProfile)", e.Message);
    }

    [Fact]
    public void A_profile_file_works_as_models_and_as_judges_whichever_price_spelling_it_uses()
    {
        var runs = _temp.File("runs.jsonl", GoodScenario);
        var modelSpelling = _temp.File("a.jsonl", """{"model_id": "sim/a", "input_token_cost": 0.001, "output_token_cost": 0.002}""");
        var judgeSpelling = _temp.File("b.jsonl", """{"model_id": "sim/b", "input_cost_per_1k": 0.003, "output_cost_per_1k": 0.004}""");

        var loaded = ConfigLoader.Load([runs], [], judgeSpelling, modelSpelling, ProviderSet.Catalog);

        Assert.DoesNotContain(loaded.Warnings, w => w.Path != runs);
        var model = Assert.Single(loaded.Models);
        Assert.Equal((0.003, 0.004), (model.InputCostPer1K, model.OutputCostPer1K));
        var judge = Assert.Single(loaded.Judges);
        Assert.Equal((0.001, 0.002), (judge.InputCostPer1K, judge.OutputCostPer1K));
        Assert.Equal(ProfileRole.Judge, judge.Role);
        foreach (var kind in new[] { ConfigKind.Auto, ConfigKind.Model, ConfigKind.Judge })
        {
            Assert.Empty(ConfigLoader.Validate(modelSpelling, ProviderSet.Catalog, kind));
            Assert.Empty(ConfigLoader.Validate(judgeSpelling, ProviderSet.Catalog, kind));
        }
    }
}
