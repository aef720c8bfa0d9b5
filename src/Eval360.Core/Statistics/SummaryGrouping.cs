namespace Eval360.Statistics;

/// <summary>What one summary covers (-GroupBy): a model in a region, or that in each run or each experiment, to compare runs.</summary>
public enum SummaryGrouping
{
    /// <summary>One summary per model and region, over every run given.</summary>
    Model,

    /// <summary>One per model, region and run.</summary>
    Run,

    /// <summary>One per model, region and experiment name.</summary>
    Experiment,
}
