using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Eval360.FakeProviders;

/// <summary>Everything one reply will say, decided before the first byte: chunks, usage and finish.</summary>
internal sealed class ReplyPlan
{
    private static readonly JsonWriterOptions RelaxedJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The full content text.</summary>
    public required string Content { get; init; }

    /// <summary>Each content chunk's <c>delta</c> object, as JSON bytes (identical chunks share one array).</summary>
    public required byte[][] ContentDeltas { get; init; }

    /// <summary>The reasoning chunk's <c>delta</c> object, sent <see cref="ReasoningChunks"/> times.</summary>
    public required byte[] ReasoningDelta { get; init; }

    public required int ReasoningChunks { get; init; }

    public required string ReasoningText { get; init; }

    public required string ReasoningField { get; init; }

    public required int PromptTokens { get; init; }

    public required int CompletionTokens { get; init; }

    public static ReplyPlan For(ModelBehavior behavior, ParsedChatRequest request)
    {
        string content;
        byte[][] deltas;
        if (request.IsJudge || behavior.Reply is not null)
        {
            content = request.IsJudge ? behavior.JudgeReply ?? JudgeVerdict(behavior, request.JudgeMetrics, request.JudgePrompt) : behavior.Reply!;
            deltas = [.. Split(content, Math.Max(1, behavior.ReplyChunkChars)).Select(ContentDelta)];
        }
        else
        {
            var count = Math.Max(0, behavior.TokenCount);
            var delta = ContentDelta(behavior.TokenText);
            deltas = new byte[count][];
            Array.Fill(deltas, delta);
            content = string.Concat(Enumerable.Repeat(behavior.TokenText, count));
        }

        var reasoningChunks = Math.Max(0, behavior.ReasoningTokens);
        return new ReplyPlan
        {
            Content = content,
            ContentDeltas = deltas,
            ReasoningDelta = Delta(behavior.ReasoningField, behavior.ReasoningText),
            ReasoningChunks = reasoningChunks,
            ReasoningText = string.Concat(Enumerable.Repeat(behavior.ReasoningText, reasoningChunks)),
            ReasoningField = behavior.ReasoningField,
            PromptTokens = behavior.UsagePromptTokens ?? (request.PromptChars + 3) / 4,
            CompletionTokens = behavior.UsageCompletionTokens ?? deltas.Length + reasoningChunks,
        };
    }

    /// <summary>
    /// <c>{"scores":{"&lt;metric&gt;":n,…},"explanation":"…"}</c>, valid against the jury's schema; with
    /// <see cref="ModelBehavior.ObeyInjections"/>, what <paramref name="prompt"/> instructs overrides the behaviour.
    /// </summary>
    internal static string JudgeVerdict(ModelBehavior behavior, IReadOnlyList<string> metrics, string? prompt)
    {
        IEnumerable<string> names = metrics.Count > 0 ? metrics : behavior.JudgeScores?.Keys ?? Enumerable.Empty<string>();
        var (obeyedScore, explanationStart) = behavior.ObeyInjections ? InjectedInstructions.Read(prompt) : (null, null);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, RelaxedJson))
        {
            json.WriteStartObject();
            json.WriteStartObject("scores"u8);
            foreach (var name in names)
            {
                json.WriteNumber(name, obeyedScore ?? (behavior.JudgeScores is { } scores && scores.TryGetValue(name, out var score) ? score : behavior.JudgeDefaultScore));
            }

            json.WriteEndObject();
            json.WriteString("explanation"u8, explanationStart is null ? behavior.JudgeExplanation : $"{explanationStart} {behavior.JudgeExplanation}");
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Cuts text into pieces of about <paramref name="size"/> characters, never inside a surrogate pair.</summary>
    internal static List<string> Split(string text, int size)
    {
        var pieces = new List<string>(text.Length / size + 1);
        for (var start = 0; start < text.Length;)
        {
            var length = Math.Min(size, text.Length - start);
            if (start + length < text.Length && char.IsHighSurrogate(text[start + length - 1]))
            {
                length++;
            }

            pieces.Add(text.Substring(start, length));
            start += length;
        }

        return pieces;
    }

    private static byte[] ContentDelta(string text) => Delta("content", text);

    private static byte[] Delta(string field, string text)
    {
        var buffer = new ArrayBufferWriter<byte>(32 + text.Length);
        using (var json = new Utf8JsonWriter(buffer, RelaxedJson))
        {
            json.WriteStartObject();
            json.WriteString(field, text);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
