using System.Buffers;
using System.Diagnostics;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Eval360.FakeProviders;

/// <summary>
/// Agents for Amazon Bedrock Runtime's <c>POST /optimize-prompt</c>, on the same fake server (its SigV4 signing name is
/// <c>bedrock</c> too). The body is <c>{"input": {"textPrompt": {"text"}}, "targetModelId"}</c>; the reply an AWS event
/// stream of an <c>analyzePromptEvent</c> (<c>{"message"}</c>) and an <c>optimizedPromptEvent</c>
/// (<c>{"optimizedPrompt": {"textPrompt": {"text"}}}</c>). The target model's <see cref="ModelBehavior"/> decides the
/// optimized text and the analysis, or refuses the model with a 400 <c>ValidationException</c>.
/// </summary>
internal static class OptimizePromptReply
{
    public const string Operation = "optimize-prompt";

    private static readonly JsonWriterOptions RelaxedJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task ServeAsync(HttpContext context, FakeBedrockServer server, BedrockServedRequest served, byte[] body, CancellationToken cancellationToken)
    {
        if (!TryParse(body, out var prompt, out var target, out var problem))
        {
            await SendAsync(context, served, BedrockError.Validation(problem)).ConfigureAwait(false);
            return;
        }

        served.ModelId = target;
        served.Prompt = server.Log.Enabled ? prompt : null;
        var behavior = server.Behaviors.TryGetValue(target, out var known) ? known : server.DefaultBehavior;
        served.Behavior = behavior;
        if (behavior.RefuseOptimization)
        {
            await SendAsync(context, served, BedrockError.Validation($"Prompt optimization is not supported for the target model {target}.")).ConfigureAwait(false);
            return;
        }

        var optimized = behavior.OptimizedPrompt ?? $"Optimized for {target}: {prompt}";
        served.OptimizedPrompt = server.Log.Enabled ? optimized : null;
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/vnd.amazon.eventstream";
        served.StatusCode = StatusCodes.Status200OK;

        var output = response.BodyWriter;
        BedrockEventStream.Write(output, EventHeaders("analyzePromptEvent"), Json(json => json.WriteString("message"u8, behavior.OptimizationAnalysis)));
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        served.FirstTokenFlushTimestamp = Stopwatch.GetTimestamp();
        BedrockEventStream.Write(output, EventHeaders("optimizedPromptEvent"), Json(json =>
        {
            json.WriteStartObject("optimizedPrompt"u8);
            json.WriteStartObject("textPrompt"u8);
            json.WriteString("text"u8, optimized);
            json.WriteEndObject();
            json.WriteEndObject();
        }));
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        served.FirstContentFlushTimestamp = served.LastByteFlushTimestamp = Stopwatch.GetTimestamp();
    }

    private static bool TryParse(byte[] body, out string prompt, out string target, out string problem)
    {
        (prompt, target, problem) = (string.Empty, string.Empty, string.Empty);
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("targetModelId", out var id) || id.ValueKind != JsonValueKind.String
                || id.GetString() is not { Length: > 0 } modelId)
            {
                problem = "1 validation error detected: Value null at 'targetModelId' failed to satisfy constraint: Member must not be null";
                return false;
            }

            if (!root.TryGetProperty("input", out var input) || input.ValueKind != JsonValueKind.Object
                || !input.TryGetProperty("textPrompt", out var textPrompt) || textPrompt.ValueKind != JsonValueKind.Object
                || !textPrompt.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.String || text.GetString() is not { Length: > 0 } value)
            {
                problem = "1 validation error detected: Value null at 'input.textPrompt.text' failed to satisfy constraint: Member must not be null";
                return false;
            }

            (prompt, target) = (value, modelId);
            return true;
        }
        catch (JsonException)
        {
            problem = "Malformed input request, please reformat your input and try again.";
            return false;
        }
    }

    private static IReadOnlyList<(string Name, string Value)> EventHeaders(string eventType) =>
        [(":event-type", eventType), (":content-type", "application/json"), (":message-type", "event")];

    private static byte[] Json(Action<Utf8JsonWriter> members)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, RelaxedJson))
        {
            json.WriteStartObject();
            members(json);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static async Task SendAsync(HttpContext context, BedrockServedRequest served, BedrockError error)
    {
        (served.StatusCode, served.ErrorType, served.ErrorMessage) = (error.Status, error.Type, error.Message);
        await error.WriteAsync(context.Response).ConfigureAwait(false);
        served.LastByteFlushTimestamp = Stopwatch.GetTimestamp();
        served.Outcome = ServedOutcome.Rejected;
    }
}
