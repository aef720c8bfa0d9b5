using Eval360.Results;

namespace Eval360.Execution;

/// <summary>What a run reports while it runs; the cmdlet drains these on the pipeline thread.</summary>
public abstract record RunEvent;

/// <summary>A finished invocation, already on disk.</summary>
public sealed record ResultRecorded(InvocationResult Result) : RunEvent;

/// <summary>Something the user should know (a model left out, a budget reached).</summary>
public sealed record RunWarning(string Message, string Id) : RunEvent;

/// <summary>Progress detail for verbose output.</summary>
public sealed record RunNotice(string Message) : RunEvent;

/// <summary>Live counters, read by the cmdlet's progress timer; written by workers without locks.</summary>
public sealed class RunProgress
{
    private int _finished, _failed, _inFlight;
    private long _startedTicks = Environment.TickCount64;
    private int _finishedAtStart;

    public int Planned { get; internal set; }

    /// <summary>Invocations on disk, earlier sessions of a resumed run included.</summary>
    public int Finished => Volatile.Read(ref _finished);

    /// <summary>Of <see cref="Finished"/>, those that failed (earlier sessions of a resumed run included).</summary>
    public int Failed => Volatile.Read(ref _failed);

    public int InFlight => Volatile.Read(ref _inFlight);

    public int Experiment { get; internal set; }

    public string Phase { get; internal set; } = "starting";

    /// <summary>Seconds left at the pace of this session's finished work; null until something finished.</summary>
    public double? EtaSeconds
    {
        get
        {
            int done = Finished - _finishedAtStart;
            if (done <= 0)
            {
                return null;
            }

            double elapsed = (Environment.TickCount64 - Volatile.Read(ref _startedTicks)) / 1000.0;
            return elapsed / done * Math.Max(0, Planned - Finished);
        }
    }

    internal void Begin(int alreadyFinished, int alreadyFailed)
    {
        _finished = alreadyFinished;
        _failed = alreadyFailed;
        _finishedAtStart = alreadyFinished;
        Volatile.Write(ref _startedTicks, Environment.TickCount64);
    }

    internal void CallStarted() => Interlocked.Increment(ref _inFlight);

    internal void CallEnded() => Interlocked.Decrement(ref _inFlight);

    internal void Recorded(bool failed)
    {
        Interlocked.Increment(ref _finished);
        if (failed)
        {
            Interlocked.Increment(ref _failed);
        }
    }
}

/// <summary>A prompt optimized on its own (<c>Optimize-Eval360Prompt</c>).</summary>
public sealed record PromptOptimized(PromptOptimization Result) : RunEvent;

/// <summary>A prompt that could not be optimized: why (its code is <c>validation</c>, <c>auth</c>…), and the message.</summary>
public sealed record PromptNotOptimized(string Prompt, Providers.FailureKind Failure, string Message) : RunEvent;
