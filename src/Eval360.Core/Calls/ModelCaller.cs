using System.Globalization;
using Eval360.Configuration;
using Eval360.Logging;
using Eval360.Providers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;

namespace Eval360.Calls;

/// <summary>The result of one call after its retries: the last attempt's measurement, or why it failed.</summary>
internal sealed class CallOutcome
{
    public CallMeasurement? Measurement { get; set; }

    public ProviderException? Failure { get; set; }

    /// <summary>The answer text received before a failure, if any.</summary>
    public string? PartialAnswer { get; set; }

    public int Attempts { get; set; }

    public int Retries => Math.Max(0, Attempts - 1);

    /// <summary>HTTP 429s (and throttling errors) the provider returned across the attempts.</summary>
    public int ProviderThrottles { get; set; }

    public TimeSpan PacingWait { get; set; }

    /// <summary>The request rate achieved to the model and region when the call ended.</summary>
    public double? ActualRpm { get; set; }

    public bool Succeeded => Measurement is not null;
}

/// <summary>
/// Makes one model call the way every call is made: paced, retried by a Polly pipeline (exponential backoff with
/// jitter, the provider's own Retry-After honoured, a cap on total retry time), each attempt watched for its time
/// limit and for stalls, and timed by a <see cref="StreamRecorder"/>.
/// </summary>
internal sealed class ModelCaller : IDisposable
{
    private static readonly ResiliencePropertyKey<CallOutcome> OutcomeKey = new("eval360.outcome");
    private static readonly ResiliencePropertyKey<long> StartedKey = new("eval360.started");
    private static readonly ResiliencePropertyKey<bool> NoRetryKey = new("eval360.no-retry");
    private static readonly ResiliencePropertyKey<ModelProfile> ProfileKey = new("eval360.profile");

    private readonly ResiliencePipeline _pipeline;
    private readonly IRequestPacer _pacer;
    private readonly CallWatchdog _watchdog;
    private readonly CallLimits _limits;
    private readonly TimeProvider _time;
    private readonly ILogger _log;

    /// <param name="log">Where retries, throttling and failed calls are logged; none when null.</param>
    public ModelCaller(IRequestPacer pacer, CallLimits limits, TimeProvider time, ILogger? log = null)
    {
        _log = log ?? NullLogger.Instance;
        _pacer = pacer;
        _limits = limits;
        _time = time;
        _watchdog = new CallWatchdog(time, TimeSpan.FromMilliseconds(100));
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome.Exception, args.Context)),
                MaxRetryAttempts = Math.Max(limits.MaxRetries, 1),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromSeconds(1),
                MaxDelay = TimeSpan.FromSeconds(60),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Exception is ProviderException { RetryAfter: TimeSpan after } ? (TimeSpan?)after : null),
                OnRetry = args =>
                {
                    if (args.Outcome.Exception is ProviderException e)
                    {
                        _log.CallRetried(args.AttemptNumber + 1, limits.MaxRetries, LogEvents.Of(args.Context.Properties.GetValue(ProfileKey, null!)),
                            args.RetryDelay.TotalSeconds, e.Code, e.Message);
                    }

                    return default;
                },
            })
            .Build();
    }

    /// <param name="retry">False for a single attempt (the access check's probe), which still takes the same path.</param>
    public async Task<CallOutcome> CallAsync(ModelProfile profile, IModelClient client, ChatRequest request, CancellationToken cancellationToken, bool retry = true)
    {
        var outcome = new CallOutcome();
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(OutcomeKey, outcome);
        context.Properties.Set(StartedKey, _time.GetTimestamp());
        context.Properties.Set(NoRetryKey, !retry);
        context.Properties.Set(ProfileKey, profile);
        try
        {
            outcome.Measurement = await _pipeline.ExecuteAsync(
                static (ctx, state) => state.Caller.AttemptAsync(state.Profile, state.Client, state.Request, ctx),
                context,
                (Caller: this, Profile: profile, Client: client, Request: request)).ConfigureAwait(false);
        }
        catch (ProviderException e)
        {
            outcome.Failure = e;
            if (retry)
            {
                _log.CallFailed(LogEvents.Of(profile), outcome.Attempts, e.Code, e.Message);
            }
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        outcome.ActualRpm = _pacer.ActualRpm(profile);
        return outcome;
    }

    private async ValueTask<CallMeasurement> AttemptAsync(ModelProfile profile, IModelClient client, ChatRequest request, ResilienceContext context)
    {
        var outcome = context.Properties.GetValue(OutcomeKey, null!);
        var cancellationToken = context.CancellationToken;
        outcome.Attempts++;
        int estimatedTokens = EstimateTokens(request);
        var ticket = await _pacer.AcquireAsync(profile, estimatedTokens, cancellationToken).ConfigureAwait(false);
        outcome.PacingWait += ticket.Waited;

        var recorder = new StreamRecorder(_time);
        using var guard = _watchdog.Watch(cancellationToken, _limits.AttemptTimeout, _limits.StallTimeout);
        try
        {
            recorder.Start();
            await foreach (var chunk in client.StreamAsync(request, guard.Token).ConfigureAwait(false))
            {
                guard.Touch(_time.GetTimestamp());
                recorder.Record(chunk);
            }

            var measurement = recorder.Finish(request.Prompt);
            _pacer.ReportUsage(profile, estimatedTokens, measurement.InputTokens + measurement.OutputTokens);
            return measurement;
        }
        catch (OperationCanceledException) when (guard.Fired is FailureKind fired && !cancellationToken.IsCancellationRequested)
        {
            outcome.PartialAnswer = recorder.PartialAnswer;
            var limit = fired == FailureKind.Stalled ? $"no chunk for {guard.StallLimit.TotalSeconds:0.#} s" : $"the attempt passed its {guard.TimeLimit.TotalSeconds:0.#} s limit";
            throw new ProviderException(fired, $"{(fired == FailureKind.Stalled ? "stalled" : "timed out")}: {limit}");
        }
        catch (ProviderException e)
        {
            outcome.PartialAnswer = recorder.PartialAnswer;
            if (e.Kind == FailureKind.Throttled)
            {
                outcome.ProviderThrottles++;
                _log.ProviderThrottled(LogEvents.Of(profile), e.Code, e.Status is int status ? $" (HTTP {status.ToString(CultureInfo.InvariantCulture)})" : string.Empty, e.Message,
                    e.RetryAfter is TimeSpan after ? string.Create(CultureInfo.InvariantCulture, $"; it asks to wait {after.TotalSeconds:0.###} s") : string.Empty);
            }

            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            outcome.PartialAnswer = recorder.PartialAnswer;
            throw HttpFailures.FromException(e, "streaming the response", text => text);
        }
    }

    private bool ShouldRetry(Exception? exception, ResilienceContext context)
    {
        if (exception is not ProviderException { IsTransient: true } || _limits.MaxRetries == 0 || context.Properties.GetValue(NoRetryKey, false))
        {
            return false;
        }

        long started = context.Properties.GetValue(StartedKey, 0L);
        return _time.GetElapsedTime(started) < _limits.MaxRetryTime;
    }

    /// <summary>Prompt tokens (about four characters each) plus the output limit: what the call may cost at most.</summary>
    internal static int EstimateTokens(ChatRequest request) =>
        ((request.SystemPrompt?.Length ?? 0) + request.Prompt.Length + 3) / 4 + request.MaxOutputTokens;

    public void Dispose() => _watchdog.Dispose();
}
