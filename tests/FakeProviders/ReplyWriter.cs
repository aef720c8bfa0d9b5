using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;

namespace Eval360.FakeProviders;

/// <summary>
/// Sends a planned reply, streaming (SSE, one flush per event) or whole, on a schedule counted from the request's
/// arrival, and injects the behaviour's mid-reply faults.
/// </summary>
internal sealed class ReplyWriter(
    HttpContext context,
    ReplyPlan plan,
    ModelBehavior behavior,
    CompletionJson json,
    RequestTrace trace,
    PreciseDelay delay)
{
    private static readonly byte[] RoleDelta = CompletionJson.RoleDelta.ToArray();
    private static readonly byte[] FinishDelta = CompletionJson.FinishDelta.ToArray();

    private readonly PipeWriter _output = context.Response.BodyWriter;

    /// <summary>When token 0 is due; pushed back by the length of a stall so the tokens after it keep their spacing.</summary>
    private long _firstTokenDue = trace.ArrivalTimestamp + ToStopwatchTicks(behavior.FirstTokenDelay);

    private readonly long _interTokenTicks = ToStopwatchTicks(behavior.InterTokenDelay);

    public async Task StreamAsync(bool sendUsage, CancellationToken cancellationToken)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        trace.StatusCode = StatusCodes.Status200OK;

        WriteChunk(RoleDelta, finishReason: null);
        await FlushAsync(cancellationToken).ConfigureAwait(false);

        var token = 0;
        for (var i = 0; i < plan.ReasoningChunks; i++, token++)
        {
            await delay.UntilAsync(Due(token), cancellationToken).ConfigureAwait(false);
            WriteChunk(plan.ReasoningDelta, finishReason: null);
            var flushed = await FlushAsync(cancellationToken).ConfigureAwait(false);
            trace.FirstTokenFlushTimestamp ??= flushed;
            trace.ReasoningChunksSent++;
        }

        var count = plan.ContentDeltas.Length;
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
                WriteEvent(OpenAIError.MidStreamEventJson(behavior.ErrorMessage));
                trace.LastByteFlushTimestamp = await FlushAsync(cancellationToken).ConfigureAwait(false);
                trace.Outcome = ServedOutcome.MidStreamError;
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
            WriteChunk(plan.ContentDeltas[i], finishReason: null);
            var flushed = await FlushAsync(cancellationToken).ConfigureAwait(false);
            trace.FirstTokenFlushTimestamp ??= flushed;
            trace.FirstContentFlushTimestamp ??= flushed;
            trace.ContentChunksSent++;
        }

        long last = Stopwatch.GetTimestamp();
        if (behavior.FinishReason is { } finishReason)
        {
            WriteChunk(FinishDelta, finishReason);
            last = await FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        if (sendUsage)
        {
            WriteUsageChunk();
            last = await FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        if (!behavior.OmitDone)
        {
            _output.Write("data: [DONE]\n\n"u8);
            last = await FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        trace.LastByteFlushTimestamp = last;
    }

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        var tokens = plan.ReasoningChunks + plan.ContentDeltas.Length;
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

        var response = context.Response;
        response.ContentType = "application/json";
        if (behavior.MidStreamErrorAfter is not null)
        {
            var error = OpenAIError.ForStatus(StatusCodes.Status500InternalServerError, behavior.ErrorMessage);
            trace.Outcome = ServedOutcome.MidStreamError;
            trace.Error = error.Message;
            await WriteWholeAsync(error.Status, error.ToJson(), cancellationToken).ConfigureAwait(false);
            return;
        }

        var body = json.Completion(plan, behavior.FinishReason, behavior.IncludeUsage);
        var flushed = await WriteWholeAsync(StatusCodes.Status200OK, body, cancellationToken).ConfigureAwait(false);
        trace.FirstTokenFlushTimestamp = flushed;
        trace.FirstContentFlushTimestamp = plan.ContentDeltas.Length > 0 ? flushed : null;
        trace.ReasoningChunksSent = plan.ReasoningChunks;
        trace.ContentChunksSent = plan.ContentDeltas.Length;
    }

    private async Task<long> WriteWholeAsync(int status, byte[] body, CancellationToken cancellationToken)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentLength = body.Length;
        trace.StatusCode = status;
        _output.Write(body);
        var flushed = await FlushAsync(cancellationToken).ConfigureAwait(false);
        trace.LastByteFlushTimestamp = flushed;
        return flushed;
    }

    private async Task StallAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await Task.Delay(behavior.StallFor, cancellationToken).ConfigureAwait(false);
        _firstTokenDue += Stopwatch.GetTimestamp() - started;
    }

    private void Drop()
    {
        trace.Outcome = ServedOutcome.Dropped;
        trace.LastByteFlushTimestamp = Stopwatch.GetTimestamp();
        context.Abort();
    }

    private void WriteChunk(ReadOnlySpan<byte> delta, string? finishReason)
    {
        _output.Write("data: "u8);
        json.WriteChunk(_output, delta, finishReason);
        _output.Write("\n\n"u8);
    }

    private void WriteUsageChunk()
    {
        _output.Write("data: "u8);
        json.WriteUsageChunk(_output, plan);
        _output.Write("\n\n"u8);
    }

    private void WriteEvent(ReadOnlySpan<byte> data)
    {
        _output.Write("data: "u8);
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

    /// <summary>A fault "after N chunks" with N past the end happens after the last content chunk.</summary>
    private int? ClampToContent(int? after) => after is int n ? Math.Clamp(n, 0, plan.ContentDeltas.Length) : null;

    private static long ToStopwatchTicks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
