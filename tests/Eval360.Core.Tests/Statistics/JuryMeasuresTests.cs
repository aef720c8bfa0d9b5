using Eval360.Statistics;
using static Eval360.Tests.Statistics.JuryResults;

namespace Eval360.Tests.Statistics;

/// <summary>The jury's reliability read from recorded results, against published and hand-worked figures.</summary>
public sealed class JuryMeasuresTests
{
    private static ResultStatistics Of(IEnumerable<InvocationResult> results)
    {
        var statistics = new ResultStatistics();
        statistics.AddRange(results);
        return statistics;
    }

    [Fact]
    public void Results_with_failed_judges_give_krippendorffs_published_alphas()
    {
        // Krippendorff (2011)'s 4 observers × 12 units as four judges; "." is a judge that failed on that answer.
        double?[][] observers =
        [
            [1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null],
            [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3],
            [null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null],
            [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null],
        ];
        var results = Enumerable.Range(0, 12).Select(u => Answer("m", u, observers.Select(o => o[u]).ToArray()));
        var alphas = Of(results).Reliability().Where(s => s.Metric == "Correctness").ToList();
        Assert.Equal(0.743421, Single(alphas, JuryStatistic.KrippendorffAlpha, MeasurementLevel.Nominal).Value!.Value, 6);
        Assert.Equal(0.815388, Single(alphas, JuryStatistic.KrippendorffAlpha, MeasurementLevel.Ordinal).Value!.Value, 6);
        Assert.Equal(0.849107, Single(alphas, JuryStatistic.KrippendorffAlpha, MeasurementLevel.Interval).Value!.Value, 6);
        Assert.Equal(0.797403, Single(alphas, JuryStatistic.KrippendorffAlpha, MeasurementLevel.Ratio).Value!.Value, 6);
        var interval = Single(alphas, JuryStatistic.KrippendorffAlpha, MeasurementLevel.Interval);
        Assert.Equal(11, interval.Items);   // unit 12 has one value: not pairable
        Assert.Equal(7, interval.Missing);   // 12 × 4 cells, 41 values
        Assert.Equal("reliable", interval.Reliability);
        Assert.Equal("tentative", Single(alphas, JuryStatistic.KrippendorffAlpha, MeasurementLevel.Nominal).Reliability);
        Assert.True(interval.CiLow <= interval.Value && interval.Value <= interval.CiHigh, $"{interval.CiLow} {interval.Value} {interval.CiHigh}");
        Assert.Null(Single(alphas, JuryStatistic.FleissKappa, MeasurementLevel.Nominal).Reliability);
    }

    private static JuryStatistic Single(IEnumerable<JuryStatistic> statistics, string statistic, MeasurementLevel level) =>
        Assert.Single(statistics, s => s.Statistic == statistic && s.Level == level);

