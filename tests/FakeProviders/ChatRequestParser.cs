using System.Globalization;
using System.Text.Json;

namespace Eval360.FakeProviders;

/// <summary>What the fake needs from a chat-completions body, read once.</summary>
internal sealed class ParsedChatRequest
{
    public required string Model { get; init; }
    public required bool Stream { get; init; }
    public required bool IncludeUsage { get; init; }
    public string? StreamOptionsJson { get; init; }
    public double? Temperature { get; init; }
    public int? MaxTokens { get; init; }
    public int? MaxCompletionTokens { get; init; }
    public string? ResponseFormatType { get; init; }

    /// <summary>Anthropic: the tool that <c>tool_choice: {"type": "tool", "name": …}</c> makes the model call.</summary>
    public string? ForcedTool { get; init; }

    public required int MessageCount { get; init; }
    public required int PromptChars { get; init; }

    /// <summary>Metric names from the json_schema's scores properties, or from a "# Reply" prompt.</summary>
    public required IReadOnlyList<string> JudgeMetrics { get; init; }

    /// <summary>The message text that holds a judge prompt (with "# Reply"); null when there is none.</summary>
    public string? JudgePrompt { get; init; }

    public required bool IsJudge { get; init; }
}

/// <summary>Validates a body the way OpenAI does and extracts a <see cref="ParsedChatRequest"/>.</summary>
internal static class ChatRequestParser
{
    private const string JudgePromptMarker = "# Reply";

    /// <summary>Returns the parsed request, or null with <paramref name="error"/> set to the 400 to send.</summary>
    public static ParsedChatRequest? Parse(JsonElement root, string? deployment, out OpenAIError? error)
    {
        error = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            error = OpenAIError.InvalidRequest("Invalid type for body: expected an object.", param: null, code: "invalid_type");
            return null;
        }

        string? model = deployment;
        if (root.TryGetProperty("model", out var modelElement) && modelElement.ValueKind == JsonValueKind.String)
        {
            model ??= modelElement.GetString();
        }

        if (string.IsNullOrEmpty(model))
        {
            error = OpenAIError.InvalidRequest("you must provide a model parameter", param: null, code: null);
            return null;
        }

