using System.Threading.Channels;
using Eval360.Configuration;
using Eval360.Execution;
using Eval360.FakeProviders;
using Eval360.Providers;

namespace Eval360.Tests.EndToEnd;

/// <summary>Runs the real engine against the fake provider and collects what it reports.</summary>
internal sealed class BenchmarkHarness : IAsyncDisposable
{
    private readonly TempDirectory _work = new();

    private BenchmarkHarness(FakeOpenAIServer server) => Server = server;

    public FakeOpenAIServer Server { get; }

    public string WorkingDirectory => _work.Path;

    public static async Task<BenchmarkHarness> StartAsync(FakeServerOptions? options = null) =>
        new(await FakeOpenAIServer.StartAsync(options));

    public ModelProfile Model(string name, string provider = "openai-compatible", ProfileRole role = ProfileRole.Candidate, string? apiKeyEnv = null, Uri? endpoint = null) =>
        ProviderSet.Catalog.TryParseId($"{provider}/{name}", out var kind, out var model)
            ? new ModelProfile
            {
                ModelId = $"{provider}/{name}",
                Provider = kind,
                Model = model,
                Role = role,
                Region = "local",
                InputCostPer1K = 0.001,
                OutputCostPer1K = 0.002,
                Endpoint = endpoint ?? Server.BaseUrl,
                ApiKeyEnv = apiKeyEnv,
            }
            : throw new ArgumentException(name);

    public ModelProfile Judge(string name) => Model(name, role: ProfileRole.Judge) with { InputCostPer1K = 0.01, OutputCostPer1K = 0.03 };

    public static Scenario Scenario(string prompt = "What is the capital of France?", int tokens = 64, double? temperature = 0.3) => new()
    {
        Prompt = prompt,
        TaskType = "QA",
        TaskCriteria = "Correct and concise",
        GoldenAnswer = "Paris.",
        ExpectedOutputTokens = tokens,
        Temperature = temperature,
    };

    public static BenchmarkOptions Options(int invocations = 1, int parallel = 4) => new()
    {
        ExperimentName = "e2e",
        ExperimentCount = 1,
        InvocationsPerScenario = invocations,
        ParallelCalls = parallel,
        SleepBetweenInvocations = TimeSpan.Zero,
        MaxRetries = 0,
    };

    public void DotEnv(string content) => _work.File(".env", content);

    public async Task<RunResult> RunAsync(IReadOnlyList<Scenario> scenarios, IReadOnlyList<ModelProfile> models, IReadOnlyList<ModelProfile> judges, BenchmarkOptions options, CancellationToken cancellationToken = default)
    {
        var configuration = new LoadedConfiguration(scenarios, models, judges, []);
        var benchmark = Benchmark.Create(configuration, options with { OutputDirectory = Path.Combine(_work.Path, "outputs") }, _work.Path);
        var events = Channel.CreateUnbounded<RunEvent>();
        var outcome = await benchmark.RunAsync(events.Writer, cancellationToken);
        events.Writer.Complete();
        var all = new List<RunEvent>();
        await foreach (var item in events.Reader.ReadAllAsync())
        {
            all.Add(item);
        }

        return new RunResult(outcome, all.OfType<ResultRecorded>().Select(r => r.Result).ToList(), all.OfType<RunWarning>().ToList());
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _work.Dispose();
    }
}

internal sealed record RunResult(RunOutcome Outcome, List<InvocationResult> Results, List<RunWarning> Warnings)
{
    public InvocationResult Single() => Assert.Single(Results);
}