    [Fact]
    public void A_lenient_judge_by_hand()
    {
        // j1 and j2 give 2, 3, 4, 2; j3 always one point more. By hand (N = 12 values: four 2s, four 3s, three 4s, one 5):
        // every unit (a, a, a+1) has 4 ordered pairs one point apart, each weighing 1/(3 − 1): Σo·δ² = 8.
        // Interval: Σ n_c n_k δ² = 2NΣv² − 2(Σv)² = 2·12·125 − 2·37² = 262, α = 1 − 11·8/262 = 87/131.
        // Nominal: Σ n_c n_k (c ≠ k) = 12² − (16 + 16 + 9 + 1) = 102, α = 1 − 11·8/102 = 7/51.
        var results = new[] { 2, 3, 4, 2 }.Select((s, i) => Answer("m", i, s, s, s + 1));
        var statistics = Of(results);
        var alphas = statistics.Reliability().Where(s => s.Metric == "Correctness").ToList();
        Assert.Equal(87 / 131.0, Single(alphas, JuryStatistic.KrippendorffAlpha, MeasurementLevel.Interval).Value!.Value, 12);
        Assert.Equal(7 / 51.0, Single(alphas, JuryStatistic.KrippendorffAlpha, MeasurementLevel.Nominal).Value!.Value, 12);
        Assert.Equal("unreliable", Single(alphas, JuryStatistic.KrippendorffAlpha, MeasurementLevel.Interval).Reliability);

        var judges = statistics.JudgeAgreement().Where(j => j.Metric == "Correctness").ToList();
        JuryStatistic Figure(string judge, string statistic) => Assert.Single(judges, j => j.Judge == judge && j.Statistic == statistic);
        // j3 − mean(j1, j2) = +1 on every answer; j1 − mean(j2, j3) = −0.5. Constant offsets: the interval is the point.
        Assert.Equal(1, Figure("j3", JuryStatistic.Leniency).Value!.Value, 12);
        Assert.Equal(1, Figure("j3", JuryStatistic.Leniency).CiLow!.Value, 12);
        Assert.Equal(1, Figure("j3", JuryStatistic.Leniency).CiHigh!.Value, 12);
        Assert.Equal(-0.5, Figure("j1", JuryStatistic.Leniency).Value!.Value, 12);
        Assert.Equal(4, Figure("j1", JuryStatistic.Leniency).Items);
        // Against the rest's mean: j3 (3, 4, 5, 3) vs (2, 3, 4, 2): N = 8, Σ2(x − y)² = 8, Σv = 26, Σv² = 92,
        // α = 1 − 7·8/(2·8·92 − 2·26²) = 1 − 56/120. j1 (2, 3, 4, 2) vs (2.5, 3.5, 4.5, 2.5): α = 1 − 7·2/(16·78 − 2·24²) = 1 − 14/96.
        Assert.Equal(1 - 56 / 120.0, Figure("j3", JuryStatistic.AgreementWithRest).Value!.Value, 12);
        Assert.Equal(1 - 14 / 96.0, Figure("j1", JuryStatistic.AgreementWithRest).Value!.Value, 12);
        Assert.Equal(MeasurementLevel.Interval, Figure("j1", JuryStatistic.AgreementWithRest).Level);
        // The same judges on the Overall metric (every dimension got the same score) and on pass/fail.
        var overall = statistics.JudgeAgreement().Single(j => j.Judge == "j3" && j.Metric == JuryStatistic.OverallMetric && j.Statistic == JuryStatistic.Leniency);
        Assert.Equal(1, overall.Value!.Value, 12);
        // A judge passes an answer at 3 or more: j1 and j2 pass answers 2 and 3, j3 all four; j3's offsets are 1, 0, 0, 1.
        var passed = statistics.JudgeAgreement().Single(j => j.Judge == "j3" && j.Metric == JuryStatistic.PassedMetric && j.Statistic == JuryStatistic.Leniency);
        Assert.Equal(0.5, passed.Value!.Value, 12);
    }

    [Fact]
    public void Judges_who_agree_have_alpha_one_and_judges_who_disagree_a_negative_alpha()
    {
        var agreeing = Of(new[] { 1, 2, 4, 5 }.Select((s, i) => Answer("m", i, s, s, s)));
        Assert.All(agreeing.Reliability().Where(s => s.Statistic == JuryStatistic.KrippendorffAlpha), s => Assert.Equal(1, s.Value!.Value, 12));
        Assert.All(agreeing.JudgeAgreement().Where(j => j.Metric == "Correctness" && j.Statistic == JuryStatistic.Leniency), j => Assert.Equal(0, j.Value!.Value, 12));

        // Two judges with opposite views, (1, 5), (2, 4), (4, 2), (5, 1): Σ2(x − y)² = 80, N = 8, Σv = 24, Σv² = 92;
        // α = 1 − 7·80/(2·8·92 − 2·24²) = 1 − 560/320 = −0.75.
        var opposed = Of(new[] { 1, 2, 4, 5 }.Select((s, i) => Answer("m", i, s, 6 - s)));
        var interval = opposed.Reliability([MeasurementLevel.Interval]);
        Assert.Equal(-0.75, Assert.Single(interval, s => s.Metric == "Correctness").Value!.Value, 12);
        Assert.DoesNotContain(interval, s => s.Statistic == JuryStatistic.FleissKappa);
    }

    [Fact]
    public void Intervals_are_reproducible_whatever_order_the_results_come_in()
    {
        var random = new Random(7);
        var results = Enumerable.Range(0, 40).Select(i => Answer("m", i, random.Next(1, 6), random.Next(1, 6), random.Next(2, 6))).ToList();
        var forward = Of(results).Reliability();
        var backward = Of(Enumerable.Reverse(results)).Reliability();
        Assert.Equal(forward.Select(s => (s.Value, s.CiLow, s.CiHigh)), backward.Select(s => (s.Value, s.CiLow, s.CiHigh)));
    }
}
