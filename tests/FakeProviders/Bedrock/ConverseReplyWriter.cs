using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Eval360.FakeProviders;

/// <summary>
/// Sends a planned Bedrock reply — as an AWS event stream (one flush per event) or as one Converse JSON document — on a
/// schedule counted from the request's arrival, and injects the behaviour's mid-reply faults: an exception event, a
/// dropped connection, a stall.
/// </summary>
internal sealed class ConverseReplyWriter(
    HttpContext context,
    BedrockReplyPlan plan,
    ModelBehavior behavior,
    BedrockServedRequest served,
    PreciseDelay delay,
    string toolUseId)
{
    private const string Padding = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static readonly JsonWriterOptions RelaxedJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly PipeWriter _output = context.Response.BodyWriter;
    private readonly ArrayBufferWriter<byte> _json = new(256);
    private readonly long _interTokenTicks = ToStopwatchTicks(behavior.InterTokenDelay);
    private long _firstTokenDue = served.ArrivalTimestamp + ToStopwatchTicks(behavior.FirstTokenDelay);
    private int _events;

    public async Task StreamAsync(CancellationToken cancellationToken)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/vnd.amazon.eventstream";
        served.StatusCode = StatusCodes.Status200OK;

        WriteEvent("messageStart", json => json.WriteString("role"u8, "assistant"u8));
        await FlushAsync(cancellationToken).ConfigureAwait(false);

        int token = 0, block = 0;
        if (plan.ReasoningChunks > 0)
        {
            for (int i = 0; i < plan.ReasoningChunks; i++, token++)
            {
                await delay.UntilAsync(Due(token), cancellationToken).ConfigureAwait(false);
                WriteDelta(block, json =>
                {
                    json.WriteStartObject("reasoningContent"u8);
                    json.WriteString("text"u8, plan.ReasoningText);
                    json.WriteEndObject();
                });
                var flushed = await FlushAsync(cancellationToken).ConfigureAwait(false);
                served.FirstTokenFlushTimestamp ??= flushed;
                served.ReasoningChunksSent++;
            }

            WriteEvent("contentBlockStop", json => json.WriteNumber("contentBlockIndex"u8, 0));
            block = 1;
        }

        if (plan.ViaTool)
        {
            WriteEvent("contentBlockStart", json =>
            {
                json.WriteNumber("contentBlockIndex"u8, block);
                json.WriteStartObject("start"u8);
                json.WriteStartObject("toolUse"u8);
                json.WriteString("toolUseId"u8, toolUseId);
                json.WriteString("name"u8, plan.ToolName);
                json.WriteEndObject();
                json.WriteEndObject();
            });
        }

        var count = plan.Pieces.Count;
        var stallAt = ClampToContent(behavior.StallAfter);
        var errorAt = ClampToContent(behavior.MidStreamErrorAfter);
        var dropAt = ClampToContent(behavior.DropAfter);
        for (var i = 0; ; i++, token++)
        {
            if (i == stallAt)
            {
                await StallAsync(cancellationToken).ConfigureAwait(false);
            }

            if (i == errorAt)
            {
                await SendExceptionAsync(cancellationToken).ConfigureAwait(false);
                return;
            }

            if (i == dropAt)
            {
                Drop();
                return;
            }

            if (i == count)
            {
                break;
            }

            await delay.UntilAsync(Due(token), cancellationToken).ConfigureAwait(false);
            var piece = plan.Pieces[i];
            WriteDelta(block, json =>
            {
                if (plan.ViaTool)
                {
                    json.WriteStartObject("toolUse"u8);
                    json.WriteString("input"u8, piece);
                    json.WriteEndObject();
                }
                else
                {
                    json.WriteString("text"u8, piece);
                }
            });
            var flushed = await FlushAsync(cancellationToken).ConfigureAwait(false);
            served.FirstTokenFlushTimestamp ??= flushed;
            served.FirstContentFlushTimestamp ??= flushed;
            served.ContentChunksSent++;
        }

        WriteEvent("contentBlockStop", json => json.WriteNumber("contentBlockIndex"u8, block));
        long last = await FlushAsync(cancellationToken).ConfigureAwait(false);
        if (plan.StopReason is { } stopReason)
        {
            served.StopReason = stopReason;
            WriteEvent("messageStop", json => json.WriteString("stopReason"u8, stopReason));
            last = await FlushAsync(cancellationToken).ConfigureAwait(false);

            if (behavior.IncludeUsage && !behavior.OmitDone)
            {
                WriteEvent("metadata", json =>
                {
                    WriteUsage(json);
                    json.WriteStartObject("metrics"u8);
                    json.WriteNumber("latencyMs"u8, (long)Stopwatch.GetElapsedTime(served.ArrivalTimestamp).TotalMilliseconds);
                    json.WriteEndObject();
                    WriteServiceTier(json);
                });
                last = await FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        served.LastByteFlushTimestamp = last;
    }

    /// <summary>The non-streaming Converse reply, sent whole once the last token is due.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        var tokens = plan.ReasoningChunks + plan.Pieces.Count;
        await delay.UntilAsync(Due(Math.Max(0, tokens - 1)), cancellationToken).ConfigureAwait(false);
        if (behavior.StallAfter is not null)
        {
            await StallAsync(cancellationToken).ConfigureAwait(false);
        }

        if (behavior.DropAfter is not null)
        {
            Drop();
            return;
        }

        if (behavior.MidStreamErrorAfter is not null)
        {
            var type = behavior.MidStreamExceptionType;
            var error = new BedrockError(StatusOf(type), char.ToUpperInvariant(type[0]) + type[1..], behavior.ErrorMessage ?? DefaultMessage(type));
            served.Outcome = ServedOutcome.MidStreamError;
            (served.StatusCode, served.ErrorType, served.ErrorMessage) = (error.Status, error.Type, error.Message);
            await error.WriteAsync(context.Response).ConfigureAwait(false);
            served.LastByteFlushTimestamp = Stopwatch.GetTimestamp();
            return;
        }

        _json.Clear();
        using (var json = new Utf8JsonWriter(_json, RelaxedJson))
        {
            json.WriteStartObject();
            json.WriteStartObject("output"u8);
            json.WriteStartObject("message"u8);
            json.WriteString("role"u8, "assistant"u8);
            json.WriteStartArray("content"u8);
            if (plan.ReasoningChunks > 0)
            {
                json.WriteStartObject();
                json.WriteStartObject("reasoningContent"u8);
                json.WriteStartObject("reasoningText"u8);
                json.WriteString("text"u8, string.Concat(Enumerable.Repeat(plan.ReasoningText, plan.ReasoningChunks)));
                json.WriteEndObject();
                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteStartObject();
            if (plan.ViaTool)
            {
                json.WriteStartObject("toolUse"u8);
                json.WriteString("toolUseId"u8, toolUseId);
                json.WriteString("name"u8, plan.ToolName);
                json.WritePropertyName("input"u8);
                json.WriteRawValue(plan.Content);
                json.WriteEndObject();
            }
            else
            {
                json.WriteString("text"u8, plan.Content);
            }

            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteString("stopReason"u8, plan.StopReason ?? "end_turn");
            WriteUsage(json);
            json.WriteStartObject("metrics"u8);
            json.WriteNumber("latencyMs"u8, (long)Stopwatch.GetElapsedTime(served.ArrivalTimestamp).TotalMilliseconds);
            json.WriteEndObject();
            WriteServiceTier(json);
            json.WriteEndObject();
        }

        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        response.ContentLength = _json.WrittenCount;
        served.StatusCode = StatusCodes.Status200OK;
        served.StopReason = plan.StopReason ?? "end_turn";
        _output.Write(_json.WrittenSpan);
        var flushed = await FlushAsync(cancellationToken).ConfigureAwait(false);
        served.FirstTokenFlushTimestamp = flushed;
        served.FirstContentFlushTimestamp = plan.Pieces.Count > 0 ? flushed : null;
        served.LastByteFlushTimestamp = flushed;
        served.ReasoningChunksSent = plan.ReasoningChunks;
        served.ContentChunksSent = plan.Pieces.Count;
    }

    private async Task SendExceptionAsync(CancellationToken cancellationToken)
    {
        var type = behavior.MidStreamExceptionType;
        var message = behavior.ErrorMessage ?? DefaultMessage(type);
        _json.Clear();
        using (var json = new Utf8JsonWriter(_json, RelaxedJson))
        {
            json.WriteStartObject();
            json.WriteString("message"u8, message);
            if (type == "modelStreamErrorException")
            {
                json.WriteNumber("originalStatusCode"u8, 500);
                json.WriteString("originalMessage"u8, "The model stopped sending tokens.");
            }

            json.WriteEndObject();
        }

        BedrockEventStream.Write(_output, [(":exception-type", type), (":content-type", "application/json"), (":message-type", "exception")], _json.WrittenSpan);
        served.LastByteFlushTimestamp = await FlushAsync(cancellationToken).ConfigureAwait(false);
        (served.Outcome, served.ErrorType, served.ErrorMessage) = (ServedOutcome.MidStreamError, type, message);
    }

    private void WriteDelta(int block, Action<Utf8JsonWriter> delta) => WriteEvent("contentBlockDelta", json =>
    {
        json.WriteNumber("contentBlockIndex"u8, block);
        json.WriteStartObject("delta"u8);
        delta(json);
        json.WriteEndObject();
    });

    /// <summary>One event, its payload padded with <c>"p"</c> as Bedrock pads them (to hide the length of what they carry).</summary>
    private void WriteEvent(string eventType, Action<Utf8JsonWriter> members)
    {
        _json.Clear();
        using (var json = new Utf8JsonWriter(_json, RelaxedJson))
        {
            json.WriteStartObject();
            members(json);
            json.WriteString("p"u8, Padding.AsSpan(0, 1 + _events++ % Padding.Length));
            json.WriteEndObject();
        }

        BedrockEventStream.Write(_output, [(":event-type", eventType), (":content-type", "application/json"), (":message-type", "event")], _json.WrittenSpan);
    }

    private void WriteUsage(Utf8JsonWriter json)
    {
        json.WriteStartObject("usage"u8);
        json.WriteNumber("inputTokens"u8, plan.InputTokens);
        json.WriteNumber("outputTokens"u8, plan.OutputTokens);
        json.WriteNumber("totalTokens"u8, plan.InputTokens + plan.OutputTokens);
        json.WriteEndObject();
    }

    /// <summary><c>"serviceTier": {"type"}</c>: the tier that served the request, when it asked for one.</summary>
    private void WriteServiceTier(Utf8JsonWriter json)
    {
        if (plan.ServiceTier is { } tier)
        {
            json.WriteStartObject("serviceTier"u8);
            json.WriteString("type"u8, tier);
            json.WriteEndObject();
        }
    }

    private async Task StallAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await Task.Delay(behavior.StallFor, cancellationToken).ConfigureAwait(false);
        _firstTokenDue += Stopwatch.GetTimestamp() - started;
    }

    private void Drop()
    {
        served.Outcome = ServedOutcome.Dropped;
        served.LastByteFlushTimestamp = Stopwatch.GetTimestamp();
        context.Abort();
    }

    /// <summary>Sends what was written and returns when it was handed to the socket.</summary>
    private async ValueTask<long> FlushAsync(CancellationToken cancellationToken)
    {
        var result = await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (result.IsCompleted || result.IsCanceled)
        {
            throw new OperationCanceledException("the client stopped reading");
        }

        return Stopwatch.GetTimestamp();
    }

    private long Due(int token) => _firstTokenDue + token * _interTokenTicks;

    /// <summary>A fault "after N chunks" with N past the end happens after the last content chunk.</summary>
    private int? ClampToContent(int? after) => after is int n ? Math.Clamp(n, 0, plan.Pieces.Count) : null;

    private static int StatusOf(string exceptionType) => exceptionType switch
    {
        "throttlingException" => 429,
        "modelStreamErrorException" => 424,
        "serviceUnavailableException" => 503,
        "validationException" => 400,
        _ => 500,
    };

    private static string DefaultMessage(string exceptionType) => exceptionType switch
    {
        "throttlingException" => "Too many tokens, please wait before trying again.",
        "modelStreamErrorException" => "The model's response stream was interrupted.",
        "serviceUnavailableException" => "Bedrock is unable to process your request.",
        "validationException" => "The request was rejected.",
        _ => "The server encountered an internal error while processing the request.",
    };

    private static long ToStopwatchTicks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
