using System.Text.Json;

namespace Eval360.FakeProviders;

/// <summary>A validated chat-completions request, as a <see cref="FakeOpenAIServer.Selector"/> sees it.</summary>
public sealed record FakeRequest
{
    /// <summary>1 for the server's first request, then counting every request (recorded or not).</summary>
    public required long Sequence { get; init; }

    public required ChatRoute Route { get; init; }

    /// <summary>The body's <c>model</c>, or the Azure deployment name.</summary>
    public required string Model { get; init; }

    public required bool Stream { get; init; }

    /// <summary>The request's <c>stream_options.include_usage</c>.</summary>
    public required bool IncludeUsage { get; init; }

    public double? Temperature { get; init; }

    public int? MaxTokens { get; init; }

    public int? MaxCompletionTokens { get; init; }

    /// <summary><c>response_format.type</c> (<c>json_schema</c>, <c>json_object</c>, <c>text</c>), or null.</summary>
    public string? ResponseFormatType { get; init; }

    /// <summary>Anthropic: the tool <c>tool_choice</c> makes the model call (a judge's verdict), or null.</summary>
    public string? ForcedTool { get; init; }

    /// <summary>True when the reply will be a judge verdict (json_schema/json_object format, or a "# Reply" prompt).</summary>
    public required bool IsJudge { get; init; }

    public required int MessageCount { get; init; }

    /// <summary>Characters of text over all messages.</summary>
    public required int PromptChars { get; init; }

    /// <summary>The parsed body. Valid only during the selector call: copy with <c>Clone()</c> to keep it.</summary>
    public required JsonElement Body { get; init; }

    /// <summary>The behaviour configured for <see cref="Model"/> (or the default), before any selector ran.</summary>
    public required ModelBehavior Behavior { get; init; }
}
