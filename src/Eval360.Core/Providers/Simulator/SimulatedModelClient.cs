using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Eval360.Jury;

namespace Eval360.Providers.Simulator;

/// <summary>
/// The built-in simulator (<c>sim/…</c>): deterministic models and judges for the quick start and dry runs, with no key
/// and no network. A candidate answers by keeping a share of the reference answer's words (its "quality") and
/// streams them with real delays; a judge grades by how much of the reference a response covers. The same inputs give
/// the same text, tokens and scores in any process; only the measured times vary, as the machine's scheduling does.
/// Every result it produces is marked simulated. It never stands in for a wire-level test of a real provider.
/// </summary>
internal sealed class SimulatedModelClient : IModelClient
{
    private static readonly string[] Filler =
        ["generally", "various", "aspects", "overall", "typically", "perhaps", "certain", "factors", "approach", "context", "broadly", "notably"];

    private readonly string _name;
    private readonly SimulatedPersona _persona;
    private readonly TimeProvider _time;

    public SimulatedModelClient(string name, TimeProvider? time = null)
    {
        _name = name;
        _persona = SimulatedPersona.For(name);
        _time = time ?? TimeProvider.System;
    }

    public async IAsyncEnumerable<ChatChunk> StreamAsync(ChatRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Seeded from the inputs alone, by a hash that is the same in every process (HashCode is randomised per process):
        // the model, the work item (the hint's seed stands for its inputs; a judge's prompt carries a fresh random fence
        // nonce, so the prompt itself would not do) or else the prompt, and the temperature.
        var inputs = request.Simulation is { } hint ? hint.Seed.ToString(CultureInfo.InvariantCulture) : request.Prompt;
        var random = new Random(StableHash(string.Join('\u001f', _name, inputs, (request.Temperature ?? 0).ToString("R", CultureInfo.InvariantCulture))));
        var words = request.ResponseFormat is not null || request.Prompt.Contains("<<<RESPONSE-", StringComparison.Ordinal)
            ? Judge(request, random)
            : Answer(request, random);

        var firstToken = _persona.FirstToken * (0.8 + 0.4 * random.NextDouble());
        await Task.Delay(firstToken, _time, cancellationToken).ConfigureAwait(false);
        int emitted = 0;
        foreach (var word in words)
        {
            if (emitted >= request.MaxOutputTokens)
            {
                break;
            }

            if (emitted > 0)
            {
                await Task.Delay(_persona.BetweenTokens * (0.7 + 0.6 * random.NextDouble()), _time, cancellationToken).ConfigureAwait(false);
            }

            yield return ChatChunk.Answer(word);
            emitted++;
        }

        yield return ChatChunk.Finish(emitted >= request.MaxOutputTokens && emitted < words.Count ? "length" : "stop");
        long input = ((request.SystemPrompt?.Length ?? 0) + request.Prompt.Length + 3) / 4;
        yield return ChatChunk.Usage(input, emitted);
    }

    /// <summary>A candidate's answer: each reference word survives with the persona's quality, the rest is filler.</summary>
    private List<string> Answer(ChatRequest request, Random random)
    {
        var reference = request.Simulation?.Reference;
        var source = Words(string.IsNullOrWhiteSpace(reference) ? request.Prompt : reference);
        double temperatureNoise = ((request.Temperature ?? 0.7) - 0.7) * 0.15;
        var words = new List<string> { "[simulated] " };
        int length = Math.Max(4, (int)(source.Count * _persona.Verbosity));
        for (int i = 0; i < length; i++)
        {
            var word = source[i % source.Count];
            bool keep = random.NextDouble() < _persona.Quality - temperatureNoise * random.NextDouble();
            words.Add((keep ? word : Filler[random.Next(Filler.Length)]) + " ");
        }

        return words;
    }

