using System.Text;
using System.Text.Json;
using Eval360.Configuration;
using Eval360.Providers;

namespace Eval360.Tests.Configuration;

/// <summary>
/// Every malformed file in <c>tests/corpus/bad-inputs/</c> (indexed by its <c>cases.json</c>, written by
/// <c>tests/corpus/generate-bad-inputs.py</c>) yields an error naming the file, the line and the field.
/// </summary>
public sealed class BadInputCorpusTests
{
    private const string GoodScenario = """{"text_prompt": "What is 2+2?", "expected_output_tokens": 50, "task": {"task_type": "QA", "task_criteria": "Correct"}, "golden_answer": "4"}""";

    private static readonly string CorpusRoot = Repository.PathOf(Path.Combine("tests", "corpus", "bad-inputs"));

    private static readonly string[] Roles = ["InputFile", "ModelProfile", "JudgeProfile"];

    /// <summary>Files in the corpus that are not cases: the index, and the images and folders scenarios point at.</summary>
    private static readonly string[] FixtureExtensions = [".png", ".jpg", ".txt", ".md"];

    public static TheoryData<string, string, string, int, string, string> Cases()
    {
        var data = new TheoryData<string, string, string, int, string, string>();
        foreach (var c in ReadCases())
        {
            data.Add(c.File, c.Role, c.Kind, c.Line, c.Field, c.Message);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_bad_file_yields_an_error_naming_file_line_and_field(string file, string role, string kind, int line, string field, string message)
    {
        Assert.Contains(role, Roles);
        var path = Path.GetFullPath(Path.Combine(CorpusRoot, file));
        Assert.True(File.Exists(path), $"{path} is listed in cases.json but does not exist");

        IReadOnlyList<ConfigFinding> findings = ConfigLoader.Validate(path, ProviderSet.Catalog, Enum.Parse<ConfigKind>(kind));

        var all = string.Join(Environment.NewLine, findings.Select(f => $"  {f.Severity} line {f.Line} field '{f.Field}': {f}"));
        var match = findings.FirstOrDefault(f => f.Severity == ConfigSeverity.Error && f.Line == line && f.Field == field && f.Message.Contains(message, StringComparison.Ordinal));
        Assert.True(match is not null, $"expected an error on line {line}, field '{field}', containing \"{message}\"; got:{Environment.NewLine}{all}");
        Assert.Equal(path, match.Path);
        var location = line > 0 ? $"{path}:{line}: " : $"{path}: ";
        Assert.StartsWith(location + (field.Length > 0 ? field + ": " : string.Empty), match.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(findings, f => f.Message.Contains("   at ", StringComparison.Ordinal) || f.Message.Contains("Exception", StringComparison.Ordinal));
        // The parser's own position ("LineNumber: 0 | BytePositionInLine: …") would contradict the line we report.
        Assert.DoesNotContain("LineNumber:", match.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_corpus_has_at_least_45_cases_and_lists_every_file()
    {
        var cases = ReadCases();
        Assert.True(cases.Count >= 45, $"the corpus has {cases.Count} cases");
        Assert.Equal(cases.Count, cases.Select(c => c.File).Distinct(StringComparer.Ordinal).Count());

        var listed = cases.Select(c => c.File).ToHashSet(StringComparer.Ordinal);
        var unlisted = Directory.EnumerateFiles(CorpusRoot, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(CorpusRoot, f).Replace('\\', '/'))
            .Where(f => f != "cases.json" && !FixtureExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .Where(f => !listed.Contains(f))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(unlisted.Count == 0, "not in cases.json: " + string.Join(", ", unlisted));

        foreach (var c in cases)
        {
            Assert.Contains(c.Kind, new[] { "Scenario", "Model", "Judge" });
            Assert.True(c.Line >= 0, $"{c.File}: line {c.Line}");
            Assert.False(string.IsNullOrEmpty(c.Message), $"{c.File}: no message");
        }
    }

    [Fact]
    public void The_corpus_covers_every_role_and_kind()
    {
        var cases = ReadCases();
        foreach (var (role, kind) in new[] { ("InputFile", "Scenario"), ("ModelProfile", "Model"), ("JudgeProfile", "Judge") })
        {
            Assert.Contains(cases, c => c.Role == role && c.Kind == kind);
        }

        Assert.Contains(cases, c => c.File.EndsWith(".csv", StringComparison.Ordinal));
    }

    [Fact]
    public void A_50_MB_line_is_an_error_on_its_line_without_buffering_the_whole_line()
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "fifty-megabyte-line.jsonl");
        long size = WriteFiftyMegabyteLine(path);
        Assert.True(size > 50L * 1000 * 1000);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var findings = ConfigLoader.Validate(path, ProviderSet.Catalog, ConfigKind.Scenario);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        var error = Assert.Single(findings, f => f.Severity == ConfigSeverity.Error);
        Assert.Equal(1, error.Line);
        Assert.Equal(string.Empty, error.Field);
        Assert.Contains($"{JsonlReader.MaxLineBytes / (1024 * 1024)} MiB limit", error.Message);
        Assert.StartsWith($"{path}:1: ", error.ToString(), StringComparison.Ordinal);
        // The line after it is still read (no second error), and the reader stops buffering at the limit instead of
        // holding the whole line: far less is allocated than the file's size.
        Assert.True(allocated < size, $"reading a {size:N0}-byte file allocated {allocated:N0} bytes");
    }

    [Fact]
    public void A_50_MB_csv_row_is_an_error_on_its_line_not_an_exception()
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "fifty-megabyte-row.csv");
        using (var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            stream.Write("prompt,golden_answer,task_type,task_criteria\nWhat is 2+2?,4,QA,Correct\n"u8);
            var block = new byte[1 << 20];
            block.AsSpan().Fill((byte)'a');
            for (int i = 0; i < 50; i++)
            {
                stream.Write(block);
            }

            stream.Write(",4,QA,Correct\n"u8);
        }

        var findings = ConfigLoader.Validate(path, ProviderSet.Catalog, ConfigKind.Scenario);

        var error = Assert.Single(findings, f => f.Severity == ConfigSeverity.Error);
        Assert.Equal(3, error.Line);
        Assert.Contains("MiB limit", error.Message);
        Assert.StartsWith($"{path}:3: ", error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>One scenario line of more than 50 MB, then a good line; returns the file's size.</summary>
    internal static long WriteFiftyMegabyteLine(string path)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        stream.Write("{\"text_prompt\": \""u8);
        var block = new byte[1 << 20];
        block.AsSpan().Fill((byte)'a');
        for (int i = 0; i < 50; i++)
        {
            stream.Write(block);
        }

        stream.Write("\", \"task\": {\"task_type\": \"QA\", \"task_criteria\": \"Correct\"}}\n"u8);
        stream.Write(Encoding.UTF8.GetBytes(GoodScenario + "\n"));
        return stream.Length;
    }

    private static List<CorpusCase> ReadCases()
    {
        var json = File.ReadAllText(Path.Combine(CorpusRoot, "cases.json"));
        return JsonSerializer.Deserialize<List<CorpusCase>>(json, new JsonSerializerOptions { PropertyNameCaseInsensitive = true })
            ?? throw new InvalidDataException("cases.json is empty");
    }

    private sealed record CorpusCase(string File, string Role, string Kind, int Line, string Field, string Message);
}
