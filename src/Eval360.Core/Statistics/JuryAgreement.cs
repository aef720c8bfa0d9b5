namespace Eval360.Statistics;

/// <summary>
/// How far the judges agreed, read from the <see cref="ScoreTable"/>: over answers with two or more usable verdicts,
/// how often every judge gave the same pass/fail, and the mean gap between the most and the least generous judge's
/// mean score on an answer. Krippendorff's α, Fleiss' κ and the rest sit beside it, reading the same table.
/// </summary>
public sealed record JuryAgreement(int Items, int Unanimous, double? MeanSpread)
{
    /// <summary>Share of <see cref="Items"/> on which the judges were unanimous; null without such answers.</summary>
    public double? UnanimousShare => Items > 0 ? Unanimous / (double)Items : null;

    public static JuryAgreement Of(ScoreTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        int items = 0, unanimous = 0;
        var spread = new ExactSum();
        for (int i = 0; i < table.Count; i++)
        {
            var row = table[i];
            int usable = 0, passes = 0;
            double lowest = double.MaxValue, highest = double.MinValue;
            for (int judge = 0; judge < row.JudgeCount; judge++)
            {
                if (row.JudgePassed(judge) is not bool passed || JudgeMean(row, judge) is not double mean)
                {
                    continue;
                }

                usable++;
                passes += passed ? 1 : 0;
                lowest = Math.Min(lowest, mean);
                highest = Math.Max(highest, mean);
            }

            if (usable >= 2)
            {
                items++;
                unanimous += passes == 0 || passes == usable ? 1 : 0;
                spread.Add(highest - lowest);
            }
        }

        return new JuryAgreement(items, unanimous, items > 0 ? spread.Value / items : null);
    }

    /// <summary>A judge's mean score on one answer across the dimensions it scored; null when it scored none.</summary>
    public static double? JudgeMean(ScoreRow row, int judge)
    {
        // Scores are kept in tenths: summed as whole tenths, the mean is the same whatever order the columns are in.
        long tenths = 0;
        int count = 0;
        for (int dimension = 0; dimension < row.DimensionCount; dimension++)
        {
            if (row.Score(judge, dimension) is double score)
            {
                tenths += (long)Math.Round(score * 10);
                count++;
            }
        }

        return count > 0 ? tenths / (10.0 * count) : null;
    }
}
