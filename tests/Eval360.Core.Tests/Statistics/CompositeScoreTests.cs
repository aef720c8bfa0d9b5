using Eval360.Statistics;

namespace Eval360.Tests.Statistics;

/// <summary>
/// The composite score against figures worked out by hand, on a trade-off: A wins on quality, B on latency, C on cost.
/// <code>
///                 pass  score  TTFT p50  cost/resp  success
///   A (quality)   0.90  4.6    0.8 s     0.004      1.00
///   B (latency)   0.60  3.4    0.2 s     0.002      0.95
///   C (cost)      0.70  3.8    0.5 s     0.0005     0.90
/// quality = (pass + (score − 1) / 4) / 2:  A (0.9 + 0.9) / 2 = 0.9   B (0.6 + 0.6) / 2 = 0.6   C (0.7 + 0.7) / 2 = 0.7
/// latency = 0.2 / TTFT:                    A 0.25   B 1      C 0.4
/// cost    = 0.0005 / cost:                 A 0.125  B 0.25   C 1
/// reliability = success rate:              A 1      B 0.95   C 0.9
/// </code>
/// </summary>
public sealed class CompositeScoreTests
{
    private static readonly CompositeInputs A = new(0.9, 4.6, 0.8, 0.004, 1.0);
    private static readonly CompositeInputs B = new(0.6, 3.4, 0.2, 0.002, 0.95);
    private static readonly CompositeInputs C = new(0.7, 3.8, 0.5, 0.0005, 0.9);

    [Fact]
    public void Default_weights_on_the_trade_off()
    {
        var scores = CompositeScore.Of([A, B, C], new CompositeWeights());

        // A: 100 × (0.5 × 0.9 + 0.2 × 0.25 + 0.15 × 0.125 + 0.15 × 1)    = 100 × (0.45 + 0.05 + 0.01875 + 0.15)   = 66.875
        // B: 100 × (0.5 × 0.6 + 0.2 × 1    + 0.15 × 0.25  + 0.15 × 0.95) = 100 × (0.30 + 0.20 + 0.0375 + 0.1425)  = 68.0
        // C: 100 × (0.5 × 0.7 + 0.2 × 0.4  + 0.15 × 1     + 0.15 × 0.9)  = 100 × (0.35 + 0.08 + 0.15 + 0.135)    = 71.5
        Assert.Equal(66.875, scores[0].Value, 9);
        Assert.Equal(68.0, scores[1].Value, 9);
        Assert.Equal(71.5, scores[2].Value, 9);
        Assert.Equal([0.9, 0.6, 0.7], scores.Select(s => Math.Round(s.Quality!.Value, 9)));
        Assert.Equal([0.25, 1, 0.4], scores.Select(s => Math.Round(s.Latency!.Value, 9)));
        Assert.Equal([0.125, 0.25, 1], scores.Select(s => Math.Round(s.Cost!.Value, 9)));
        Assert.Equal([1, 0.95, 0.9], scores.Select(s => s.Reliability));
    }

    [Fact]
    public void The_weights_decide_who_wins_the_trade_off()
    {
        // Quality-heavy: A 100 × (0.72 + 0.025 + 0.00625 + 0.05) = 80.125; B 100 × (0.48 + 0.1 + 0.0125 + 0.0475) = 64; C 100 × (0.56 + 0.04 + 0.05 + 0.045) = 69.5
        var quality = CompositeScore.Of([A, B, C], new CompositeWeights(Quality: 0.8, Latency: 0.1, Cost: 0.05, Reliability: 0.05));
        Assert.Equal([80.125, 64.0, 69.5], quality.Select(s => Math.Round(s.Value, 9)));

        // Latency-heavy: A 100 × (0.18 + 0.15 + 0.0125 + 0.1) = 44.25; B 100 × (0.12 + 0.6 + 0.025 + 0.095) = 84; C 100 × (0.14 + 0.24 + 0.1 + 0.09) = 57
        var latency = CompositeScore.Of([A, B, C], new CompositeWeights(Quality: 0.2, Latency: 0.6, Cost: 0.1, Reliability: 0.1));
        Assert.Equal([44.25, 84.0, 57.0], latency.Select(s => Math.Round(s.Value, 9)));
    }

    [Fact]
    public void Weights_count_by_their_share_of_the_total()
    {
        // Quality 2, latency 1, cost 1, reliability 0 (of 4): A = 100 × (2 × 0.9 + 0.25 + 0.125) / 4 = 54.375
        var weights = CompositeWeights.From([new("quality", 2), new("Latency", 1), new("COST", 1), new("Reliability", 0)]);
        Assert.Equal(54.375, CompositeScore.Of([A, B, C], weights)[0].Value, 9);
        Assert.Equal("quality 50%, latency 25%, cost 25%, reliability 0%", weights.Describe());
        Assert.Equal("quality 50%, latency 20%, cost 15%, reliability 15%", new CompositeWeights().Describe());
    }

    [Fact]
    public void Without_a_jury_quality_drops_out_and_the_other_weights_are_rescaled()
    {
        var scores = CompositeScore.Of([A with { PassRate = null, MeanScore = null }, B with { PassRate = null, MeanScore = null }], new CompositeWeights());

        // Of 0.5 (latency 0.2, cost 0.15, reliability 0.15), cheapest paid is now B's 0.002:
        // A = 100 × (0.2 × 0.25 + 0.15 × 0.5 + 0.15 × 1) / 0.5 = 100 × 0.275 / 0.5 = 55;  B = 100 × (0.2 + 0.15 + 0.1425) / 0.5 = 98.5
        Assert.Equal(55, scores[0].Value, 9);
        Assert.Equal(98.5, scores[1].Value, 9);
        Assert.Equal("latency 40%, cost 30%, reliability 30%", new CompositeWeights().Describe(quality: false));
    }

    [Fact]
    public void A_free_model_scores_full_marks_on_cost_and_paid_models_are_measured_against_the_cheapest_paid_one()
    {
        var scores = CompositeScore.Of([A with { CostPerResponse = 0 }, B, C], new CompositeWeights());
        Assert.Equal([1, 0.25, 1], scores.Select(s => Math.Round(s.Cost!.Value, 9)));
    }

    [Theory]
    [InlineData("Speed", 1, "'Speed' is not a component of the composite score: use Quality, Latency, Cost, Reliability")]
    [InlineData("Quality", -1, "weights are numbers of 0 or more")]
    [InlineData("Cost", double.NaN, "weights are numbers of 0 or more")]
    public void Bad_weights_say_what_is_allowed(string name, double value, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => CompositeWeights.From([new(name, value)]));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => CompositeWeights.From([new("Quality", 0), new("Latency", 0), new("Cost", 0), new("Reliability", 0)]));
    }
}
