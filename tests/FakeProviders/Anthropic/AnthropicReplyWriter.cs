using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;

namespace Eval360.FakeProviders;

/// <summary>
/// Sends a planned reply the way Anthropic's Messages API does — streaming (<c>event: &lt;type&gt;</c> / <c>data:</c>
/// pairs, one flush per event) or as one message — on a schedule counted from the request's arrival, and injects the
/// behaviour's mid-reply faults. Thinking comes first, in block 0; the answer follows in a text block, or, when the
/// request forces a tool (a judge), in a tool_use block whose input streams as <c>input_json_delta</c> fragments.
/// </summary>
internal sealed class AnthropicReplyWriter
{
    private readonly HttpContext _context;
    private readonly ReplyPlan _plan;
    private readonly ModelBehavior _behavior;
    private readonly AnthropicJson _json;
    private readonly RequestTrace _trace;
    private readonly PreciseDelay _delay;
    private readonly PipeWriter _output;
    private readonly string? _tool;
    private readonly int _answerIndex;
    private readonly byte[][] _answerDeltas;
    private readonly long _interTokenTicks;

    /// <summary>When token 0 is due; pushed back by the length of a stall so the tokens after it keep their spacing.</summary>
    private long _firstTokenDue;

    public AnthropicReplyWriter(HttpContext context, ReplyPlan plan, ModelBehavior behavior, ParsedChatRequest request, AnthropicJson json, RequestTrace trace, PreciseDelay delay)
    {
        _context = context;
        _plan = plan;
        _behavior = behavior;
        _json = json;
        _trace = trace;
        _delay = delay;
        _output = context.Response.BodyWriter;
        _tool = request.ForcedTool;
        _answerIndex = plan.ReasoningChunks > 0 ? 1 : 0;
        _firstTokenDue = trace.ArrivalTimestamp + ToStopwatchTicks(behavior.FirstTokenDelay);
        _interTokenTicks = ToStopwatchTicks(behavior.InterTokenDelay);

        var block = _tool is null ? AnthropicBlock.Text : AnthropicBlock.ToolUse;
        var shared = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        _answerDeltas = [.. Pieces(plan, behavior, request).Select(piece =>
            shared.TryGetValue(piece, out var bytes) ? bytes : shared[piece] = AnthropicJson.Delta(_answerIndex, block, piece))];
    }

    private AnthropicBlock AnswerBlock => _tool is null ? AnthropicBlock.Text : AnthropicBlock.ToolUse;

    /// <summary>The stop reason Anthropic would give: OpenAI's names become Anthropic's, others pass as they are.</summary>
    private string? StopReason => _behavior.FinishReason switch
    {
        null => null,
        "stop" => _tool is null ? "end_turn" : "tool_use",
        "length" => "max_tokens",
        var other => other,
    };

