using System.Globalization;

namespace Eval360.Statistics;

/// <summary>
/// What makes two models' answers answers to the same item: the plan (the run, for results that name no plan),
/// experiment, scenario (its prompt when results carry no scenario id, as the seed's CSVs do not), invocation,
/// temperature and prompt variant — everything of a work item but the model. Paired comparisons match answers on it;
/// bootstrap intervals sort by it.
/// </summary>
/// <remarks>
/// The plan, not the run, because the shards of a plan (<c>-Shard i/n</c>) are runs of their own: a shard is chosen by
/// the work item's key, which includes the model, so one model's answer to an item and another's usually sit in
/// different shards with different run ids, and pairing on the run would lose them. Results that name no plan (written
/// before results carried it, or by the seed) keep the run, and so their identity and every figure that sorts by it.
/// </remarks>
public static class ItemIdentity
{
    /// <summary>A 64-bit FNV-1a hash of those fields: the same in every process.</summary>
    public static ulong Of(InvocationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var hash = 14695981039346656037UL;
        void Mix(string text)
        {
            foreach (char c in text)
            {
                hash = unchecked((hash ^ c) * 1099511628211UL);
            }

            hash = unchecked((hash ^ '|') * 1099511628211UL);
        }

        Mix(string.IsNullOrEmpty(result.PlanId) ? result.RunId : result.PlanId);
        Mix(result.Experiment.ToString(CultureInfo.InvariantCulture));
        Mix(result.ScenarioId.Length > 0 ? result.ScenarioId : result.Prompt);
        Mix(result.Invocation.ToString(CultureInfo.InvariantCulture));
        Mix(result.Temperature.ToString("R", CultureInfo.InvariantCulture));
        Mix(result.PromptVariant);
        return hash;
    }
}
