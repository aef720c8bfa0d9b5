using System.Collections.Concurrent;
using System.Threading.Channels;
using Eval360.Jury;

namespace Eval360.Execution;

/// <summary>
/// The bias guards' warnings, for a benchmark and a re-judging alike: a judge of the same model family as a candidate
/// it judges (once per pair, before judging starts), and a judge that obeyed the injection canary (once per judge, on
/// the first verdict flagged; every flagged verdict says so on the result), and a judge that refused the scenario's image
/// with <c>-Vision</c> (once per judge).
/// </summary>
internal sealed class JuryAlerts(ChannelWriter<RunEvent> events)
{
    private readonly ConcurrentDictionary<string, byte> _warnedJudges = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _warnedImageRefusals = new(StringComparer.Ordinal);
    private int _flagged;

    /// <summary>Verdicts flagged <see cref="JudgeVerdict.InjectionSuspected"/> so far in this session.</summary>
    public int Flagged => Volatile.Read(ref _flagged);

    /// <summary>Warns of every judge × candidate pair of the same model family.</summary>
    public async Task WarnOfSelfPreferenceAsync(IEnumerable<ModelProfile> judges, IEnumerable<string> candidateModelIds, CancellationToken cancellationToken)
    {
        foreach (var pair in SelfPreferencePair.Among(judges.Select(j => j.DisplayName), candidateModelIds))
        {
            await events.WriteAsync(new RunWarning(pair.Warning, "SelfPreference"), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Looks at a jury's verdicts on an answer of <paramref name="candidateModelId"/>; warns of a judge's first flagged verdict.</summary>
    public async ValueTask InspectAsync(JuryOutcome outcome, string candidateModelId, CancellationToken cancellationToken)
    {
        foreach (var judge in outcome.RefusedImage)
        {
            if (_warnedImageRefusals.TryAdd(judge, 0))
            {
                var reason = outcome.Verdicts.FirstOrDefault(v => v.JudgeModelId == judge)?.Error;
                await events.WriteAsync(new RunWarning(
                    $"Judge {judge} refused the scenario's image ({reason}); it is left out of every verdict on a scenario with an image: use vision-capable judges with -Vision",
                    "JudgeRefusedImage"), cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var verdict in outcome.Verdicts)
        {
            if (!verdict.InjectionSuspected)
            {
                continue;
            }

            Interlocked.Increment(ref _flagged);
            if (_warnedJudges.TryAdd(verdict.JudgeModelId, 0))
            {
                var message = $"Judge {verdict.JudgeModelId} obeyed the injection canary while judging an answer of {candidateModelId}: it followed an instruction placed inside the data it grades, so an answer could tell it what to score. " +
                    "Its flagged verdicts are left out of the decision (InjectionSuspected on the verdict, error injection_suspected); use a judge that keeps to the rubric.";
                await events.WriteAsync(new RunWarning(message, "InjectionSuspected"), cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
