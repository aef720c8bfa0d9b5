namespace Eval360.Tests.EndToEnd;

/// <summary>
/// Tests that assert latencies run one at a time, never beside other tests: on a 2-core machine a parallel test
/// steals the CPU and the measurement with it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingCollection
{
    public const string Name = "Timing";
}
