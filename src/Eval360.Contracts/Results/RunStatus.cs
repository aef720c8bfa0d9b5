namespace Eval360;

/// <summary>Where a run stands. <c>run.json</c> writes it in snake case (<c>budget_exhausted</c>).</summary>
public enum RunStatus
{
    /// <summary>In flight: its process keeps <c>run.json</c> current.</summary>
    Running,

    /// <summary>Every planned invocation ran.</summary>
    Completed,

    /// <summary>Stopped by the user (Ctrl+C); resumable.</summary>
    Cancelled,

    /// <summary>-MaxCost stopped scheduling before the plan was done; resumable with a higher -MaxCost.</summary>
    BudgetExhausted,

    /// <summary>The run could not go on (no model or judge was accessible).</summary>
    Failed,

    /// <summary>
    /// Never written: the catalogue's reading of a run whose <c>run.json</c> says running but has not been updated for
    /// longer than a live run allows — its process was killed or the machine went down. Resumable.
    /// </summary>
    Interrupted,
}
