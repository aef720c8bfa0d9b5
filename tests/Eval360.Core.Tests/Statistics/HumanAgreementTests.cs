using Eval360.Configuration;
using Eval360.Statistics;
using static Eval360.Tests.Statistics.JuryResults;

namespace Eval360.Tests.Statistics;

/// <summary>Judges and the jury against human labels, worked by hand; the label files' errors name file, line and field.</summary>
public sealed class HumanAgreementTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Weighted_kappa_of_each_judge_and_of_the_jury_against_people()
    {
        // People said 1, 2, 4, 5. Judge j1 says the same; j2 always 3; the jury's mean is 2, 2.5, 3.5, 4.
        // j2: Σw·O equals Σw·E (one rating against every label once): κ = 0.
        // Jury, quadratic: Σ(x − h)² = 1 + 0.25 + 0.25 + 1 = 2.5; expected Σ over all 16 pairs / 4 = 50/4; κ = 1 − 2.5/12.5 = 0.8.
        // Jury, linear: Σ|x − h| = 3; expected 24/4 = 6; κ = 0.5. The best judge is j1 (κ = 1): the jury trails it by 0.2 and 0.5.
        int[] human = [1, 2, 4, 5];
        var labels = _temp.File("labels.jsonl", string.Join('\n', human.Select((h, i) => $$$"""{"key": "m/s{{{i}}}", "scores": {"Correctness": {{{h}}}}}""")));
        var statistics = new ResultStatistics { Labels = HumanLabelFile.Read(labels) };
        statistics.AddRange(human.Select((h, i) => Answer("m", i, h, 3)));
        var rows = statistics.HumanAgreement();
        Assert.Equal(4, statistics.LabelledAnswers);
        double Kappa(string judge, string weighting) =>
            Assert.Single(rows, r => r.Judge == judge && r.Weighting == weighting && r.Statistic == JuryStatistic.CohenKappa).Value!.Value;
        Assert.Equal(1, Kappa("j1", KappaWeighting.Quadratic), 12);
        Assert.Equal(0, Kappa("j2", KappaWeighting.Quadratic), 12);
        Assert.Equal(0, Kappa("j2", KappaWeighting.Linear), 12);
        Assert.Equal(0.8, Kappa(JuryStatistic.Jury, KappaWeighting.Quadratic), 12);
        Assert.Equal(0.5, Kappa(JuryStatistic.Jury, KappaWeighting.Linear), 12);
        var versus = Assert.Single(rows, r => r.Statistic == JuryStatistic.JuryVersusBestJudge && r.Weighting == KappaWeighting.Quadratic);
        Assert.Equal("j1", versus.Judge);
        Assert.Equal(-0.2, versus.Value!.Value, 12);
        Assert.True(versus.CiLow <= versus.Value && versus.Value <= versus.CiHigh);
        Assert.All(rows, r => Assert.Equal("Correctness", r.Metric));
    }

    [Fact]
    public void Labels_by_scenario_apply_to_every_answer_of_it_or_of_one_model()
    {
        var path = _temp.File("labels.csv", "scenario_id,model_id,Correctness,Completeness\ns1,,4,\ns2,b,2,3\n");
        var labels = HumanLabelFile.Read(path);
        Assert.Equal(2, labels.Count);
        Assert.Equal(4, labels.For(new InvocationResult { ScenarioId = "s1", ModelId = "a" })!["correctness"]);
        Assert.Null(labels.For(new InvocationResult { ScenarioId = "s2", ModelId = "a" }));
        Assert.Equal(3, labels.For(new InvocationResult { ScenarioId = "s2", ModelId = "b" })!["Completeness"]);
        Assert.False(labels.For(new InvocationResult { ScenarioId = "s1", ModelId = "a" })!.ContainsKey("Completeness"));
    }

    [Fact]
    public void Bad_label_files_name_file_line_and_field()
    {
        var jsonl = _temp.File("bad.jsonl", string.Join('\n',
            """{"key": "a", "scores": {"Correctness": 4}}""",
            """{"key": "b", "scores": {"Correctness": 6}}""",
            """{"scores": {"Correctness": 3}}""",
            """{"key": "a", "scores": {"Correctness": 2}}""",
            """{"key": "c", "scores": {"Correctness": "good"}}""",
            "not json"));
        var errors = Assert.Throws<ConfigurationException>(() => HumanLabelFile.Read(jsonl)).Findings.Select(f => f.ToString()).ToList();
        Assert.Contains($"{jsonl}:2: scores.Correctness: is 6, must be between 1 and 5", errors);
        Assert.Contains($"{jsonl}:3: key: is required (the result's Key), or scenario_id", errors);
        Assert.Contains($"{jsonl}:4: key: labels the same answer as line 1", errors);
        Assert.Contains(errors, e => e.StartsWith($"{jsonl}:5: scores.Correctness: must be a number", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith($"{jsonl}:6: is not valid JSON", StringComparison.Ordinal));

        var csv = _temp.File("bad.csv", "key,Correctness\na,4\nb,five\n,3\n");
        var csvErrors = Assert.Throws<ConfigurationException>(() => HumanLabelFile.Read(csv)).Findings.Select(f => f.ToString()).ToList();
        Assert.Equal([$"{csv}:3: Correctness: 'five' is not a score from 1 to 5", $"{csv}:4: key: is empty"], csvErrors);

        var noId = _temp.File("noid.csv", "answer,Correctness\na,4\n");
        Assert.Contains($"{noId}:1: key: is not a column", Assert.Throws<ConfigurationException>(() => HumanLabelFile.Read(noId)).Message);
    }
}
