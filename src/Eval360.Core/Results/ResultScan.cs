namespace Eval360.Results;

/// <summary>What reading results found besides them, known once they have all been read.</summary>
public sealed class ResultScan
{
    /// <summary>Lines that could not be read and were skipped: a torn last line after a crash, say.</summary>
    public int Unreadable { get; set; }
}
