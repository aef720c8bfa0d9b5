using System.Globalization;
using System.Text;
using Eval360.Configuration;
using Eval360.Providers;
using Eval360.Results;

namespace Eval360.Execution;

/// <summary>
/// How a run ended, and what that means: the summary users read (<see cref="Describe"/>) and the pass/fail gates
/// (<see cref="Gate"/>) that <c>-FailOnError</c> and <c>-MinPassRate</c> ask for, so scheduled runs can fail.
/// </summary>
public sealed record RunOutcome(RunStatus Status, RunDirectory Directory, int Planned, int Finished, int Failed, double SpentUsd,
    IReadOnlyList<ModelSummary> Summaries, string? StopReason, BenchmarkOptions Options)
{
    /// <summary>Invocations that failed or whose answer no judge could score.</summary>
    public int Unsuccessful => Summaries.Sum(s => s.Failed + s.Errors.Where(e => e.Key == FailureKind.JuryUnavailable.Code()).Sum(e => e.Value));

    /// <summary>Judged responses that passed, over all judged responses; null when nothing was judged.</summary>
    public double? PassRate => Judged == 0 ? null : Summaries.Sum(s => s.Passed) / (double)Judged;

    private int Judged => Summaries.Sum(s => s.Judged);

    /// <summary>The gate the run failed (<c>-FailOnError</c> first, then <c>-MinPassRate</c>); null when it passed them all.</summary>
    public GateFailure? Gate
    {
        get
        {
            if (Options.FailOnError && (Unsuccessful > 0 || Status != RunStatus.Completed))
            {
                return new GateFailure("BenchmarkHadErrors",
                    $"The benchmark run {Directory.RunId} ended {StatusText} with {Unsuccessful} failed invocation(s); see {Directory.Unprocessed}.");
            }

            if (Options.MinPassRate is double minimum && (PassRate ?? 0) < minimum)
            {
                return new GateFailure("PassRateBelowMinimum", string.Format(CultureInfo.InvariantCulture,
                    "The pass rate of run {0} is {1:P1} ({2} of {3} judged responses), below -MinPassRate {4:P1}.",
                    Directory.RunId, PassRate ?? 0, Summaries.Sum(s => s.Passed), Judged, minimum));
            }

            return null;
        }
    }

    private string StatusText => Status switch
    {
        RunStatus.BudgetExhausted => "budget exhausted",
        _ => Status.ToString().ToLowerInvariant(),
    };

    /// <summary>What the cmdlet prints when the run ends: counts and spend, why it stopped, where the files are.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        var simulated = Summaries.Any(s => s.Simulated) ? " [SIMULATED: built-in simulator, not real model measurements]" : string.Empty;
        text.Append(CultureInfo.InvariantCulture, $"Eval360 run {Directory.RunId} {StatusText}: {Finished}/{Planned} invocations, {Failed} failed, {SpentUsd:0.######} USD{simulated}");
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

    /// <summary>
    /// The Ctrl+C message: the run id, what is on disk, and the exact command that picks the run up (its directory,
    /// so it works from any location).
    /// </summary>
    public string DescribeCancellation() =>
        string.Format(CultureInfo.InvariantCulture,
            "Eval360 run {0} was stopped: {1} of {2} invocations are finished and saved. Resume it with:{3}  {4}",
            Directory.RunId, Finished, Planned, Environment.NewLine, ResumeCommand());

    /// <summary>The PowerShell command that resumes this run.</summary>
    public string ResumeCommand() => $"Invoke-Eval360Benchmark -Resume '{Directory.Path.Replace("'", "''", StringComparison.Ordinal)}'";
}

/// <summary>A pass/fail gate the run did not pass: a stable error id and the message for the user.</summary>
public sealed record GateFailure(string ErrorId, string Message);
