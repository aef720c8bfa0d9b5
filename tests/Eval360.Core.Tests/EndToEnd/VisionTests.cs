using System.Text.Json;

namespace Eval360.Tests.EndToEnd;

/// <summary>With -Vision, a scenario's image goes to the model beside the prompt; without it, only the prompt.</summary>
public sealed class VisionTests
{
    private static readonly byte[] Png = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4];

    [Fact]
    public async Task A_local_image_is_inlined_as_a_data_url_and_a_web_image_passed_as_its_url()
    {
        await using var harness = await BenchmarkHarness.StartAsync();
        var image = Path.Combine(harness.WorkingDirectory, "cat.png");
        File.WriteAllBytes(image, Png);
        var scenarios = new[]
        {
            new Scenario { Prompt = "Describe the local image", TaskType = "Vision", TaskCriteria = "Accurate", GoldenAnswer = "A cat", ImageUrl = image },
            new Scenario { Prompt = "Describe the web image", TaskType = "Vision", TaskCriteria = "Accurate", GoldenAnswer = "A dog", ImageUrl = "https://example.com/dog.jpg" },
        };
        var run = await harness.RunAsync(scenarios, [harness.Model("eyes")], [], BenchmarkHarness.Options() with { LatencyOnly = true, Vision = true });
        Assert.All(run.Results, r => Assert.Equal("Succeeded", r.Status));

        var contents = harness.Server.Requests.Where(r => r.Model == "eyes" && r.MaxTokens != 5)
            .Select(r => JsonDocument.Parse(r.BodyJson!).RootElement.GetProperty("messages")[0].GetProperty("content").Clone())
            .ToList();
        Assert.Equal(2, contents.Count);
        Assert.All(contents, c => Assert.Equal(JsonValueKind.Array, c.ValueKind));
        var urls = contents.Select(c => c[1].GetProperty("image_url").GetProperty("url").GetString()).ToList();
        Assert.Contains($"data:image/png;base64,{Convert.ToBase64String(Png)}", urls);
        Assert.Contains("https://example.com/dog.jpg", urls);
    }

    [Fact]
    public async Task Without_vision_the_image_is_not_sent()
    {
        await using var harness = await BenchmarkHarness.StartAsync();
        var scenario = new Scenario { Prompt = "Describe it", TaskType = "Vision", TaskCriteria = "Accurate", ImageUrl = "https://example.com/dog.jpg" };
        await harness.RunAsync([scenario], [harness.Model("eyes")], [], BenchmarkHarness.Options() with { LatencyOnly = true });
        var body = JsonDocument.Parse(harness.Server.Requests.Last(r => r.Model == "eyes").BodyJson!);
        Assert.Equal(JsonValueKind.String, body.RootElement.GetProperty("messages")[0].GetProperty("content").ValueKind);
    }
}
