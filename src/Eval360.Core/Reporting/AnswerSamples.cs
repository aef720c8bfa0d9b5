namespace Eval360.Reporting;

/// <summary>
/// The few lowest-scored answers of a model, clipped, so a report can show examples in bounded memory. Equal scores are
/// told apart by the work item's key, so the same answers are chosen whatever order the results come in.
/// </summary>
internal sealed class AnswerSamples(int capacity)
{
    private readonly List<AnswerSample> _samples = new(capacity);

    public IReadOnlyList<AnswerSample> Samples => _samples.OrderBy(s => s.Score).ThenBy(s => s.Key, StringComparer.Ordinal).ToList();

    public void Offer(InvocationResult r, double score)
    {
        if (_samples.Count == capacity)
        {
            int worst = 0;
            for (int i = 1; i < _samples.Count; i++)
            {
                if (Above(_samples[i].Score, _samples[i].Key, _samples[worst].Score, _samples[worst].Key))
                {
                    worst = i;
                }
            }

            if (!Above(_samples[worst].Score, _samples[worst].Key, score, r.Key))
            {
                return;
            }

            _samples.RemoveAt(worst);
        }

        _samples.Add(new AnswerSample(
            r.ScenarioId,
            r.TaskType,
            score,
            r.Passed == true,
            Clip(r.Prompt, 600) ?? string.Empty,
            Clip(r.Response, 1500) ?? string.Empty,
            r.Judges.Where(j => !string.IsNullOrWhiteSpace(j.Explanation)).Take(3)
                .Select(j => $"{j.JudgeModelId}: {Clip(j.Explanation, 400)}").ToList(),
            r.Key));
    }

    /// <summary>Whether the first answer ranks above the second (higher score, or an equal score and a greater key).</summary>
    private static bool Above(double score, string key, double otherScore, string otherKey) =>
        score > otherScore || (score == otherScore && string.CompareOrdinal(key, otherKey) > 0);

    /// <summary>The text cut to <paramref name="length"/> characters, with an ellipsis when it was longer.</summary>
    public static string? Clip(string? text, int length)
    {
        if (text is null || text.Length <= length)
        {
            return text;
        }

        // Never cut a surrogate pair in half: the lone half would not encode.
        if (char.IsHighSurrogate(text[length - 1]))
        {
            length--;
        }

        return string.Concat(text.AsSpan(0, length), "…");
    }
}

/// <summary>One answer shown as an example.</summary>
internal sealed record AnswerSample(string ScenarioId, string TaskType, double Score, bool Passed, string Prompt, string Response, IReadOnlyList<string> Explanations, string Key);
