using Eval360.Calls;
using Eval360.FakeProviders;
using Eval360.Jury;
using Eval360.Providers;

namespace Eval360.Tests.Jury;

/// <summary>The jury as a service, called as a re-judging would call it: no run, no benchmark settings, a saved response.</summary>
[Collection(EndToEnd.TimingCollection.Name)]
public sealed class JuryPanelTests
{
    private static readonly CallLimits Limits = new()
    {
        MaxRetries = 0,
        AttemptTimeout = TimeSpan.FromSeconds(30),
        StallTimeout = TimeSpan.FromSeconds(30),
        MaxRetryTime = TimeSpan.FromSeconds(30),
    };

    private static readonly Scenario Capital = new()
    {
        Prompt = "What is the capital of France?",
        TaskType = "QA",
        TaskCriteria = "Correct and concise",
        GoldenAnswer = "Paris.",
    };

    private static ModelProfile Judge(FakeOpenAIServer server, string name) => new()
    {
        ModelId = "openai-compatible/" + name,
        Provider = ProviderSet.Catalog.FromPrefix("openai-compatible")!,
        Model = name,
        Role = ProfileRole.Judge,
        InputCostPer1K = 0.01,
        OutputCostPer1K = 0.03,
        Endpoint = server.BaseUrl,
    };

    [Fact]
    public async Task Judging_a_saved_response_returns_complete_verdicts_and_their_decision()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Behaviors["j5"] = new ModelBehavior { JudgeDefaultScore = 5 };
        server.Behaviors["j2"] = new ModelBehavior { JudgeDefaultScore = 2, JudgeScores = new Dictionary<string, int> { ["Correctness"] = 1 } };
        using var work = new TempDirectory();
        using var clients = new ProviderSet(work.Path);
        using var pacer = new TokenBucketPacer(TimeProvider.System);
        using var caller = new ModelCaller(pacer, Limits, TimeProvider.System);
        var settings = new JurySettings
        {
            Judges = [Judge(server, "j5"), Judge(server, "j2")],
            PassThreshold = 3,
            Aggregation = JuryAggregation.Mean,
            UserDefinedMetrics = ["tone"],
        };
        var panel = new JuryPanel(settings, caller, clients.Client, clients.Redactor.Redact);

        var outcome = await panel.JudgeAsync(
            new JuryCase { Key = "saved-1", Scenario = Capital, Prompt = Capital.Prompt, Response = "Paris.", Metrics = settings.MetricsFor(Capital) },
            CancellationToken.None);

        // Each verdict is whole as it comes back: its own pass/fail included, nothing left for a later step to fill in.
        Assert.Equal(["openai-compatible/j5", "openai-compatible/j2"], outcome.Verdicts.Select(v => v.JudgeModelId));
        var (high, low) = (outcome.Verdicts[0], outcome.Verdicts[1]);
        Assert.Equal((true, false), (high.Passed, low.Passed));
        Assert.Equal(7, high.Scores.Count);
        Assert.All(high.Scores.Values, s => Assert.Equal(5, s));
        Assert.Equal(1, low.Scores["Correctness"]);
        Assert.Equal(2, low.Scores["tone"]);
        Assert.All(outcome.Verdicts, v =>
        {
            Assert.Null(v.Error);
            Assert.True(v.Cost > 0 && v.InputTokens > 0 && v.OutputTokens > 0 && v.Latency > 0);
        });

        // Means (5 + 1) / 2 = 3 and (5 + 2) / 2 = 3.5: every dimension reaches 3, so the jury passes it.
        Assert.Equal(2, outcome.Decision.UsableJudges);
        Assert.Equal(3.0, outcome.Decision.Scores["Correctness"]);
        Assert.Equal(3.5, outcome.Decision.Scores["Completeness"]);
        Assert.Equal(3.5, outcome.Decision.Scores["tone"]);
        Assert.True(outcome.Decision.Passed);
        Assert.Null(outcome.Unavailable);
        Assert.Equal(high.Cost + low.Cost, outcome.Cost, 12);

        // Only the judges were called, once each.
        Assert.Equal(["j2", "j5"], server.Requests.Select(r => r.Model).Order(StringComparer.Ordinal));

        var result = new InvocationResult { Response = "Paris." };
        outcome.WriteTo(result);
        Assert.Same(high, result.Judges[0]);
        Assert.Equal((true, 3.5, outcome.Cost), (result.Passed, result.Scores["Following-instructions"], result.JuryCost));
        Assert.Null(result.ErrorCode);
    }

    [Fact]
    public void With_no_decision_the_result_says_the_jury_was_unavailable_and_why()
    {
        var outcome = new JuryOutcome(
            [new JudgeVerdict { JudgeModelId = "a", Error = "server: HTTP 500" }, new JudgeVerdict { JudgeModelId = "b", Error = "judge_unparseable: no JSON" }],
            JuryVerdict.Combine([], ["Correctness"], 3, JuryAggregation.Mean));
        var result = new InvocationResult();
        outcome.WriteTo(result);
        Assert.Null(result.Passed);
        Assert.Equal(FailureKind.JuryUnavailable.Code(), result.ErrorCode);
        Assert.Equal("no judge gave a usable verdict: a: server: HTTP 500; b: judge_unparseable: no JSON", result.ErrorMessage);
    }

    [Fact]
    public void A_simulated_judge_is_seeded_from_the_case_and_the_judge_alone()
    {
        // SHA-256("0123456789abcdef0123|sim/strict-judge||default") starts 8a 43 3b e4 (sha256sum); read little-endian.
        Assert.Equal(-465878134, JuryPanel.SimulationSeed("0123456789abcdef0123", "sim/strict-judge||default"));
        Assert.NotEqual(JuryPanel.SimulationSeed("a", "b"), JuryPanel.SimulationSeed("a", "c"));
    }
}
