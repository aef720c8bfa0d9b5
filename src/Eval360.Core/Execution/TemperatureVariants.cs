namespace Eval360.Execution;

/// <summary>
/// The seed's temperature sweep, fixed: base × (1 ± 0.25k) for k = 0…n, rounded to 3 places, de-duplicated and sorted
/// — but clamped to [0, the provider's maximum] instead of letting negative values through and dropping high ones.
/// </summary>
public static class TemperatureVariants
{
    public static IReadOnlyList<double> Expand(double baseTemperature, int variations, double maxTemperature)
    {
        var set = new SortedSet<double>();
        for (int k = 0; k <= variations; k++)
        {
            foreach (var factor in new[] { 1 + 0.25 * k, 1 - 0.25 * k })
            {
                var value = Math.Round(baseTemperature * factor, 3, MidpointRounding.ToEven);
                set.Add(Math.Clamp(value, 0, maxTemperature));
            }
        }

        return [.. set];
    }
}
