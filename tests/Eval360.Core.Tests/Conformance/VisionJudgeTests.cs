using Eval360.FakeProviders;
using Eval360.Tests.EndToEnd;

namespace Eval360.Tests.Conformance;

/// <summary>
/// With -Vision the judges see what the candidate saw: every judge's request carries the scenario's image, in its
/// provider's own form (bytes for Bedrock, a base64 block for Anthropic, a data URL for OpenAI-style APIs), read back
/// from the body each fake received; a judge that refuses images is left out, once warned, and not asked again.
/// </summary>
public sealed class VisionJudgeTests
{
    private static readonly byte[] Png = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 7, 7, 7];

    public static TheoryData<string> Providers => [.. ProviderUnderTest.Names];

    private static Scenario WithImage(string path, string prompt = "What does the chart show?") => new()
    {
        Prompt = prompt,
        TaskType = "Vision",
        TaskCriteria = "Describes the image accurately",
        GoldenAnswer = "A rising line.",
        ImageUrl = path,
        ExpectedOutputTokens = 64,
    };

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Every_judge_request_carries_the_scenarios_image_in_the_providers_own_form(string name)
    {
        await using var provider = await ProviderUnderTest.StartAsync(name);
        var image = Path.Combine(provider.Harness.WorkingDirectory, "chart.png");
        File.WriteAllBytes(image, Png);
        var judges = new[] { provider.Profile("judge-one") with { Role = ProfileRole.Judge }, provider.Profile("judge-two") with { Role = ProfileRole.Judge } };
        var run = await provider.Harness.RunAsync([WithImage(image)], [provider.Profile("eyes")], judges, BenchmarkHarness.Options() with { Vision = true });

        var result = run.Single();
        Assert.True(result.Status == "Succeeded", $"{result.ErrorCode}: {result.ErrorMessage}");
        Assert.Equal(2, result.Judges.Count);
        Assert.All(result.Judges, j => Assert.Null(j.Error));
        Assert.True(result.Passed);
        var expected = name switch
        {
            "bedrock" => new SentImage("bytes", "png", Png),
            "anthropic" => new SentImage("base64-block", "image/png", Png),
            _ => new SentImage("data-url", "image/png", Png),
        };
        foreach (var model in new[] { "eyes", "judge-one", "judge-two" })
        {
            var sent = Assert.Single(provider.ImagesSentTo(model));
            Assert.NotNull(sent);
            Assert.Equal((expected.Form, expected.Type), (sent.Form, sent.Type));
            Assert.Equal(Png, sent.Bytes);
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Without_vision_no_judge_request_carries_the_image(string name)
    {
        await using var provider = await ProviderUnderTest.StartAsync(name);
        var image = Path.Combine(provider.Harness.WorkingDirectory, "chart.png");
        File.WriteAllBytes(image, Png);
        var run = await provider.Harness.RunAsync([WithImage(image)], [provider.Profile("eyes")], [provider.Profile("judge-one") with { Role = ProfileRole.Judge }],
            BenchmarkHarness.Options());

        Assert.True(run.Single().Passed);
        Assert.Null(Assert.Single(provider.ImagesSentTo("judge-one")));
        Assert.Null(Assert.Single(provider.ImagesSentTo("eyes")));
    }

    [Fact]
    public async Task A_judge_that_refuses_images_is_left_out_with_unsupported_input_warned_once_and_not_asked_again()
    {
        await using var harness = await BenchmarkHarness.StartAsync();
        var image = Path.Combine(harness.WorkingDirectory, "chart.png");
        File.WriteAllBytes(image, Png);

        // A text-only judge: any request with an image part is refused the way OpenAI refuses one.
        harness.Server.Behaviors["blind"] = new ModelBehavior
        {
            PerRequest = request => request.Body.GetRawText().Contains("\"image_url\"", StringComparison.Ordinal)
                ? new ModelBehavior { Status = 400, ErrorMessage = "Invalid content type. image_url is only supported by certain models." }
                : null,
        };
        var scenarios = new[] { WithImage(image), WithImage(image, "Which colour is the line?") };
        var run = await harness.RunAsync(scenarios, [harness.Model("eyes")], [harness.Judge("seeing"), harness.Judge("blind")],
            BenchmarkHarness.Options(parallel: 1) with { Vision = true });

        Assert.Equal(2, run.Results.Count);
        foreach (var result in run.Results)
        {
            Assert.True(result.Passed);
            Assert.Null(result.ErrorCode);
            var blind = Assert.Single(result.Judges, j => j.JudgeModelId == "openai-compatible/blind");
            Assert.StartsWith("unsupported_input: ", blind.Error);
            Assert.Null(blind.Passed);
            Assert.Empty(blind.Scores);
            Assert.Null(Assert.Single(result.Judges, j => j.JudgeModelId == "openai-compatible/seeing").Error);
        }

        // Asked once with the image, refused; the second scenario's verdict is recorded without a call.
        Assert.Single(harness.Server.Requests, r => r.Model == "blind" && r.IsJudge);
        var warning = Assert.Single(run.Warnings);
        Assert.Equal("JudgeRefusedImage", warning.Id);
        Assert.Contains("Judge openai-compatible/blind refused the scenario's image", warning.Message);

        // Left out, not failed: the answers are not in unprocessed.json as unjudged.
        var unprocessed = File.ReadAllText(Path.Combine(run.Outcome.Directory.Path, "unprocessed.json"));
        Assert.DoesNotContain("judge_failure", unprocessed);
    }
}
