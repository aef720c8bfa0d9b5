using Eval360.Jury;

namespace Eval360.Tests.Reporting;

/// <summary>Deterministic made-up results for report tests, generated lazily so 100,000 of them take no memory.</summary>
internal sealed record SyntheticResults
{
    public string[] Models { get; init; } = ["openai/fast-mini", "openai/big-pro", "bedrock/claude-x"];

    public string?[] Regions { get; init; } = ["us-east-1"];

    public string[] Judges { get; init; } = ["openai/judge-a", "openai/judge-b", "openai/judge-c"];

    public string[] TaskTypes { get; init; } = ["QA", "Summarization"];

    public double[] Temperatures { get; init; } = [0.7];

    public string[] UserMetrics { get; init; } = [];

    public bool LatencyOnly { get; init; }

    /// <summary>Every how-many-th invocation fails (0: none).</summary>
    public int FailEvery { get; init; } = 17;

    public bool AllFail { get; init; }

    public bool Simulated { get; init; }

    public string Prompt { get; init; } = "What is the capital of France?";

    public string Response { get; init; } = "Paris.";

    public string? ErrorMessage { get; init; }

    public IEnumerable<InvocationResult> Generate(int count)
    {
        var start = new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
        for (int i = 0; i < count; i++)
        {
            int m = i % Models.Length;
            var region = Regions[(i / Models.Length) % Regions.Length];
            double temperature = Temperatures[(i / (Models.Length * Regions.Length)) % Temperatures.Length];
            // Spread the latency deterministically: each model slower than the last, with a long tail.
            double jitter = ((i * 7919) % 1000) / 1000.0;
            double ttft = 0.1 * (m + 1) + 0.2 * jitter * jitter + (i % 97 == 0 ? 1.5 : 0);
            double ttlb = ttft + 0.5 + jitter;
            long output = 100 + (i % 50);
            var r = new InvocationResult
            {
                RunId = "run" + (i % 2),
                ExperimentName = "synthetic",
                Experiment = 1,
                ScenarioId = "s" + (i % 10),
                Invocation = i,
                TaskType = TaskTypes[(i / 3) % TaskTypes.Length],
                TaskCriteria = "Be right",
                Prompt = Prompt,
                GoldenAnswer = "Paris",
                ModelId = Models[m],
                Provider = Models[m].Split('/')[0],
                Region = region,
                Temperature = temperature,
                EvalType = LatencyOnly ? "latency" : "360",
                StartedAt = start.AddSeconds(i),
                Retries = i % 23 == 0 ? 2 : 0,
                ProviderThrottles = i % 29 == 0 ? 1 : 0,
                Throttled = i % 5 == 0,
                ThrottleWaitSeconds = i % 5 == 0 ? 0.25 : 0,
                TargetRpm = m == 0 ? 60 : null,
                ActualRpm = m == 0 ? 58.5 : null,
                Simulated = Simulated,
                Key = "k" + i,
            };
            if (AllFail || (FailEvery > 0 && i % FailEvery == FailEvery - 1))
            {
                r.Status = "Failed";
                r.ErrorCode = i % 2 == 0 ? "throttled" : "server";
                r.ErrorMessage = ErrorMessage ?? "HTTP 500 from the provider";
                yield return r;
                continue;
            }

            r.TimeToFirstToken = Math.Round(ttft, 6);
            r.TimeToLastByte = Math.Round(ttlb, 6);
            r.InterTokenLatency = Math.Round((ttlb - ttft) / (output - 1), 6);
            r.OutputTokensPerSecond = Math.Round(output / ttlb, 3);
            r.InputTokens = 40;
            r.OutputTokens = output;
            r.Cost = (40 * 0.001 + output * 0.002 * (m + 1)) / 1000;
            r.Response = Response;
            if (!LatencyOnly)
            {
                Judge(r, i, m);
            }

            yield return r;
        }
    }

    private void Judge(InvocationResult r, int i, int m)
    {
        var dimensions = Dimensions.Core.Concat(UserMetrics).ToList();
        var verdicts = new List<JudgeVerdict>();
        for (int j = 0; j < Judges.Length; j++)
        {
            if (i % 31 == 0 && j == 0)
            {
                verdicts.Add(new JudgeVerdict { JudgeModelId = Judges[j], Error = "judge_unparseable: no JSON in the answer", Cost = 0.0001 });
                continue;
            }

            double baseScore = 2.5 + m * 0.8 + (((i + j) * 31) % 10) / 10.0 - j * 0.2;
            var scores = dimensions.ToDictionary(d => d, d => Math.Clamp(Math.Round(baseScore + (d.Length % 3) * 0.3), 1, 5), StringComparer.OrdinalIgnoreCase);
            verdicts.Add(new JudgeVerdict
            {
                JudgeModelId = Judges[j],
                Scores = scores,
                Passed = scores.Values.All(s => s >= 3),
                Explanation = $"Judge {j} thinks: {Response}",
                InputTokens = 300,
                OutputTokens = 80,
                Cost = 0.0004,
                Latency = 0.8 + j * 0.1,
            });
        }

        var usable = verdicts.Where(v => v.Error is null).ToList();
        r.Judges = verdicts;
        r.JuryCost = verdicts.Sum(v => v.Cost);
        if (usable.Count == 0)
        {
            r.ErrorCode = "jury_unavailable";
            return;
        }

        r.Scores = dimensions.ToDictionary(d => d, d => usable.Average(v => v.Scores[d]), StringComparer.OrdinalIgnoreCase);
        r.Passed = r.Scores.Values.All(s => s >= 3);
    }
}
