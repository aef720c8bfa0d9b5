using System.Globalization;
using System.Text;
using Eval360.Results;

namespace Eval360.Execution;

/// <summary>How a re-judging ended: counts and spend, why it stopped, where its files are, and how to resume it.</summary>
/// <param name="Total">Results in the re-judging, judged or passed through.</param>
/// <param name="Finished">Results on disk, earlier sessions included.</param>
/// <param name="Judged">Results on disk that the new jury judged, earlier sessions included.</param>
/// <param name="PassedThrough">Results passed through unjudged (failed invocations, latency-only).</param>
/// <param name="Flagged">Verdicts flagged <c>InjectionSuspected</c> in this session.</param>
/// <param name="SpentUsd">USD for judge calls (no candidate is called).</param>
public sealed record RejudgingOutcome(RunStatus Status, RunDirectory Directory, string JuryId, int Total, int Finished, int Judged, int PassedThrough,
    int Flagged, double SpentUsd, IReadOnlyList<ModelSummary> Summaries, string? StopReason)
{
    private string StatusText => Status switch
    {
        RunStatus.BudgetExhausted => "budget exhausted",
        _ => Status.ToString().ToLowerInvariant(),
    };

    /// <summary>What the cmdlet prints at the end.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        var simulated = Summaries.Any(s => s.Simulated) ? " [SIMULATED: built-in simulator, not real model measurements]" : string.Empty;
        text.Append(CultureInfo.InvariantCulture,
            $"Eval360 jury {JuryId} {StatusText}: {Finished}/{Total} results, {Judged} judged again, {PassedThrough} passed through unjudged, {Flagged} verdict(s) flagged injection_suspected, {SpentUsd:0.######} USD{simulated}");
        if (StopReason is { } reason && Status != RunStatus.Completed)
        {
            text.Append(CultureInfo.InvariantCulture, $"{Environment.NewLine}  {reason}");
        }

        text.Append(CultureInfo.InvariantCulture, $"{Environment.NewLine}Results: {Directory.Path}");
        if (Status == RunStatus.Completed && File.Exists(Directory.Report))
        {
            text.Append(CultureInfo.InvariantCulture, $"{Environment.NewLine}Report: {Directory.Report}");
        }

        if (Status is RunStatus.Cancelled or RunStatus.BudgetExhausted)
        {
            text.Append(CultureInfo.InvariantCulture, $"{Environment.NewLine}Resume: {ResumeCommand()}");
        }

        return text.ToString();
    }

    /// <summary>The Ctrl+C message: what is on disk and the command that picks the re-judging up.</summary>
    public string DescribeCancellation() =>
        string.Format(CultureInfo.InvariantCulture,
            "Eval360 jury {0} was stopped: {1} of {2} results are finished and saved. Resume it with:{3}  {4}",
            JuryId, Finished, Total, Environment.NewLine, ResumeCommand());

    /// <summary>The PowerShell command that resumes this re-judging.</summary>
    public string ResumeCommand() => $"Invoke-Eval360Jury -Resume '{Directory.Path.Replace("'", "''", StringComparison.Ordinal)}'";
}
