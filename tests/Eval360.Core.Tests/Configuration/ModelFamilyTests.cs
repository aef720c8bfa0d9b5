using Eval360.Configuration;

namespace Eval360.Tests.Configuration;

public sealed class ModelFamilyTests
{
    [Theory]
    [InlineData("bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0", "Anthropic Claude")]
    [InlineData("bedrock/us.anthropic.claude-haiku-4-5-20251001-v1:0", "Anthropic Claude")]
    [InlineData("bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0_priority", "Anthropic Claude")]
    [InlineData("anthropic/claude-sonnet-4-5", "Anthropic Claude")]
    [InlineData("openai-compatible/claude-judge", "Anthropic Claude")]
    [InlineData("openai/gpt-4o-mini", "OpenAI GPT")]
    [InlineData("openai/o3-mini", "OpenAI GPT")]
    [InlineData("openai/ft:my-tuned-model", "OpenAI GPT")]
    [InlineData("azure/gpt-4o-prod", "OpenAI GPT")]
    [InlineData("azure/prod-deployment", "OpenAI GPT")]
    [InlineData("bedrock/openai.gpt-oss-120b-1:0", "OpenAI GPT")]
    [InlineData("gemini/gemini-2.0-flash", "Google Gemini")]
    [InlineData("ollama/gemma2:9b", "Google Gemini")]
    [InlineData("bedrock/us.amazon.nova-pro-v1:0", "Amazon Nova")]
    [InlineData("bedrock/amazon.titan-text-premier-v1:0", "Amazon Nova")]
    [InlineData("bedrock/us.meta.llama3-3-70b-instruct-v1:0", "Meta Llama")]
    [InlineData("ollama/llama3.2", "Meta Llama")]
    [InlineData("openai-compatible/meta-llama/Llama-3.1-8B-Instruct", "Meta Llama")]
    [InlineData("bedrock/mistral.mistral-large-2407-v1:0", "Mistral")]
    [InlineData("openai-compatible/mistralai/Mixtral-8x7B-Instruct-v0.1", "Mistral")]
    [InlineData("bedrock/us.deepseek.r1-v1:0", "DeepSeek")]
    [InlineData("openai-compatible/Qwen/Qwen2.5-7B-Instruct", "Qwen")]
    [InlineData("bedrock/cohere.command-r-plus-v1:0", "Cohere Command")]
    [InlineData("bedrock/ai21.jamba-1-5-large-v1:0", "AI21 Jamba")]
    public void A_model_id_names_its_family(string modelId, string family) => Assert.Equal(family, ModelFamily.Of(modelId));

    [Theory]
    [InlineData("sim/balanced-pro")]
    [InlineData("ollama/novax")]
    [InlineData("openai-compatible/my-own-model")]
    [InlineData("bedrock/us.twelvelabs.pegasus-1-2-v1:0")]
    public void An_unknown_family_is_null_so_no_self_preference_is_assumed(string modelId) => Assert.Null(ModelFamily.Of(modelId));

    [Fact]
    public void Same_needs_a_known_family_on_both_sides()
    {
        Assert.True(ModelFamily.Same("bedrock/us.anthropic.claude-haiku-4-5-20251001-v1:0", "anthropic/claude-opus-4-1"));
        Assert.False(ModelFamily.Same("openai/gpt-4o", "anthropic/claude-opus-4-1"));
        Assert.False(ModelFamily.Same("sim/a", "sim/a"));
    }
}
