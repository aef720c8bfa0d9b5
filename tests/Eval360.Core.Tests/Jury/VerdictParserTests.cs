using Eval360.Jury;

namespace Eval360.Tests.Jury;

public sealed class VerdictParserTests
{
    private static readonly string[] Metrics = [.. Dimensions.Core, "brand voice"];

    private static string AllScores(int score) =>
        "{" + string.Join(", ", Metrics.Select(m => $"\"{m}\": {score}")) + "}";

    [Fact]
    public void Reads_the_structured_reply()
    {
        var reply = $$"""{"scores": {{AllScores(4)}}, "explanation": "Good."}""";
        Assert.True(VerdictParser.TryParse(reply, Metrics, out var verdict, out _));
        Assert.All(Metrics, m => Assert.Equal(4, verdict!.Scores[m]));
        Assert.Equal("Good.", verdict!.Explanation);
    }

    [Fact]
    public void Finds_json_in_prose_and_code_fences_with_trailing_commas()
    {
        var reply = "Sure! Here is my evaluation:\n```json\n{\"scores\": {\"correctness\": 5, \"COMPLETENESS\": 4, \"relevance\": \"3\", \"format\": \"4/5\", \"coherence\": {\"score\": 5, \"rationale\": \"x\"}, \"following_instructions\": 2, \"Brand-Voice\": 3,},}\n```\nHope this helps.";
        Assert.True(VerdictParser.TryParse(reply, Metrics, out var verdict, out var problem), problem);
        Assert.Equal(5, verdict!.Scores["Correctness"]);
        Assert.Equal(3, verdict.Scores["Relevance"]);
        Assert.Equal(4, verdict.Scores["Format"]);
        Assert.Equal(5, verdict.Scores["Coherence"]);
        Assert.Equal(2, verdict.Scores["Following-instructions"]);
        Assert.Equal(3, verdict.Scores["brand voice"]);
    }

    [Fact]
    public void Skips_a_decoy_object_before_the_verdict()
    {
        var reply = $$"""The prompt asked for {"name": "x"}. Verdict: {"scores": {{AllScores(3)}}}""";
        Assert.True(VerdictParser.TryParse(reply, Metrics, out var verdict, out _));
        Assert.Equal(3, verdict!.Scores["Correctness"]);
    }

    [Theory]
    [InlineData("I think it is good.", "no JSON object")]
    [InlineData("""{"scores": {"Correctness": 4}}""", "no score for Completeness")]
    [InlineData("""{"scores": {"Correctness": 7, "Completeness": 4, "Relevance": 4, "Format": 4, "Coherence": 4, "Following-instructions": 4, "brand voice": 4}}""", "outside 1–5")]
    [InlineData("""{"scores": {"Correctness": "good", "Completeness": 4, "Relevance": 4, "Format": 4, "Coherence": 4, "Following-instructions": 4, "brand voice": 4}}""", "not a number")]
    [InlineData("""{"scores": {"Correctness": 0, "Completeness": 4, "Relevance": 4, "Format": 4, "Coherence": 4, "Following-instructions": 4, "brand voice": 4}}""", "outside 1–5")]
    public void Never_invents_a_score(string reply, string problem)
    {
        Assert.False(VerdictParser.TryParse(reply, Metrics, out var verdict, out var message));
        Assert.Null(verdict);
        Assert.Contains(problem, message);
    }
}
