namespace Eval360.Reporting;

/// <summary>
/// A model's composite ranking score (0–100) and its components (each 0–1, higher is better):
/// <list type="bullet">
/// <item>quality: the mean of the pass rate and the mean score rescaled from 1–5 to 0–1;</item>
/// <item>latency: the fastest median time to first token among the models divided by this model's;</item>
/// <item>cost: the lowest model cost per successful response divided by this model's (a free model scores 1, and
/// paid models are measured against the cheapest paid one);</item>
/// <item>reliability: the success rate.</item>
/// </list>
/// The composite is 100 × the weighted mean of the components the run has: without a jury the quality weight drops
/// out and the others are rescaled. A model lacking a component the others have (no successful call, so no latency)
/// scores 0 for it.
/// </summary>
internal sealed record CompositeScore(double Value, double? Quality, double? Latency, double? Cost, double Reliability)
{
    public static IReadOnlyDictionary<ModelSummary, CompositeScore> Of(IReadOnlyList<ModelSummary> models, CompositeWeights weights)
    {
        static double? QualityOf(ModelSummary m)
        {
            var parts = new List<double>(2);
            if (m.PassRate is double passRate)
            {
                parts.Add(passRate);
            }

            if (m.OverallScore is double score)
            {
                parts.Add(Math.Clamp((score - 1) / 4, 0, 1));
            }

            return parts.Count > 0 ? parts.Average() : null;
        }

        var fastest = models.Select(m => m.TimeToFirstTokenP50).OfType<double>().Where(v => v > 0).DefaultIfEmpty(0).Min();
        var cheapestPaid = models.Select(ModelCostPerResponse).OfType<double>().Where(v => v > 0).DefaultIfEmpty(0).Min();
        bool anyQuality = models.Any(m => QualityOf(m) is not null);
        bool anyLatency = models.Any(m => m.TimeToFirstTokenP50 is not null);
        bool anyCost = models.Any(m => ModelCostPerResponse(m) is not null);

        var scores = new Dictionary<ModelSummary, CompositeScore>(ReferenceEqualityComparer.Instance);
        foreach (var m in models)
        {
            double? quality = QualityOf(m);
            double? latency = m.TimeToFirstTokenP50 switch
            {
                null => null,
                double p50 when p50 <= 0 || fastest <= 0 => 1,
                double p50 => fastest / p50,
            };
            double? cost = ModelCostPerResponse(m) switch
            {
                null => null,
                double c when c <= 0 || cheapestPaid <= 0 => 1,
                double c => cheapestPaid / c,
            };
            double reliability = m.SuccessRate;

            double sum = 0, weight = 0;
            void Part(bool present, double w, double? value)
            {
                if (present && w > 0)
                {
                    sum += w * (value ?? 0);
                    weight += w;
                }
            }

            Part(anyQuality, weights.Quality, quality);
            Part(anyLatency, weights.Latency, latency);
            Part(anyCost, weights.Cost, cost);
            Part(true, weights.Reliability, reliability);
            scores[m] = new CompositeScore(weight > 0 ? 100 * sum / weight : 0, quality, latency, cost, reliability);
        }

        return scores;
    }

    /// <summary>The model's own cost (not the jury's) per successful response.</summary>
    public static double? ModelCostPerResponse(ModelSummary m) => m.Succeeded > 0 ? m.Cost / m.Succeeded : null;
}
