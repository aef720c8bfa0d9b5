namespace Eval360;

/// <summary>
/// A response's judges, one verdict each. A list to scripts (<c>$r.Judges | Format-Table</c>), and readable as text
/// wherever PowerShell makes one of it — <c>Export-Csv</c>, <c>"$($r.Judges)"</c>: <c>judge-a: pass; judge-b: throttled: …</c>.
/// </summary>
public sealed class JudgeVerdicts : List<JudgeVerdict>
{
    public JudgeVerdicts()
    {
    }

    public JudgeVerdicts(IEnumerable<JudgeVerdict> verdicts)
        : base(verdicts)
    {
    }

    /// <summary>The same verdicts as <see cref="JudgeVerdicts"/> (itself when it already is one); empty for null.</summary>
    public static JudgeVerdicts From(IEnumerable<JudgeVerdict>? verdicts) => verdicts as JudgeVerdicts ?? (verdicts is null ? [] : new JudgeVerdicts(verdicts));

    public override string ToString() => string.Join("; ", this);
}
