namespace Eval360.Tests.Statistics;

/// <summary>
/// Results built to have exactly the figures a test states: a pass rate of passed / judged, one score dimension at a
/// fixed mean, times to first token cycled from a list, a fixed cost per successful response, and failures and
/// unjudged answers as asked. Expected figures can then be worked out by hand from those numbers.
/// </summary>
internal sealed record ConstructedResults(string ModelId)
{
    public static readonly DateTimeOffset Start = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public string Region { get; init; } = "us-east-1";

    public int Judged { get; init; }

    public int Passed { get; init; }

    /// <summary>The Correctness score of every judged answer (so the mean score is exactly this).</summary>
    public double Score { get; init; } = 4;

    /// <summary>Succeeded answers with no jury decision.</summary>
    public int Unjudged { get; init; }

    public int Failed { get; init; }

    public double[] TimeToFirstToken { get; init; } = [0.5];

    /// <summary>The model's own cost of each successful response.</summary>
    public double Cost { get; init; } = 0.001;

    public bool Simulated { get; init; }

    public bool LatencyOnly { get; init; }

    public string TaskType { get; init; } = "QA";

    public string RunId { get; init; } = "run1";

    public DateTimeOffset StartedAt { get; init; } = Start;

    public int ProviderThrottles { get; init; }

    /// <summary>Judges whose own verdicts are recorded; each passes an answer when <see cref="JudgeVerdict"/> says so.</summary>
    public string[] Judges { get; init; } = [];

    /// <summary>Judge index, answer index → that judge's pass; by default every judge agrees with the jury.</summary>
    public Func<int, int, bool>? JudgeVerdict { get; init; }

    public IEnumerable<InvocationResult> Generate()
    {
        int total = (LatencyOnly ? 0 : Judged) + Unjudged + Failed;
        for (int i = 0; i < total; i++)
        {
            var r = new InvocationResult
            {
                RunId = RunId,
                ExperimentName = "constructed",
                Experiment = 1,
                ScenarioId = "s" + (i % 10),
                Invocation = i,
                TaskType = TaskType,
                TaskCriteria = "Be right",
                Prompt = "Question " + (i % 10),
                ModelId = ModelId,
                Provider = ModelId.Split('/')[0],
                Region = Region,
                Temperature = 0.7,
                EvalType = LatencyOnly ? "latency" : "360",
                StartedAt = StartedAt.AddSeconds(i),
                Simulated = Simulated,
                ProviderThrottles = i < ProviderThrottles ? 1 : 0,
                Retries = i < ProviderThrottles ? 1 : 0,
                Key = $"{ModelId}|{RunId}|{i}",
            };
            if (i >= total - Failed)
            {
                r.Status = "Failed";
                r.ErrorCode = "server";
                r.ErrorMessage = "HTTP 500";
                yield return r;
                continue;
            }

            double ttft = TimeToFirstToken[i % TimeToFirstToken.Length];
            r.TimeToFirstToken = ttft;
            r.TimeToLastByte = ttft + 1;
            r.OutputTokens = 100;
            r.InputTokens = 20;
            r.OutputTokensPerSecond = 100 / (ttft + 1);
            r.Cost = Cost;
            r.Response = "Answer " + i;
            if (!LatencyOnly && i < Judged)
            {
                bool passed = i < Passed;
                r.Passed = passed;
                r.Scores = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase) { ["Correctness"] = Score };
                r.Judges = Judges.Select((judge, j) =>
                {
                    bool judgePassed = JudgeVerdict?.Invoke(j, i) ?? passed;
                    return new JudgeVerdict
                    {
                        JudgeModelId = judge,
                        Passed = judgePassed,
                        Scores = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase) { ["Correctness"] = judgePassed ? 4 : 2 },
                    };
                }).ToList();
            }

            yield return r;
        }
    }
}
