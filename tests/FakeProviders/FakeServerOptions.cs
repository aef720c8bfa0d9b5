namespace Eval360.FakeProviders;

/// <summary>Start-up options of a <see cref="FakeOpenAIServer"/>.</summary>
public sealed class FakeServerOptions
{
    /// <summary>The loopback port; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>When set, OpenAI/Gemini routes require <c>Authorization: Bearer &lt;key&gt;</c> and Azure routes <c>api-key: &lt;key&gt;</c>.</summary>
    public string? RequiredApiKey { get; init; }

    /// <summary>Keep a <see cref="ServedRequest"/> per request. Turn off for benchmarks making millions of requests.</summary>
    public bool RecordRequests { get; init; } = true;

    /// <summary>Recording stops (requests are still served and counted) after this many.</summary>
    public int MaxRecordedRequests { get; init; } = 100_000;

    /// <summary>
    /// How long before a token's due time the server's timing thread stops sleeping and spins (yielding), for
    /// sub-millisecond precision. Zero never spins: tokens then leave up to about 1 ms late, at no CPU cost.
    /// </summary>
    public TimeSpan SpinWaitThreshold { get; init; } = TimeSpan.FromMilliseconds(1);

    /// <summary>The behaviour of models with no entry in <see cref="Behaviors"/>.</summary>
    public ModelBehavior? DefaultBehavior { get; init; }

    /// <summary>Initial per-model behaviours (copied into <see cref="FakeOpenAIServer.Behaviors"/>).</summary>
    public IReadOnlyDictionary<string, ModelBehavior>? Behaviors { get; init; }

    /// <summary>Initial <see cref="FakeOpenAIServer.Selector"/>.</summary>
    public Func<FakeRequest, ModelBehavior?>? Selector { get; init; }
}