        if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind == JsonValueKind.Null)
        {
            error = OpenAIError.InvalidRequest("Missing required parameter: 'messages'.", "messages", "missing_required_parameter");
            return null;
        }

        if (messages.ValueKind != JsonValueKind.Array)
        {
            error = OpenAIError.InvalidRequest("Invalid type for 'messages': expected an array of objects.", "messages", "invalid_type");
            return null;
        }

        if (messages.GetArrayLength() == 0)
        {
            error = OpenAIError.InvalidRequest(
                "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
                "messages", "empty_array");
            return null;
        }

        var stream = root.TryGetProperty("stream", out var streamElement) && streamElement.ValueKind == JsonValueKind.True;
        string? streamOptionsJson = null;
        var includeUsage = false;
        if (root.TryGetProperty("stream_options", out var streamOptions) && streamOptions.ValueKind != JsonValueKind.Null)
        {
            if (!stream)
            {
                error = OpenAIError.InvalidRequest("The 'stream_options' parameter is only allowed when 'stream' is enabled.",
                    "stream_options", "invalid_value");
                return null;
            }

            streamOptionsJson = streamOptions.GetRawText();
            includeUsage = streamOptions.ValueKind == JsonValueKind.Object
                && streamOptions.TryGetProperty("include_usage", out var include) && include.ValueKind == JsonValueKind.True;
        }

        double? temperature = null;
        if (root.TryGetProperty("temperature", out var temperatureElement) && temperatureElement.ValueKind != JsonValueKind.Null)
        {
            if (temperatureElement.ValueKind != JsonValueKind.Number)
            {
                error = OpenAIError.InvalidRequest("Invalid type for 'temperature': expected a decimal.", "temperature", "invalid_type");
                return null;
            }

            temperature = temperatureElement.GetDouble();
            if (temperature is < 0 or > 2)
            {
                var above = temperature > 2;
                error = OpenAIError.InvalidRequest(
                    string.Create(CultureInfo.InvariantCulture,
                        $"Invalid 'temperature': decimal {(above ? "above maximum" : "below minimum")} value. Expected a value {(above ? "<= 2" : ">= 0")}, but got {temperature} instead."),
                    "temperature", above ? "decimal_above_max_value" : "decimal_below_min_value");
                return null;
            }
        }

        var maxTokens = ReadInt(root, "max_tokens", ref error);
        var maxCompletionTokens = ReadInt(root, "max_completion_tokens", ref error);
        if (error is not null)
        {
            return null;
        }

        var (promptChars, judgePrompt) = ReadMessages(messages);
        string? responseFormatType = null;
        IReadOnlyList<string> metrics = [];
        if (root.TryGetProperty("response_format", out var responseFormat) && responseFormat.ValueKind == JsonValueKind.Object)
        {
            responseFormatType = responseFormat.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
                ? type.GetString()
                : null;
            if (responseFormatType == "json_schema")
            {
                metrics = SchemaMetrics(responseFormat);
            }
        }

        if (metrics.Count == 0 && judgePrompt is not null)
        {
            metrics = JudgePromptMetrics.Read(judgePrompt);
        }

        return new ParsedChatRequest
        {
            Model = model,
            Stream = stream,
            IncludeUsage = includeUsage,
            StreamOptionsJson = streamOptionsJson,
            Temperature = temperature,
            MaxTokens = maxTokens,
            MaxCompletionTokens = maxCompletionTokens,
            ResponseFormatType = responseFormatType,
            MessageCount = messages.GetArrayLength(),
            PromptChars = promptChars,
            JudgeMetrics = metrics,
            JudgePrompt = judgePrompt,
            IsJudge = responseFormatType is "json_schema" or "json_object" || judgePrompt is not null,
        };
    }

    private static int? ReadInt(JsonElement root, string name, ref OpenAIError? error)
    {
        if (!root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var value) && value >= 1)
        {
            return value;
        }

        error ??= OpenAIError.InvalidRequest($"Invalid '{name}': expected an integer >= 1.", name, "invalid_value");
        return null;
    }

    /// <summary>Counts text characters over all messages and finds the text that carries a judge prompt, if any.</summary>
    private static (int Chars, string? JudgePrompt) ReadMessages(JsonElement messages)
    {
        int chars = 0;
        string? judgePrompt = null;
        foreach (var message in messages.EnumerateArray())
        {
            if (message.ValueKind != JsonValueKind.Object || !message.TryGetProperty("content", out var content))
            {
                continue;
            }

            if (content.ValueKind == JsonValueKind.String)
            {
                Count(content.GetString()!);
            }
            else if (content.ValueKind == JsonValueKind.Array)
            {
                foreach (var part in content.EnumerateArray())
                {
                    if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String)
                    {
                        Count(text.GetString()!);
                    }
                }
            }
        }

        return (chars, judgePrompt);

        void Count(string text)
        {
            chars += text.Length;
            if (judgePrompt is null && text.Contains(JudgePromptMarker, StringComparison.Ordinal))
            {
                judgePrompt = text;
            }
        }
    }

    /// <summary>The names under <c>json_schema.schema.properties.scores.properties</c>, in order.</summary>
    private static IReadOnlyList<string> SchemaMetrics(JsonElement responseFormat)
    {
        if (responseFormat.TryGetProperty("json_schema", out var jsonSchema) && jsonSchema.ValueKind == JsonValueKind.Object
            && jsonSchema.TryGetProperty("schema", out var schema) && schema.ValueKind == JsonValueKind.Object
            && schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object
            && properties.TryGetProperty("scores", out var scores) && scores.ValueKind == JsonValueKind.Object
            && scores.TryGetProperty("properties", out var scoreProperties) && scoreProperties.ValueKind == JsonValueKind.Object)
        {
            return [.. scoreProperties.EnumerateObject().Select(p => p.Name)];
        }

        return [];
    }
}
