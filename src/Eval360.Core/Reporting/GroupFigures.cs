using Eval360.Statistics;

namespace Eval360.Reporting;

/// <summary>One cell of a breakdown (a model at a temperature or on a task type, a region): its counts and latency distributions.</summary>
internal sealed class GroupFigures
{
    public OutcomeCounts Counts { get; } = new();

    public LatencySketches Latency { get; } = new();

    public void Add(InvocationResult r)
    {
        Counts.Add(r);
        Latency.Add(r);
    }
}

/// <summary>
/// Fixed-size distributions of a group's successful invocations, for histograms and for percentiles of breakdowns
/// (within about 1%); the exact percentiles of whole models come from <see cref="ModelStatistics"/>.
/// </summary>
internal sealed class LatencySketches
{
    public LatencySketch TimeToFirstToken { get; } = new();

    public LatencySketch TimeToLastByte { get; } = new();

    public LatencySketch TokensPerSecond { get; } = new();

    public void Add(InvocationResult r)
    {
        if (!r.IsSucceeded())
        {
            return;
        }

        if (r.TimeToFirstToken is double ttft)
        {
            TimeToFirstToken.Add(ttft);
        }

        if (r.TimeToLastByte is double ttlb)
        {
            TimeToLastByte.Add(ttlb);
        }

        if (r.OutputTokensPerSecond is double tps)
        {
            TokensPerSecond.Add(tps);
        }
    }
}
