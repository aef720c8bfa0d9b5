using Eval360.Providers;

namespace Eval360.Tests.Providers;

public sealed class SecretsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Loaded_keys_and_key_shaped_text_are_masked()
    {
        var redactor = new SecretRedactor();
        redactor.Add("my-very-own-secret-value");
        var text = redactor.Redact("a my-very-own-secret-value b sk-proj-ABCDEFGHIJKLMNOPQRSTUV c AKIAABCDEFGHIJKLMNOP d Bearer abcdefghijklmnopqrstuvwxyz e AIzaSyA1234567890abcdefghijklmnopqrstuv");
        Assert.DoesNotContain("my-very-own-secret-value", text);
        Assert.DoesNotContain("ABCDEFGHIJKLMNOPQRSTUV", text);
        Assert.DoesNotContain("AKIAABCDEFGHIJKLMNOP", text);
        Assert.DoesNotContain("abcdefghijklmnopqrstuvwxyz", text);
        Assert.DoesNotContain("1234567890abcdefghij", text);
        Assert.Contains("sk-proj-***", text);
    }

    [Fact]
    public void Dot_env_fills_in_without_overriding_the_environment()
    {
        _temp.File(".env", "# keys\nOPENAI_API='from-dotenv-openai'\nexport GOOGLE_API=\"from-dotenv-google\"\nAZURE_API_KEY=from-dotenv-azure # comment\n");
        var environment = new Dictionary<string, string> { ["GOOGLE_API"] = "from-environment" };
        var credentials = new Credentials(_temp.Path, new SecretRedactor(), name => environment.GetValueOrDefault(name));
        Assert.Equal("from-dotenv-openai", credentials.Get("OPENAI_API"));
        Assert.Equal("from-environment", credentials.Get("GOOGLE_API"));
        Assert.Equal("from-dotenv-azure", credentials.Get("AZURE_API_KEY"));
        Assert.Equal("***", credentials.Redactor.Redact("from-dotenv-openai"));
    }

    [Fact]
    public void Third_party_endpoints_never_get_the_openai_key_unless_named()
    {
        var environment = new Dictionary<string, string> { ["OPENAI_API_KEY"] = "sk-real-openai-key-123456", ["LOCAL_KEY"] = "local-key-123" };
        var credentials = new Credentials(null, new SecretRedactor(), name => environment.GetValueOrDefault(name));
        var compatible = Execution.PlanTests.NewModel("openai-compatible/llama") with { Endpoint = new Uri("http://localhost:8000/v1") };
        Assert.Null(credentials.KeyFor(compatible));
        Assert.Equal("local-key-123", credentials.KeyFor(compatible with { ApiKeyEnv = "LOCAL_KEY" }));
        Assert.Equal("sk-real-openai-key-123456", credentials.KeyFor(Execution.PlanTests.NewModel("openai/gpt-4o")));
    }
}
