using System.Security.Cryptography;
using System.Text;

namespace Eval360;

/// <summary>One thing to ask every model: a prompt, the task it belongs to and the answer judges compare against.</summary>
public sealed class Scenario
{
    private string? _id;
    private NameList _userDefinedMetrics = NameList.Empty;

    /// <summary>The temperature used when neither the scenario nor the caller gives one.</summary>
    public const double DefaultTemperature = 0.7;

    /// <summary>The output limit when a scenario gives none (the seed's default).</summary>
    public const int DefaultExpectedOutputTokens = 4500;

    /// <summary>The prompt sent to the model (<c>text_prompt</c>).</summary>
    public required string Prompt { get; init; }

    /// <summary>The output-token limit and the basis of cost estimates (<c>expected_output_tokens</c>).</summary>
    public int ExpectedOutputTokens { get; init; } = DefaultExpectedOutputTokens;

    public required string TaskType { get; init; }

    public required string TaskCriteria { get; init; }

    public string GoldenAnswer { get; init; } = string.Empty;

    /// <summary>An image URL or local path for vision runs (<c>url_image</c>).</summary>
    public string? ImageUrl { get; init; }

    /// <summary>Metrics judges score beside the six core dimensions; when set they replace the run's global list.</summary>
    public IReadOnlyList<string> UserDefinedMetrics { get => _userDefinedMetrics; init => _userDefinedMetrics = NameList.From(value); }

    public double? Temperature { get; init; }

    /// <summary>Where the scenario came from (<c>file:line</c> or <c>pipeline #n</c>).</summary>
    public string Source { get; init; } = string.Empty;

    /// <summary>A short content hash: the same scenario gets the same id in every run, so resume can find it.</summary>
    public string Id => _id ??= ComputeId();

    public override string ToString() => $"{TaskType}: {(Prompt.Length > 60 ? Prompt[..60] + "…" : Prompt)}";

    private string ComputeId()
    {
        var canonical = string.Join('\u001f', Prompt, TaskType, TaskCriteria, GoldenAnswer, ImageUrl ?? string.Empty,
            string.Join('\u001e', UserDefinedMetrics), ExpectedOutputTokens.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Temperature?.ToString("R", System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty);
        return "s" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)), 0, 5).ToLowerInvariant();
    }
}
