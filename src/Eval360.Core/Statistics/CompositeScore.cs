using System.Globalization;

namespace Eval360.Statistics;

/// <summary>
/// The weight of each component of the composite ranking score; they need not add up to 1 (each counts by its share of
/// the total). Quality weighs most by default; whatever the weights, a model below the quality floor ranks after every
/// model above it (<see cref="RankingOptions"/>).
/// </summary>
public sealed record CompositeWeights(double Quality = 0.5, double Latency = 0.2, double Cost = 0.15, double Reliability = 0.15)
{
    /// <summary>The components' names, as -Weights takes them.</summary>
    public static readonly IReadOnlyList<string> Components = ["Quality", "Latency", "Cost", "Reliability"];

    /// <summary>
    /// Weights from names and values (-Weights @{ Quality = 0.6; Cost = 0.4 }): a component not named keeps its default.
    /// </summary>
    /// <exception cref="ArgumentException">A name that is no component, or a weight that is negative, not a number, or all weights zero.</exception>
    public static CompositeWeights From(IEnumerable<KeyValuePair<string, double>> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var result = new CompositeWeights();
        foreach (var (name, value) in weights)
        {
            if (!double.IsFinite(value) || value < 0)
            {
                throw new ArgumentException($"The weight of {name} is {value.ToString(CultureInfo.InvariantCulture)}: weights are numbers of 0 or more.");
            }

            result = Components.FirstOrDefault(c => c.Equals(name, StringComparison.OrdinalIgnoreCase)) switch
            {
                "Quality" => result with { Quality = value },
                "Latency" => result with { Latency = value },
                "Cost" => result with { Cost = value },
                "Reliability" => result with { Reliability = value },
                _ => throw new ArgumentException($"'{name}' is not a component of the composite score: use {string.Join(", ", Components)}."),
            };
        }

        if (result.Quality + result.Latency + result.Cost + result.Reliability <= 0)
        {
            throw new ArgumentException("At least one weight must be above 0.");
        }

        return result;
    }

    /// <summary>Each component's share of the weights that count, as printed with a ranking: <c>quality 50%, latency 20%, cost 15%, reliability 15%</c>.</summary>
    /// <param name="quality">Whether quality counts (not without a jury).</param>
    public string Describe(bool quality = true)
    {
        double total = (quality ? Quality : 0) + Latency + Cost + Reliability;
        string Share(double w) => total > 0 ? (w / total * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%" : "0%";
        var parts = new List<string>(4);
        if (quality)
        {
            parts.Add("quality " + Share(Quality));
        }

        parts.Add("latency " + Share(Latency));
        parts.Add("cost " + Share(Cost));
        parts.Add("reliability " + Share(Reliability));
        return string.Join(", ", parts);
    }
}

/// <summary>What the composite score is computed from, for a model, a model in one region, or a region.</summary>
/// <param name="CostPerResponse">The model's own cost (not the jury's) per successful response.</param>
public sealed record CompositeInputs(double? PassRate, double? MeanScore, double? TimeToFirstTokenP50, double? CostPerResponse, double SuccessRate)
{
    public static CompositeInputs Of(ModelSummary m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return new(m.PassRate, m.OverallScore, m.TimeToFirstTokenP50, m.ModelCostPerResponse, m.SuccessRate);
    }
}

/// <summary>
/// A composite ranking score (0–100) and its components (each 0–1, higher is better):
/// <list type="bullet">
/// <item>quality: the mean of the pass rate and the mean score rescaled from 1–5 to 0–1;</item>
/// <item>latency: the fastest median time to first token among those compared divided by this one's;</item>
/// <item>cost: the lowest model cost per successful response divided by this one's (a free model scores 1, and
/// paid models are measured against the cheapest paid one);</item>
/// <item>reliability: the success rate.</item>
/// </list>
/// The composite is 100 × the weighted mean of the components the compared set has: without a jury the quality weight
/// drops out and the others count by their share of the rest. One lacking a component the others have (no successful
/// call, so no latency) scores 0 for it.
/// </summary>
public sealed record CompositeScore(double Value, double? Quality, double? Latency, double? Cost, double Reliability)
{
    /// <summary>The scores of <paramref name="rows"/>, compared with each other, in the same order.</summary>
    public static IReadOnlyList<CompositeScore> Of(IReadOnlyList<CompositeInputs> rows, CompositeWeights weights)
    {
        var scale = CompositeScale.Of(rows, weights);
        return rows.Select(scale.Score).ToList();
    }

    /// <summary>The quality component: the mean of what there is of the pass rate and the rescaled mean score; null with neither.</summary>
    public static double? QualityOf(double? passRate, double? meanScore) => (passRate, meanScore) switch
    {
        (double p, double s) => (p + Math.Clamp((s - 1) / 4, 0, 1)) / 2,
        (double p, null) => p,
        (null, double s) => Math.Clamp((s - 1) / 4, 0, 1),
        _ => null,
    };
}

/// <summary>
/// What a composite score is measured against: the fastest median and the cheapest paid cost among a compared set, and
/// which components the set has. Kept apart from the scores so resampled figures are scored against the same references.
/// </summary>
public sealed class CompositeScale
{
    private readonly CompositeWeights _weights;
    private readonly double _fastest;
    private readonly double _cheapestPaid;
    private readonly bool _quality;
    private readonly bool _latency;
    private readonly bool _cost;

    private CompositeScale(CompositeWeights weights, double fastest, double cheapestPaid, bool quality, bool latency, bool cost)
    {
        _weights = weights;
        _fastest = fastest;
        _cheapestPaid = cheapestPaid;
        _quality = quality;
        _latency = latency;
        _cost = cost;
    }

    /// <summary>Whether quality counts (some of the compared set was judged).</summary>
    public bool HasQuality => _quality;

    public static CompositeScale Of(IReadOnlyList<CompositeInputs> rows, CompositeWeights weights)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(weights);
        return new CompositeScale(
            weights,
            rows.Select(m => m.TimeToFirstTokenP50).OfType<double>().Where(v => v > 0).DefaultIfEmpty(0).Min(),
            rows.Select(m => m.CostPerResponse).OfType<double>().Where(v => v > 0).DefaultIfEmpty(0).Min(),
            rows.Any(m => CompositeScore.QualityOf(m.PassRate, m.MeanScore) is not null),
            rows.Any(m => m.TimeToFirstTokenP50 is not null),
            rows.Any(m => m.CostPerResponse is not null));
    }

    public CompositeScore Score(CompositeInputs m)
    {
        ArgumentNullException.ThrowIfNull(m);
        double? quality = CompositeScore.QualityOf(m.PassRate, m.MeanScore);
        double? latency = m.TimeToFirstTokenP50 switch
        {
            null => null,
            double p50 when p50 <= 0 || _fastest <= 0 => 1,
            double p50 => _fastest / p50,
        };
        double? cost = m.CostPerResponse switch
        {
            null => null,
            double c when c <= 0 || _cheapestPaid <= 0 => 1,
            double c => _cheapestPaid / c,
        };

        double sum = 0, weight = 0;
        void Part(bool present, double w, double? value)
        {
            if (present && w > 0)
            {
                sum += w * (value ?? 0);
                weight += w;
            }
        }

        Part(_quality, _weights.Quality, quality);
        Part(_latency, _weights.Latency, latency);
        Part(_cost, _weights.Cost, cost);
        Part(true, _weights.Reliability, m.SuccessRate);
        return new CompositeScore(weight > 0 ? 100 * sum / weight : 0, quality, latency, cost, m.SuccessRate);
    }
}
