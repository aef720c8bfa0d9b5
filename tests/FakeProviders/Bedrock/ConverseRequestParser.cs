using System.Text;
using System.Text.Json;

namespace Eval360.FakeProviders;

/// <summary>What the fake needs from a Converse body, read once.</summary>
internal sealed class ParsedConverseRequest
{
    public required string ModelId { get; init; }
    public required bool Stream { get; init; }
    public required int MessageCount { get; init; }

    /// <summary>The user messages' text blocks, joined.</summary>
    public required string Prompt { get; init; }

    public string? SystemPrompt { get; init; }
    public required int PromptChars { get; init; }
    public int? MaxTokens { get; init; }
    public double? Temperature { get; init; }

    /// <summary><c>serviceTier.type</c>, or null when the body has none.</summary>
    public string? ServiceTier { get; init; }

    public string? ToolName { get; init; }

    /// <summary>The tool named by <c>toolChoice.tool.name</c> (null for auto/any or no toolConfig).</summary>
    public string? ToolChoice { get; init; }

    public bool HasToolConfig => ToolName is not null;

    public string? ImageFormat { get; init; }
    public byte[]? ImageBytes { get; init; }

    /// <summary>Metric names from the tool's input schema (<c>scores.properties</c>), or from a "# Reply" prompt.</summary>
    public required IReadOnlyList<string> JudgeMetrics { get; init; }

    public required bool IsJudge { get; init; }
}

/// <summary>Validates a Converse body the way Bedrock does (as far as the fake cares) and extracts a <see cref="ParsedConverseRequest"/>.</summary>
internal static class ConverseRequestParser
{
    private const string JudgePromptMarker = "# Reply";
    private static readonly string[] ImageFormats = ["gif", "jpeg", "png", "webp"];
    private static readonly string[] ServiceTiers = ["priority", "default", "flex", "reserved"];

    /// <summary>Returns the parsed request, or null with <paramref name="error"/> set to the 400 to send.</summary>
    public static ParsedConverseRequest? Parse(JsonElement root, string modelId, bool stream, out BedrockError? error)
    {
        error = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            error = BedrockError.Validation("The request body must be a JSON object.");
            return null;
        }

        if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
        {
            error = BedrockError.Validation("A conversation must start with a user message. Try again with a conversation that starts with a user message.");
            return null;
        }

        var prompt = new StringBuilder();
        int chars = 0;
        string? imageFormat = null;
        byte[]? imageBytes = null;
        int index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            index++;
            if (message.ValueKind != JsonValueKind.Object || !message.TryGetProperty("role", out var role) || role.ValueKind != JsonValueKind.String
                || !message.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Array)
            {
                error = BedrockError.Validation($"1 validation error detected: Value at 'messages.{index}.member' failed to satisfy constraint: Member must have a role and a content list");
                return null;
            }

            int block = 0;
            foreach (var part in content.EnumerateArray())
            {
                block++;
                if (part.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String)
                {
                    var value = text.GetString()!;
                    chars += value.Length;
                    if (role.GetString() == "user")
                    {
                        prompt.Append(value);
                    }
                }
                else if (part.TryGetProperty("image", out var image))
                {
                    var at = $"messages.{index}.member.content.{block}.member.image";
                    var format = image.TryGetProperty("format", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
                    if (format is null || !ImageFormats.Contains(format))
                    {
                        error = BedrockError.Validation($"1 validation error detected: Value '{format}' at '{at}.format' failed to satisfy constraint: Member must satisfy enum value set: [gif, jpeg, png, webp]");
                        return null;
                    }

                    if (!image.TryGetProperty("source", out var source) || !source.TryGetProperty("bytes", out var bytes)
                        || bytes.ValueKind != JsonValueKind.String || !bytes.TryGetBytesFromBase64(out var decoded) || decoded.Length == 0)
                    {
                        error = BedrockError.Validation($"The image at '{at}.source.bytes' is not valid base64 image data.");
                        return null;
                    }

                    (imageFormat, imageBytes) = (format, decoded);
                }
            }
        }

