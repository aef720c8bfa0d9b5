using System.Globalization;
using System.Text.Json;

namespace Eval360.FakeProviders;

/// <summary>Validates a Messages API body the way Anthropic does and extracts a <see cref="ParsedChatRequest"/>.</summary>
internal static class AnthropicRequestParser
{
    private const string JudgePromptMarker = "# Reply";

    private static readonly string[] ImageMediaTypes = ["image/jpeg", "image/png", "image/gif", "image/webp"];

    /// <summary>Returns the parsed request, or null with <paramref name="error"/> set to the 400 to send.</summary>
    public static ParsedChatRequest? Parse(JsonElement root, out AnthropicError? error)
    {
        error = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            error = AnthropicError.InvalidRequest("Input should be a valid dictionary or object to extract fields from");
            return null;
        }

        if (!root.TryGetProperty("model", out var modelElement) || modelElement.ValueKind != JsonValueKind.String || modelElement.GetString() is not { Length: > 0 } model)
        {
            error = AnthropicError.InvalidRequest("model: Field required");
            return null;
        }

        if (!root.TryGetProperty("max_tokens", out var maxTokensElement))
        {
            error = AnthropicError.InvalidRequest("max_tokens: Field required");
            return null;
        }

        if (maxTokensElement.ValueKind != JsonValueKind.Number || !maxTokensElement.TryGetInt32(out var maxTokens) || maxTokens < 1)
        {
            error = AnthropicError.InvalidRequest("max_tokens: Input should be an integer greater than or equal to 1");
            return null;
        }

