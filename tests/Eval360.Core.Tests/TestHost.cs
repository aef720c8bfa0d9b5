using System.Runtime.CompilerServices;

namespace Eval360.Tests;

/// <summary>Settings for the whole test process.</summary>
internal static class TestHost
{
    /// <summary>
    /// In-process fake servers, the engine and xunit share a small thread pool on a 2-core CI machine; the pool adds
    /// threads only every half second when it runs short, which would show up as stalls in latency assertions.
    /// </summary>
    [ModuleInitializer]
    internal static void Initialize() => ThreadPool.SetMinThreads(Math.Max(16, Environment.ProcessorCount * 4), 16);
}
