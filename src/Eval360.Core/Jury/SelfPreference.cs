using Eval360.Configuration;

namespace Eval360.Jury;

/// <summary>A judge and a candidate it judges that are of the same model family (<see cref="ModelFamily"/>).</summary>
public sealed record SelfPreferencePair(string JudgeModelId, string CandidateModelId, string Family)
{
    /// <summary>What to tell the user, once per pair.</summary>
    public string Warning =>
        $"Judge {JudgeModelId} judges {CandidateModelId}, a model of its own family ({Family}): judges tend to score their own family's answers higher (self-preference). " +
        "Add judges of other families; the report's Jury section and Measure-Eval360Jury -Bias show how much this judge favoured its family.";

    /// <summary>Every judge × candidate pair of the same known family, each once, in the order given.</summary>
    public static IReadOnlyList<SelfPreferencePair> Among(IEnumerable<string> judgeModelIds, IEnumerable<string> candidateModelIds)
    {
        var candidates = candidateModelIds.Distinct(StringComparer.Ordinal).Select(c => (Id: c, Family: ModelFamily.Of(c))).ToList();
        return judgeModelIds.Distinct(StringComparer.Ordinal)
            .SelectMany(judge => ModelFamily.Of(judge) is { } family
                ? candidates.Where(c => c.Family == family).Select(c => new SelfPreferencePair(judge, c.Id, family))
                : [])
            .ToList();
    }
}