        if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array)
        {
            error = AnthropicError.InvalidRequest("messages: Field required");
            return null;
        }

        if (messages.GetArrayLength() == 0)
        {
            error = AnthropicError.InvalidRequest("messages: at least one message is required");
            return null;
        }

        var stream = false;
        if (root.TryGetProperty("stream", out var streamElement))
        {
            if (streamElement.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                error = AnthropicError.InvalidRequest("stream: Input should be a valid boolean");
                return null;
            }

            stream = streamElement.ValueKind == JsonValueKind.True;
        }

        double? temperature = null;
        if (root.TryGetProperty("temperature", out var temperatureElement))
        {
            if (temperatureElement.ValueKind != JsonValueKind.Number)
            {
                error = AnthropicError.InvalidRequest("temperature: Input should be a valid number");
                return null;
            }

            temperature = temperatureElement.GetDouble();
            if (temperature is < 0 or > 1)
            {
                // Anthropic's range is 0–1, not OpenAI's 0–2.
                error = AnthropicError.InvalidRequest(string.Create(CultureInfo.InvariantCulture,
                    $"temperature: Input should be {(temperature > 1 ? "less than or equal to 1" : "greater than or equal to 0")}"));
                return null;
            }
        }

        int chars = 0;
        string? judgePrompt = null;
        if (root.TryGetProperty("system", out var system) && !CountText(system, "system", ref chars, ref judgePrompt, out error))
        {
            return null;
        }

        int index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            var at = $"messages.{index++}";
            if (message.ValueKind != JsonValueKind.Object || !message.TryGetProperty("role", out var role)
                || role.GetString() is not ("user" or "assistant") || !message.TryGetProperty("content", out var content))
            {
                error = AnthropicError.InvalidRequest($"{at}: each message needs a role (user or assistant) and content");
                return null;
            }

            if (!CountText(content, at + ".content", ref chars, ref judgePrompt, out error))
            {
                return null;
            }
        }

        var forcedTool = ReadToolChoice(root, out var tool, out error);
        if (error is not null)
        {
            return null;
        }

        IReadOnlyList<string> metrics = tool is { } schemaTool ? SchemaMetrics(schemaTool) : [];
        if (metrics.Count == 0 && judgePrompt is not null)
        {
            metrics = JudgePromptMetrics.Read(judgePrompt);
        }

        return new ParsedChatRequest
        {
            Model = model,
            Stream = stream,
            IncludeUsage = false,
            Temperature = temperature,
            MaxTokens = maxTokens,
            ForcedTool = forcedTool,
            MessageCount = messages.GetArrayLength(),
            PromptChars = chars,
            JudgeMetrics = metrics,
            JudgePrompt = judgePrompt,
            IsJudge = forcedTool is not null || judgePrompt is not null,
        };
    }

    /// <summary>Counts the text of a string or of an array of content blocks, and checks image blocks as Anthropic does.</summary>
    private static bool CountText(JsonElement content, string at, ref int chars, ref string? judgePrompt, out AnthropicError? error)
    {
        error = null;
        if (content.ValueKind == JsonValueKind.String)
        {
            Count(content.GetString()!, ref chars, ref judgePrompt);
            return true;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            error = AnthropicError.InvalidRequest($"{at}: Input should be a valid string or a list of content blocks");
            return false;
        }

        int index = 0;
        foreach (var block in content.EnumerateArray())
        {
            var blockAt = $"{at}.{index++}";
            var type = block.ValueKind == JsonValueKind.Object && block.TryGetProperty("type", out var t) ? t.GetString() : null;
            switch (type)
            {
                case "text" when block.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String:
                    Count(text.GetString()!, ref chars, ref judgePrompt);
                    break;
                case "image":
                    if (ImageProblem(block) is { } problem)
                    {
                        error = AnthropicError.InvalidRequest($"{blockAt}.image.source: {problem}");
                        return false;
                    }

                    break;
                default:
                    error = AnthropicError.InvalidRequest($"{blockAt}: Input tag '{type}' found using 'type' does not match any of the expected tags");
                    return false;
            }
        }

        return true;
    }

    private static string? ImageProblem(JsonElement block)
    {
        if (!block.TryGetProperty("source", out var source) || source.ValueKind != JsonValueKind.Object
            || !source.TryGetProperty("type", out var sourceType))
        {
            return "Field required";
        }

        switch (sourceType.GetString())
        {
            case "base64":
                var mediaType = source.TryGetProperty("media_type", out var m) ? m.GetString() : null;
                if (!ImageMediaTypes.Contains(mediaType))
                {
                    return "base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'";
                }

                return source.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.String && data.GetString()!.Length > 0
                    ? null
                    : "base64.data: Field required";
            case "url":
                return source.TryGetProperty("url", out var url) && Uri.TryCreate(url.GetString(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                    ? null
                    : "url.url: Input should be a valid URL";
            default:
                return "Input tag found using 'type' does not match any of the expected tags: 'base64', 'url'";
        }
    }

    private static void Count(string text, ref int chars, ref string? judgePrompt)
    {
        chars += text.Length;
        if (judgePrompt is null && text.Contains(JudgePromptMarker, StringComparison.Ordinal))
        {
            judgePrompt = text;
        }
    }

    /// <summary>The tool <c>tool_choice: {"type": "tool", "name"}</c> forces, checked against <c>tools</c>.</summary>
    private static string? ReadToolChoice(JsonElement root, out JsonElement? tool, out AnthropicError? error)
    {
        tool = null;
        error = null;
        var tools = root.TryGetProperty("tools", out var t) && t.ValueKind == JsonValueKind.Array ? t : (JsonElement?)null;
        if (tools is { } list)
        {
            foreach (var item in list.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String
                    || !item.TryGetProperty("input_schema", out var schema) || schema.ValueKind != JsonValueKind.Object)
                {
                    error = AnthropicError.InvalidRequest("tools: each custom tool needs a name and an input_schema object");
                    return null;
                }
            }
        }

        if (!root.TryGetProperty("tool_choice", out var choice) || choice.ValueKind != JsonValueKind.Object
            || !choice.TryGetProperty("type", out var type) || type.GetString() != "tool")
        {
            return null;
        }

        var forced = choice.TryGetProperty("name", out var n) ? n.GetString() : null;
        tool = tools?.EnumerateArray().FirstOrDefault(i => i.GetProperty("name").GetString() == forced);
        if (forced is null || tool is null || tool.Value.ValueKind == JsonValueKind.Undefined)
        {
            tool = null;
            error = AnthropicError.InvalidRequest($"tool_choice: Tool '{forced}' not found in the provided tools");
            return null;
        }

        return forced;
    }

    /// <summary>The names under the tool's <c>input_schema.properties.scores.properties</c>, in order.</summary>
    private static IReadOnlyList<string> SchemaMetrics(JsonElement tool)
    {
        if (tool.TryGetProperty("input_schema", out var schema)
            && schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object
            && properties.TryGetProperty("scores", out var scores) && scores.ValueKind == JsonValueKind.Object
            && scores.TryGetProperty("properties", out var scoreProperties) && scoreProperties.ValueKind == JsonValueKind.Object)
        {
            return [.. scoreProperties.EnumerateObject().Select(p => p.Name)];
        }

        return [];
    }
}
