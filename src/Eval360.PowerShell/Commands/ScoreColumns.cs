using System.Management.Automation;

namespace Eval360.PowerShell.Commands;

/// <summary>
/// One property per jury metric (<c>Score.Correctness</c>, …, <c>Score.brand voice</c>) on every result a cmdlet
/// emits, so that <c>Export-Csv</c> writes one readable column per metric. Every result of a stream gets the same
/// columns (Export-Csv takes its header from the first object), empty where a result has no score: a failed
/// invocation, a scenario without that user metric.
/// </summary>
internal sealed class ScoreColumns(IReadOnlyList<string> metrics)
{
    public const string Prefix = "Score.";

    /// <summary>The result with its score columns (the result itself when the run has no jury).</summary>
    public object Attach(InvocationResult result)
    {
        if (metrics.Count == 0)
        {
            return result;
        }

        var item = PSObject.AsPSObject(result);
        foreach (var metric in metrics)
        {
            item.Properties.Add(new PSNoteProperty(Prefix + metric, result.Scores.TryGetValue(metric, out var score) ? score : null), preValidated: true);
        }

        return item;
    }
}