    /// <summary>A judge's verdict: the share of the reference's words a response contains, shifted by the persona's leniency.</summary>
    private List<string> Judge(ChatRequest request, Random random)
    {
        var reference = Words(JudgePrompt.Section(request.Prompt, "REFERENCE") ?? string.Empty).Select(w => w.ToLowerInvariant()).Where(w => w.Length > 2).ToHashSet();
        var response = Words(JudgePrompt.Section(request.Prompt, "RESPONSE") ?? string.Empty).Select(w => w.ToLowerInvariant()).ToHashSet();
        double coverage = reference.Count == 0 ? 0.5 : reference.Count(response.Contains) / (double)reference.Count;
        if (_persona.Broken)
        {
            return ["I think ", "this response ", "is quite good ", "overall."];
        }

        var scores = new Dictionary<string, int>();
        foreach (var metric in MetricsOf(request))
        {
            double raw = 1 + 4 * coverage + _persona.Leniency + (random.NextDouble() - 0.5);
            scores[metric] = (int)Math.Clamp(Math.Round(raw), 1, 5);
        }

        var json = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["scores"] = scores,
            ["explanation"] = $"[simulated] The response covers {coverage:P0} of the reference answer's key terms.",
        });
        return Enumerable.Range(0, (json.Length + 15) / 16).Select(i => json.Substring(i * 16, Math.Min(16, json.Length - i * 16))).ToList();
    }

    private static IEnumerable<string> MetricsOf(ChatRequest request)
    {
        if (request.ResponseFormat is not null)
        {
            using var schema = JsonDocument.Parse(request.ResponseFormat.Schema);
            return schema.RootElement.GetProperty("properties").GetProperty("scores").GetProperty("properties")
                .EnumerateObject().Select(p => p.Name).ToList();
        }

        return Dimensions.Core;
    }

    private static List<string> Words(string text) =>
        text.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries).ToList();

    /// <summary>FNV-1a over the text's UTF-16 code units: the same value in every process and on every platform.</summary>
    internal static int StableHash(string text)
    {
        unchecked
        {
            int hash = (int)2166136261;
            foreach (var c in text)
            {
                hash = (hash ^ c) * 16777619;
            }

            return hash;
        }
    }
}

/// <summary>How a simulated model behaves: answer quality, speed, length, and (as a judge) leniency.</summary>
internal sealed record SimulatedPersona(double Quality, TimeSpan FirstToken, TimeSpan BetweenTokens, double Verbosity, double Leniency, bool Broken)
{
    public static SimulatedPersona For(string name)
    {
        var lower = name.ToLowerInvariant();
        return lower switch
        {
            _ when lower.Contains("swift", StringComparison.Ordinal) => new(0.45, Ms(60), Ms(3), 0.9, 0, false),
            _ when lower.Contains("balanced", StringComparison.Ordinal) => new(0.75, Ms(150), Ms(6), 1.1, 0, false),
            _ when lower.Contains("scholar", StringComparison.Ordinal) => new(0.97, Ms(350), Ms(11), 1.3, 0, false),
            _ when lower.Contains("strict", StringComparison.Ordinal) => new(0.8, Ms(120), Ms(4), 1, -0.5, false),
            _ when lower.Contains("lenient", StringComparison.Ordinal) => new(0.8, Ms(90), Ms(3), 1, 0.5, false),
            _ when lower.Contains("broken", StringComparison.Ordinal) => new(0.8, Ms(50), Ms(2), 1, 0, true),
            _ => Derived(lower),
        };
    }

    private static SimulatedPersona Derived(string name)
    {
        var random = new Random(SimulatedModelClient.StableHash(name));
        return new(0.4 + 0.55 * random.NextDouble(), Ms(50 + random.Next(400)), Ms(2 + random.Next(12)), 0.8 + 0.6 * random.NextDouble(), 0, false);
    }

    private static TimeSpan Ms(int milliseconds) => TimeSpan.FromMilliseconds(milliseconds);
}
