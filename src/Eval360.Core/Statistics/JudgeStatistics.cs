namespace Eval360.Statistics;

/// <summary>What one judge did across a set of results: verdicts given, how it scored, how often it failed, how often it agreed.</summary>
public sealed class JudgeStatistics(string judgeModelId)
{
    private readonly Dictionary<string, int> _failures = new(StringComparer.Ordinal);
    private readonly ExactSum _cost = new();
    private readonly ExactSum _scoreSum = new();
    private readonly ExactSum _latencySum = new();
    private int _scoreCount;
    private int _latencyCount;

    public string JudgeModelId { get; } = judgeModelId;

    public int Verdicts { get; private set; }

    public int Usable { get; private set; }

    public int PassesGiven { get; private set; }

    /// <summary>Verdicts whose pass/fail matched the jury's decision, out of <see cref="Comparable"/>.</summary>
    public int AgreedWithJury { get; private set; }

    public int Comparable { get; private set; }

    public int Retries { get; private set; }

    public double Cost => _cost.Value;

    public long InputTokens { get; private set; }

    public long OutputTokens { get; private set; }

    /// <summary>Failed verdicts by the error's code (the part before its first colon).</summary>
    public IReadOnlyDictionary<string, int> Failures => _failures;

    public int Failed => Verdicts - Usable;

    /// <summary>The mean of every score it gave, over dimensions and answers; failed verdicts are left out.</summary>
    public double? MeanScore => _scoreCount > 0 ? _scoreSum.Value / _scoreCount : null;

    public double? PassRate => Usable > 0 ? PassesGiven / (double)Usable : null;

    public double? Agreement => Comparable > 0 ? AgreedWithJury / (double)Comparable : null;

    public double? MeanLatency => _latencyCount > 0 ? _latencySum.Value / _latencyCount : null;

    public void Add(JudgeVerdict verdict, bool? juryDecision)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        Verdicts++;
        Retries += verdict.Retries;
        _cost.Add(verdict.Cost);
        InputTokens += verdict.InputTokens;
        OutputTokens += verdict.OutputTokens;
        if (verdict.Latency is double latency)
        {
            _latencySum.Add(latency);
            _latencyCount++;
        }

        if (verdict.Error is not null || verdict.Passed is not bool passed)
        {
            var code = ErrorCode(verdict.Error);
            _failures[code] = _failures.GetValueOrDefault(code) + 1;
            return;
        }

        Usable++;
        PassesGiven += passed ? 1 : 0;
        foreach (var score in verdict.Scores.Values)
        {
            _scoreSum.Add(score);
            _scoreCount++;
        }

        if (juryDecision is bool decision)
        {
            Comparable++;
            AgreedWithJury += decision == passed ? 1 : 0;
        }
    }

    private static string ErrorCode(string? error)
    {
        if (string.IsNullOrWhiteSpace(error))
        {
            return "no_verdict";
        }

        int colon = error.IndexOf(':', StringComparison.Ordinal);
        var code = (colon > 0 ? error[..colon] : error).Trim();
        return code.Length > 40 ? code[..40] : code;
    }
}
