using System.Collections.Concurrent;
using Eval360.Execution;
using Eval360.Providers;

namespace Eval360.Jury;

/// <summary>
/// Puts one response before every judge at once (the seed asked them one after another), then combines what they
/// said. One call per judge covers the six dimensions and the user's metrics. A judge that fails, or answers without
/// usable scores, is recorded with the reason and left out of the decision.
/// </summary>
internal sealed class JuryPanel
{
    private readonly IReadOnlyList<ModelProfile> _judges;
    private readonly ProviderSet _clients;
    private readonly ModelCaller _caller;
    private readonly BenchmarkOptions _options;
    private readonly Func<string, string> _redact;
    private readonly ConcurrentDictionary<string, StructuredOutput> _schemas = new();

    public JuryPanel(IReadOnlyList<ModelProfile> judges, ProviderSet clients, ModelCaller caller, BenchmarkOptions options)
    {
        _judges = judges;
        _clients = clients;
        _caller = caller;
        _options = options;
        _redact = clients.Redactor.Redact;
    }

    public async Task JudgeAsync(WorkItem item, InvocationResult result, CancellationToken cancellationToken)
    {
        var metrics = Dimensions.For(item.Scenario.UserDefinedMetrics, _options.UserDefinedMetrics);
        var format = _schemas.GetOrAdd(string.Join('\u001f', metrics), _ => JudgePrompt.Format(metrics));
        var calls = new Task<JudgeVerdict>[_judges.Count];
        for (int i = 0; i < _judges.Count; i++)
        {
            calls[i] = JudgeOneAsync(_judges[i], item, result.Response, metrics, format, cancellationToken);
        }

        var verdicts = await Task.WhenAll(calls).ConfigureAwait(false);
        result.Judges = verdicts;
        result.JuryCost = verdicts.Sum(v => v.Cost);
        var jury = JuryVerdict.Combine(verdicts, metrics, _options.PassThreshold, _options.JuryAggregation);
        result.Scores = new Dictionary<string, double>(jury.Scores, StringComparer.OrdinalIgnoreCase);
        result.Passed = jury.Passed;
        if (jury.Passed is null)
        {
            result.ErrorCode = FailureKind.JuryUnavailable.Code();
            result.ErrorMessage = "no judge gave a usable verdict: " + string.Join("; ", verdicts.Select(v => $"{v.JudgeModelId}: {v.Error}"));
        }
    }

    private async Task<JudgeVerdict> JudgeOneAsync(ModelProfile judge, WorkItem item, string response, IReadOnlyList<string> metrics, StructuredOutput format, CancellationToken cancellationToken)
    {
        var request = JudgePrompt.Build(item.Scenario, item.Prompt, response, metrics, format) with
        {
            Simulation = judge.IsSimulated ? new SimulationHint(HashCode.Combine(item.Key, judge.Key), item.Scenario.GoldenAnswer) : null,
        };
        var verdict = new JudgeVerdict { JudgeModelId = judge.DisplayName };
        var outcome = await _caller.CallAsync(judge, _clients.Client(judge), request, cancellationToken).ConfigureAwait(false);
        verdict.Retries = outcome.Retries;
        if (outcome.Measurement is not { } measurement)
        {
            verdict.Error = _redact($"{outcome.Failure!.Code}: {outcome.Failure.Message}");
            return verdict;
        }

        verdict.InputTokens = measurement.InputTokens;
        verdict.OutputTokens = measurement.OutputTokens;
        verdict.Cost = judge.CostOf(measurement.InputTokens, measurement.OutputTokens);
        verdict.Latency = measurement.TimeToLastByte;
        if (VerdictParser.TryParse(measurement.Answer, metrics, out var parsed, out var problem))
        {
            verdict.Scores = new Dictionary<string, double>(parsed!.Scores, StringComparer.OrdinalIgnoreCase);
            verdict.Explanation = parsed.Explanation;
        }
        else
        {
            verdict.Error = $"{FailureKind.JudgeUnparseable.Code()}: {problem}";
            verdict.Explanation = Shorten(measurement.Answer);
        }

        return verdict;
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
