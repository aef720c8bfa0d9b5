using Eval360.Jury;

namespace Eval360.Tests.Jury;

public sealed class JuryVerdictTests
{
    private static readonly string[] Metrics = ["Correctness", "Format"];

    private static JudgeVerdict Judge(double correctness, double format) => new()
    {
        JudgeModelId = "j",
        Scores = new Dictionary<string, double> { ["Correctness"] = correctness, ["Format"] = format },
    };

    private static JudgeVerdict Failed() => new() { JudgeModelId = "broken", Error = "judge_unparseable: no JSON" };

    [Fact]
    public void Mean_passes_when_every_dimension_mean_reaches_the_threshold()
    {
        var verdict = JuryVerdict.Combine([Judge(5, 2), Judge(4, 4), Judge(3, 4)], Metrics, 3, JuryAggregation.Mean);
        Assert.Equal(4, verdict.Scores["Correctness"]);
        Assert.Equal(3.3333, verdict.Scores["Format"]);
        Assert.True(verdict.Passed);
    }

    [Fact]
    public void Mean_fails_when_one_dimension_mean_is_below()
    {
        var verdict = JuryVerdict.Combine([Judge(5, 2), Judge(5, 3)], Metrics, 3, JuryAggregation.Mean);
        Assert.False(verdict.Passed);
    }

    [Fact]
    public void Majority_counts_judges_and_ties_fail()
    {
        var judges = new[] { Judge(5, 5), Judge(5, 2), Judge(4, 4) };
        Assert.True(JuryVerdict.Combine(judges, Metrics, 3, JuryAggregation.Majority).Passed);
        Assert.Equal([true, false, true], judges.Select(j => JuryVerdict.JudgePasses(j.Scores, Metrics, 3)));
        Assert.False(JuryVerdict.Combine([Judge(5, 5), Judge(5, 2)], Metrics, 3, JuryAggregation.Majority).Passed);
    }

    [Fact]
    public void Mean_and_majority_can_disagree()
    {
        // Means 3.67/3.67 pass; but two of three judges each fail one dimension.
        var judges = new[] { Judge(5, 5), Judge(2, 4), Judge(4, 2) };
        Assert.True(JuryVerdict.Combine(judges, Metrics, 3, JuryAggregation.Mean).Passed);
        Assert.False(JuryVerdict.Combine(judges, Metrics, 3, JuryAggregation.Majority).Passed);
    }

    [Fact]
    public void A_failed_judge_is_left_out_of_means_and_votes()
    {
        var failed = Failed();
        var verdict = JuryVerdict.Combine([Judge(2, 2), failed, Judge(4, 4)], Metrics, 3, JuryAggregation.Mean);
        Assert.Equal(2, verdict.UsableJudges);
        Assert.Equal(3, verdict.Scores["Correctness"]);
        Assert.Null(failed.Passed);
        var majority = JuryVerdict.Combine([Judge(4, 4), failed, failed], Metrics, 3, JuryAggregation.Majority);
        Assert.True(majority.Passed);
    }

    [Fact]
    public void Combining_changes_no_verdict()
    {
        var judges = new[] { Judge(5, 5), Judge(2, 2), Failed() };
        var before = judges.Select(j => (j.Passed, j.Error, Scores: string.Join(",", j.Scores.Select(kv => $"{kv.Key}={kv.Value}")))).ToList();
        JuryVerdict.Combine(judges, Metrics, 3, JuryAggregation.Majority);
        JuryVerdict.Combine(judges, Metrics, 4, JuryAggregation.Mean);
        Assert.Equal(before, judges.Select(j => (j.Passed, j.Error, Scores: string.Join(",", j.Scores.Select(kv => $"{kv.Key}={kv.Value}")))));
        Assert.All(judges, j => Assert.Null(j.Passed));
    }

    [Fact]
    public void A_judge_passes_when_every_metric_reaches_the_threshold()
    {
        Assert.True(JuryVerdict.JudgePasses(new Dictionary<string, double> { ["Correctness"] = 3, ["Format"] = 3 }, Metrics, 3));
        Assert.False(JuryVerdict.JudgePasses(new Dictionary<string, double> { ["Correctness"] = 5, ["Format"] = 2.9 }, Metrics, 3));
        Assert.False(JuryVerdict.JudgePasses(new Dictionary<string, double> { ["Correctness"] = 5 }, Metrics, 3));
        Assert.True(JuryVerdict.JudgePasses(new Dictionary<string, double> { ["correctness"] = 4, ["FORMAT"] = 4 }, Metrics, 4));
    }

    [Fact]
    public void A_verdict_without_a_score_for_every_metric_is_left_out()
    {
        var partial = new JudgeVerdict { JudgeModelId = "partial", Scores = new Dictionary<string, double> { ["Correctness"] = 1 } };
        var verdict = JuryVerdict.Combine([Judge(4, 4), partial], Metrics, 3, JuryAggregation.Mean);
        Assert.Equal(1, verdict.UsableJudges);
        Assert.Equal(4, verdict.Scores["Correctness"]);
    }

    [Fact]
    public void With_no_usable_judge_the_decision_is_unknown_not_a_pass_or_a_fail()
    {
        var verdict = JuryVerdict.Combine([Failed(), Failed()], Metrics, 3, JuryAggregation.Mean);
        Assert.Null(verdict.Passed);
        Assert.Empty(verdict.Scores);
    }
}
