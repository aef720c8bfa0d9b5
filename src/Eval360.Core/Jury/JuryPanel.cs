using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Eval360.Calls;
using Eval360.Providers;

namespace Eval360.Jury;

/// <summary>
/// The jury as a service: puts one response before every judge at once (the seed asked them one after another) and
/// returns what they said, each verdict complete when it is made, with the decision they make together
/// (<see cref="JuryVerdict.Combine"/>). One call per judge covers the six dimensions and the user's metrics; a case with
/// an image (<c>-Vision</c>) shows the judge the image beside the answer. A judge that fails, or answers without usable
/// scores, is recorded with the reason and left out of the decision; one that refuses images (<c>unsupported_input</c>)
/// is not asked again with one. It knows
/// nothing of the run that asks: a benchmark and a re-judging of saved responses call it alike.
/// </summary>
internal sealed class JuryPanel
{
    private readonly ModelCaller _caller;
    private readonly Func<ModelProfile, IModelClient> _clientFor;
    private readonly Func<string, string> _redact;
    private readonly ConcurrentDictionary<string, StructuredOutput> _schemas = new();
    private readonly ConcurrentDictionary<string, string> _refusedImages = new(StringComparer.Ordinal);

    /// <param name="settings">The judges, the threshold, the aggregation and the user's metrics.</param>
    /// <param name="caller">Makes each judge call: paced, retried, timed.</param>
    /// <param name="clientFor">The client that speaks a judge's protocol.</param>
    /// <param name="redact">Masks secrets in the error text a failed judge call leaves on its verdict.</param>
    public JuryPanel(JurySettings settings, ModelCaller caller, Func<ModelProfile, IModelClient> clientFor, Func<string, string> redact)
    {
        Settings = settings;
        _caller = caller;
        _clientFor = clientFor;
        _redact = redact;
    }

    public JurySettings Settings { get; }

    /// <summary>Asks every judge at once; returns their verdicts (in the order of <see cref="JurySettings.Judges"/>) and the decision.</summary>
    public async Task<JuryOutcome> JudgeAsync(JuryCase juryCase, CancellationToken cancellationToken)
    {
        var metrics = juryCase.Metrics;
        var format = _schemas.GetOrAdd(string.Join('\u001f', metrics), _ => JudgePrompt.Format(metrics));
        var judges = Settings.Judges;
        var calls = new Task<JudgeVerdict>[judges.Count];
        for (int i = 0; i < judges.Count; i++)
        {
            calls[i] = JudgeOneAsync(judges[i], juryCase, format, cancellationToken);
        }

        var verdicts = await Task.WhenAll(calls).ConfigureAwait(false);
        return new JuryOutcome(verdicts, JuryVerdict.Combine(verdicts, metrics, Settings.PassThreshold, Settings.Aggregation))
        {
            JuryId = Settings.JuryId,
            RefusedImage = juryCase.Image is null ? [] : [.. judges.Where(j => _refusedImages.ContainsKey(j.Key)).Select(j => j.DisplayName)],
        };
    }

    /// <summary>
    /// The seed a simulated judge grades a case with: from a SHA-256 of the work item's key and the judge's key, so it
    /// is the same in every process (<see cref="HashCode"/> is randomised per process).
    /// </summary>
    internal static int SimulationSeed(string itemKey, string judgeKey) =>
        BinaryPrimitives.ReadInt32LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes($"{itemKey}|{judgeKey}")));

    private async Task<JudgeVerdict> JudgeOneAsync(ModelProfile judge, JuryCase juryCase, StructuredOutput format, CancellationToken cancellationToken)
    {
        var metrics = juryCase.Metrics;
        if (juryCase.Image is not null && _refusedImages.TryGetValue(judge.Key, out var refusal))
        {
            // A judge that cannot see images is not asked again with one: it would refuse (and may bill) every time.
            return new JudgeVerdict { JudgeModelId = judge.DisplayName, Error = refusal };
        }

        var canary = JudgeCanary.New();
        var judgeRequest = JudgePrompt.Build(juryCase.Scenario, juryCase.Prompt, juryCase.Response, metrics, format, canary: canary);
        var request = judgeRequest with
        {
            Prompt = juryCase.Image is null ? judgeRequest.Prompt : JudgePrompt.ImageNote + judgeRequest.Prompt,
            Image = juryCase.Image,
            Simulation = judge.IsSimulated ? new SimulationHint(SimulationSeed(juryCase.Key, judge.Key), juryCase.Scenario.GoldenAnswer) : null,
        };
        var outcome = await _caller.CallAsync(judge, _clientFor(judge), request, cancellationToken).ConfigureAwait(false);
        if (outcome.Failure is { Kind: FailureKind.UnsupportedInput } refused && juryCase.Image is not null)
        {
            _refusedImages.TryAdd(judge.Key, _redact($"{refused.Code}: the judge refused the scenario's image ({refused.Message}); left out of every judgement with an image"));
        }

        if (outcome.Measurement is not { } measurement)
        {
            return new JudgeVerdict
            {
                JudgeModelId = judge.DisplayName,
                Error = _redact($"{outcome.Failure!.Code}: {outcome.Failure.Message}"),
                Retries = outcome.Retries,
            };
        }

        var cost = judge.CostOf(measurement.InputTokens, measurement.OutputTokens);
        if (!VerdictParser.TryParse(measurement.Answer, metrics, out var parsed, out var problem))
        {
            return new JudgeVerdict
            {
                JudgeModelId = judge.DisplayName,
                Error = $"{FailureKind.JudgeUnparseable.Code()}: {problem}",
                InjectionSuspected = canary.ObeyedIn(measurement.Answer),
                Explanation = Shorten(measurement.Answer),
                InputTokens = measurement.InputTokens,
                OutputTokens = measurement.OutputTokens,
                Cost = cost,
                Latency = measurement.TimeToLastByte,
                Retries = outcome.Retries,
            };
        }

        // Obeying the canary means obeying text inside the data: its scores may obey the response too, so the verdict
        // is kept for inspection but left out of the decision, like any unusable one.
        bool obeyed = canary.ObeyedIn(parsed!.Explanation) || canary.ObeyedIn(measurement.Answer);
        return new JudgeVerdict
        {
            JudgeModelId = judge.DisplayName,
            Scores = new Dictionary<string, double>(parsed.Scores, StringComparer.OrdinalIgnoreCase),
            Passed = obeyed ? null : JuryVerdict.JudgePasses(parsed.Scores, metrics, Settings.PassThreshold),
            InjectionSuspected = obeyed,
            Error = obeyed ? $"{FailureKind.InjectionSuspected.Code()}: the judge followed an instruction placed inside the data it grades (it began its explanation with the canary word {canary.Word}), so its scores may follow instructions in the response too; left out" : null,
            Explanation = parsed.Explanation,
            InputTokens = measurement.InputTokens,
            OutputTokens = measurement.OutputTokens,
            Cost = cost,
            Latency = measurement.TimeToLastByte,
            Retries = outcome.Retries,
        };
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