    public async Task StreamAsync(CancellationToken cancellationToken)
    {
        var response = _context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        _trace.StatusCode = StatusCodes.Status200OK;

        WriteEvent("message_start"u8, _json.MessageStart(_plan.PromptTokens));
        if (_plan.ReasoningChunks > 0)
        {
            WriteEvent("content_block_start"u8, _json.BlockStart(0, AnthropicBlock.Thinking, null));
        }
        else
        {
            StartAnswerBlock();
        }

        WriteEvent("ping"u8, AnthropicJson.Ping);
        await FlushAsync(cancellationToken).ConfigureAwait(false);

        var token = 0;
        var thinking = AnthropicJson.Delta(0, AnthropicBlock.Thinking, _behavior.ReasoningText);
        for (var i = 0; i < _plan.ReasoningChunks; i++, token++)
        {
            await _delay.UntilAsync(Due(token), cancellationToken).ConfigureAwait(false);
            WriteEvent("content_block_delta"u8, thinking);
            var flushed = await FlushAsync(cancellationToken).ConfigureAwait(false);
            _trace.FirstTokenFlushTimestamp ??= flushed;
            _trace.ReasoningChunksSent++;
        }

        var count = _answerDeltas.Length;
        var stallAt = ClampToContent(_behavior.StallAfter);
        var errorAt = ClampToContent(_behavior.MidStreamErrorAfter);
        var dropAt = ClampToContent(_behavior.DropAfter);
        for (var i = 0; ; i++, token++)
        {
            if (i == stallAt)
            {
                await StallAsync(cancellationToken).ConfigureAwait(false);
            }

            if (i == errorAt)
            {
                var error = AnthropicError.ForStatus(529, _behavior.ErrorType ?? "overloaded_error", _behavior.ErrorMessage);
                WriteEvent("error"u8, error.ToEventJson());
                _trace.LastByteFlushTimestamp = await FlushAsync(cancellationToken).ConfigureAwait(false);
                _trace.Outcome = ServedOutcome.MidStreamError;
                _trace.Error = error.Message;
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

            await _delay.UntilAsync(Due(token), cancellationToken).ConfigureAwait(false);
            if (i == 0 && _plan.ReasoningChunks > 0)
            {
                EndThinkingBlock();
                StartAnswerBlock();
            }

            WriteEvent("content_block_delta"u8, _answerDeltas[i]);
            var flushed = await FlushAsync(cancellationToken).ConfigureAwait(false);
            _trace.FirstTokenFlushTimestamp ??= flushed;
            _trace.FirstContentFlushTimestamp ??= flushed;
            _trace.ContentChunksSent++;
        }

        if (count == 0 && _plan.ReasoningChunks > 0)
        {
            EndThinkingBlock();
            StartAnswerBlock();
        }

        WriteEvent("content_block_stop"u8, AnthropicJson.BlockStop(_answerIndex));
        if (StopReason is { } stopReason)
        {
            WriteEvent("message_delta"u8, AnthropicJson.MessageDelta(stopReason, _plan.CompletionTokens));
        }

        if (!_behavior.OmitDone)
        {
            WriteEvent("message_stop"u8, AnthropicJson.MessageStop);
        }

        _trace.LastByteFlushTimestamp = await FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        var tokens = _plan.ReasoningChunks + _answerDeltas.Length;
        await _delay.UntilAsync(Due(Math.Max(0, tokens - 1)), cancellationToken).ConfigureAwait(false);
        if (_behavior.StallAfter is not null)
        {
            await StallAsync(cancellationToken).ConfigureAwait(false);
        }

        if (_behavior.DropAfter is not null)
        {
            Drop();
            return;
        }

        if (_behavior.MidStreamErrorAfter is not null)
        {
            var type = _behavior.ErrorType ?? "overloaded_error";
            var error = AnthropicError.ForStatus(AnthropicError.StatusOf(type), type, _behavior.ErrorMessage);
            _trace.Outcome = ServedOutcome.MidStreamError;
            _trace.Error = error.Message;
            await WriteWholeAsync(error.Status, error.ToJson(_context.Response.Headers["request-id"].ToString()), cancellationToken).ConfigureAwait(false);
            return;
        }

        var flushed = await WriteWholeAsync(StatusCodes.Status200OK, _json.Message(_plan, _tool, StopReason), cancellationToken).ConfigureAwait(false);
        _trace.FirstTokenFlushTimestamp = flushed;
        _trace.FirstContentFlushTimestamp = _answerDeltas.Length > 0 ? flushed : null;
        _trace.ReasoningChunksSent = _plan.ReasoningChunks;
        _trace.ContentChunksSent = _answerDeltas.Length;
    }

    /// <summary>The answer's pieces: a judge's verdict or a fixed reply cut into chunks, else TokenCount × TokenText.</summary>
    private static IEnumerable<string> Pieces(ReplyPlan plan, ModelBehavior behavior, ParsedChatRequest request) =>
        request.IsJudge || behavior.Reply is not null
            ? ReplyPlan.Split(plan.Content, Math.Max(1, behavior.ReplyChunkChars))
            : Enumerable.Repeat(behavior.TokenText, Math.Max(0, behavior.TokenCount));

    /// <summary>A tool_use block starts with an empty input fragment, as Anthropic's does.</summary>
    private void StartAnswerBlock()
    {
        WriteEvent("content_block_start"u8, _json.BlockStart(_answerIndex, AnswerBlock, _tool));
        if (_tool is not null)
        {
            WriteEvent("content_block_delta"u8, AnthropicJson.Delta(_answerIndex, AnthropicBlock.ToolUse, ""));
        }
    }

    private void EndThinkingBlock()
    {
        WriteEvent("content_block_delta"u8, AnthropicJson.SignatureDelta(0));
        WriteEvent("content_block_stop"u8, AnthropicJson.BlockStop(0));
    }

    private async Task<long> WriteWholeAsync(int status, byte[] body, CancellationToken cancellationToken)
    {
        var response = _context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        _trace.StatusCode = status;
        _output.Write(body);
        var flushed = await FlushAsync(cancellationToken).ConfigureAwait(false);
        _trace.LastByteFlushTimestamp = flushed;
        return flushed;
    }

    private async Task StallAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await Task.Delay(_behavior.StallFor, cancellationToken).ConfigureAwait(false);
        _firstTokenDue += Stopwatch.GetTimestamp() - started;
    }

    private void Drop()
    {
        _trace.Outcome = ServedOutcome.Dropped;
        _trace.LastByteFlushTimestamp = Stopwatch.GetTimestamp();
        _context.Abort();
    }

    private void WriteEvent(ReadOnlySpan<byte> name, ReadOnlySpan<byte> data)
    {
        _output.Write("event: "u8);
        _output.Write(name);
        _output.Write("\ndata: "u8);
        _output.Write(data);
        _output.Write("\n\n"u8);
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

    /// <summary>A fault "after N chunks" with N past the end happens after the last answer chunk.</summary>
    private int? ClampToContent(int? after) => after is int n ? Math.Clamp(n, 0, _answerDeltas.Length) : null;

    private static long ToStopwatchTicks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
