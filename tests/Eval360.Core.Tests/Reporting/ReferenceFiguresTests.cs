using Eval360.Jury;
using Eval360.Statistics;

namespace Eval360.Tests.Reporting;

/// <summary>
/// The figures users read — Get-Eval360Summary's (and summary.json's, which serialises the same summaries) and the
/// report's ranking row — against values worked out by hand for a small run, written here as literals. Percentiles are
/// numpy's default (linear interpolation between closest ranks): rank = p/100 × (n − 1).
/// </summary>
public sealed partial class ReportContentTests
{
    /// <summary>
    /// p/a: four answers and one failure. TTFT 0.1/0.2/0.3/0.4 s, TTLB 1/2/3/4 s, 50/40/30/20 tokens/s, 0.001–0.004 USD.
    /// Judges (Correctness, threshold 3, Mean): a1 5 and 3 → 4, pass; a2 2 and 2 → 2, fail; a3 4 and an unparseable
    /// judge (left out) → 4, pass; a4 no usable judge → unjudged (jury_unavailable); a5 failed (server).
    /// </summary>
    private static List<InvocationResult> HandWorkedRun()
    {
        static JudgeVerdict Judge(string id, double? score) => score is double s
            ? new JudgeVerdict { JudgeModelId = id, Scores = new Dictionary<string, double> { ["Correctness"] = s }, Passed = s >= 3 }
            : new JudgeVerdict { JudgeModelId = id, Error = "judge_unparseable: the reply holds no JSON object" };

        InvocationResult Answer(int n, double ttft, double ttlb, double tps, double cost, double? j1, double? j2)
        {
            var result = new InvocationResult
            {
                RunId = "r1", ModelId = "p/a", Provider = "p", ScenarioId = $"s{n}", Invocation = 1, Key = $"k{n}",
                TimeToFirstToken = ttft, TimeToLastByte = ttlb, OutputTokensPerSecond = tps, Cost = cost, OutputTokens = (long)(tps * ttlb),
                StartedAt = new DateTimeOffset(2026, 12, 1, 10, n, 0, TimeSpan.Zero),
            };
            JudgeVerdict[] verdicts = [Judge("x/j1", j1), Judge("x/j2", j2)];
            new JuryOutcome(verdicts, JuryVerdict.Combine(verdicts, ["Correctness"], 3, JuryAggregation.Mean)).WriteTo(result);
            return result;
        }

        return
        [
            Answer(1, 0.10, 1.0, 50, 0.001, 5, 3),
            Answer(2, 0.20, 2.0, 40, 0.002, 2, 2),
            Answer(3, 0.30, 3.0, 30, 0.003, 4, null),
            Answer(4, 0.40, 4.0, 20, 0.004, null, null),
            new InvocationResult
            {
                RunId = "r1", ModelId = "p/a", Provider = "p", ScenarioId = "s5", Invocation = 1, Key = "k5",
                Status = InvocationStatus.Failed, ErrorCode = "server", ErrorMessage = "HTTP 500",
                StartedAt = new DateTimeOffset(2026, 12, 1, 10, 5, 0, TimeSpan.Zero),
            },
        ];
    }

    [Fact]
    public void The_summary_s_figures_are_the_hand_worked_ones()
    {
        var s = Assert.Single(ResultStatistics.Of(HandWorkedRun()));

        Assert.Equal((5, 4, 1), (s.Invocations, s.Succeeded, s.Failed));
        // Judged: a1, a2, a3 (a4 had no usable judge, a5 failed); passed a1 and a3.
        Assert.Equal((3, 2), (s.Judged, s.Passed));
        Assert.Equal(0.666667, s.PassRate!.Value, 6);
        // Correctness per answer: 4, 2 and 4 (the unparseable judge left out of a3): (4 + 2 + 4) / 3.
        Assert.Equal(3.333, s.MeanScores["Correctness"], 3);
        Assert.Equal(3.333, s.OverallScore!.Value, 3);
        // TTFT [0.1, 0.2, 0.3, 0.4]: p50 rank 1.5 → 0.25; p95 rank 2.85 → 0.385; p99 rank 2.97 → 0.397.
        Assert.Equal(0.25, s.TimeToFirstTokenP50!.Value, 9);
        Assert.Equal(0.385, s.TimeToFirstTokenP95!.Value, 9);
        Assert.Equal(0.397, s.TimeToFirstTokenP99!.Value, 9);
        // TTLB [1, 2, 3, 4]: p50 2.5, p95 3.85.
        Assert.Equal(2.5, s.TimeToLastByteP50!.Value, 9);
        Assert.Equal(3.85, s.TimeToLastByteP95!.Value, 9);
        // Tokens/s: the mean over successful answers, (50 + 40 + 30 + 20) / 4.
        Assert.Equal(35, s.OutputTokensPerSecond!.Value, 9);
        // Cost 0.010 USD over 4 successful answers; success rate 4 / 5.
        Assert.Equal(0.010, s.Cost, 12);
        Assert.Equal(0.0025, s.CostPerResponse!.Value, 12);
        Assert.Equal(0.8, s.SuccessRate, 12);
        // Errors by code: the failed invocation and the unjudged answer.
        Assert.Equal(1, s.Errors["server"]);
        Assert.Equal(1, s.Errors["jury_unavailable"]);
    }

    [Fact]
    public void The_report_s_ranking_row_shows_the_hand_worked_figures()
    {
        var row = Row(Table(Render(HandWorkedRun()), "t-ranking"), "p/a");

        foreach (var cell in new[] { ">0.250<", ">0.385<", ">0.397<", ">2.500<", ">3.850<", ">35<", ">$0.0025<", ">80%<" })
        {
            Assert.Contains(cell, row, StringComparison.Ordinal);
        }

        Assert.Contains(">66.7% (", row, StringComparison.Ordinal);
        Assert.Contains(">3.33 (", row, StringComparison.Ordinal);
    }
}