        string? system = null;
        if (root.TryGetProperty("system", out var systemBlocks) && systemBlocks.ValueKind == JsonValueKind.Array)
        {
            system = string.Concat(systemBlocks.EnumerateArray()
                .Where(b => b.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
                .Select(b => b.GetProperty("text").GetString()));
            chars += system.Length;
        }

        int? maxTokens = null;
        double? temperature = null;
        if (root.TryGetProperty("inferenceConfig", out var inference) && inference.ValueKind == JsonValueKind.Object)
        {
            if (inference.TryGetProperty("maxTokens", out var max))
            {
                if (max.ValueKind != JsonValueKind.Number || !max.TryGetInt32(out var value) || value < 1)
                {
                    error = BedrockError.Validation("1 validation error detected: Value at 'inferenceConfig.maxTokens' failed to satisfy constraint: Member must have value greater than or equal to 1");
                    return null;
                }

                maxTokens = value;
            }

            if (inference.TryGetProperty("temperature", out var t))
            {
                if (t.ValueKind != JsonValueKind.Number || t.GetDouble() is < 0 or > 1)
                {
                    error = BedrockError.Validation("1 validation error detected: Value at 'inferenceConfig.temperature' failed to satisfy constraint: Member must have value less than or equal to 1");
                    return null;
                }

                temperature = t.GetDouble();
            }
        }

        string? tier = null;
        if (root.TryGetProperty("serviceTier", out var serviceTier))
        {
            tier = serviceTier.ValueKind == JsonValueKind.Object && serviceTier.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String ? type.GetString() : null;
            if (tier is null || !ServiceTiers.Contains(tier))
            {
                error = BedrockError.Validation($"1 validation error detected: Value '{tier}' at 'serviceTier.type' failed to satisfy constraint: Member must satisfy enum value set: [priority, default, flex, reserved]");
                return null;
            }
        }

        string? toolName = null, toolChoice = null;
        IReadOnlyList<string> metrics = [];
        if (root.TryGetProperty("toolConfig", out var toolConfig))
        {
            if (!TryReadTool(toolConfig, out toolName, out toolChoice, out metrics, out var problem))
            {
                error = BedrockError.Validation(problem!);
                return null;
            }
        }

        var promptText = prompt.ToString();
        bool judgePrompt = promptText.Contains(JudgePromptMarker, StringComparison.Ordinal);
        if (metrics.Count == 0 && judgePrompt)
        {
            metrics = JudgePromptMetrics.Read(promptText);
        }

        return new ParsedConverseRequest
        {
            ModelId = modelId,
            Stream = stream,
            MessageCount = messages.GetArrayLength(),
            Prompt = promptText,
            SystemPrompt = system,
            PromptChars = chars,
            MaxTokens = maxTokens,
            Temperature = temperature,
            ServiceTier = tier,
            ToolName = toolName,
            ToolChoice = toolChoice,
            ImageFormat = imageFormat,
            ImageBytes = imageBytes,
            JudgeMetrics = metrics,
            IsJudge = toolName is not null || judgePrompt,
        };
    }

    /// <summary>Reads the first tool's name and schema metrics and the forced choice, which must name a tool given.</summary>
    private static bool TryReadTool(JsonElement toolConfig, out string? name, out string? choice, out IReadOnlyList<string> metrics, out string? problem)
    {
        (name, choice, metrics, problem) = (null, null, [], null);
        if (toolConfig.ValueKind != JsonValueKind.Object || !toolConfig.TryGetProperty("tools", out var tools)
            || tools.ValueKind != JsonValueKind.Array || tools.GetArrayLength() == 0)
        {
            problem = "The toolConfig field must be defined when using toolUse and toolResult content blocks.";
            return false;
        }

        var names = new List<string>();
        foreach (var tool in tools.EnumerateArray())
        {
            if (!tool.TryGetProperty("toolSpec", out var spec) || !spec.TryGetProperty("name", out var n) || n.ValueKind != JsonValueKind.String
                || !spec.TryGetProperty("inputSchema", out var input) || !input.TryGetProperty("json", out var schema) || schema.ValueKind != JsonValueKind.Object)
            {
                problem = "1 validation error detected: Value at 'toolConfig.tools.1.member.toolSpec' failed to satisfy constraint: Member must have a name and an inputSchema.json object";
                return false;
            }

            names.Add(n.GetString()!);
            if (metrics.Count == 0 && schema.TryGetProperty("properties", out var properties) && properties.TryGetProperty("scores", out var scores)
                && scores.TryGetProperty("properties", out var scoreProperties) && scoreProperties.ValueKind == JsonValueKind.Object)
            {
                metrics = [.. scoreProperties.EnumerateObject().Select(p => p.Name)];
            }
        }

        name = names[0];
        if (toolConfig.TryGetProperty("toolChoice", out var toolChoice) && toolChoice.TryGetProperty("tool", out var forced))
        {
            choice = forced.TryGetProperty("name", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            if (choice is null || !names.Contains(choice))
            {
                problem = $"The tool '{choice}' named in toolChoice is not in toolConfig.tools.";
                return false;
            }

            name = choice;
        }

        return true;
    }
}
