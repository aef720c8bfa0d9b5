namespace Eval360.Tests.EndToEnd;

/// <summary>
/// Tests that assert latencies or the process's memory run one at a time, never beside other tests: on a 2-core
/// machine a parallel test steals the CPU and the measurement with it, and its allocations (a 50 MB input line, say)
/// count in the heap the memory test measures.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingCollection
{
    public const string Name = "Timing";
}
