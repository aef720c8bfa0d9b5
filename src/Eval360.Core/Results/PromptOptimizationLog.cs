using System.Text.Json;

namespace Eval360.Results;

/// <summary>The values of <see cref="PromptOptimizationEntry.Status"/> in <c>prompt_optimization_log.json</c>.</summary>
public static class PromptOptimizationStatus
{
    /// <summary>The prompt was rewritten for the model; its optimized variant runs.</summary>
    public const string Optimized = "optimized";

    /// <summary>The model's provider has no prompt optimization (only Bedrock's does): the original prompt only.</summary>
    public const string Skipped = "skipped";

    /// <summary>The optimization call failed (the reason says why): the original prompt only.</summary>
    public const string Failed = "failed";
}

/// <summary>What prompt optimization did for one scenario and one target model.</summary>
public sealed record PromptOptimizationEntry
{
    /// <summary>The scenario's id in the run (<see cref="InvocationResult.ScenarioId"/>).</summary>
    public required string ScenarioId { get; init; }

    /// <summary>The target model's <c>model_id</c> (one entry per model, whatever its tiers).</summary>
    public required string ModelId { get; init; }

    /// <summary>The region the optimization was asked in.</summary>
    public string? Region { get; init; }

    /// <summary><c>optimized</c>, <c>skipped</c> or <c>failed</c> (<see cref="PromptOptimizationStatus"/>).</summary>
    public required string Status { get; init; }

    /// <summary>Why it was skipped or failed (<c>validation: HTTP 400 ValidationException: …</c>); null when optimized.</summary>
    public string? Reason { get; init; }

    public required string OriginalPrompt { get; init; }

    public string? OptimizedPrompt { get; init; }

    /// <summary>What the service said about the prompt before rewriting it.</summary>
    public string? Analysis { get; init; }

    public DateTimeOffset At { get; init; }
}

/// <summary>
/// <c>prompt_optimization_log.json</c> in the run directory: every scenario × target model of a run with prompt
/// optimization, as optimized, skipped or failed with the reason. Rewritten atomically as each entry is decided, so a
/// run killed in the middle keeps every optimization that finished, and a resume reuses them instead of asking again.
/// </summary>
internal sealed class PromptOptimizationLog
{
    public const string FileName = "prompt_optimization_log.json";

    private readonly object _gate = new();
    private readonly string _path;
    private readonly PromptOptimizationMode _mode;
    private readonly List<PromptOptimizationEntry> _entries;

    private PromptOptimizationLog(string path, PromptOptimizationMode mode, List<PromptOptimizationEntry> entries) =>
        (_path, _mode, _entries) = (path, mode, entries);

    /// <summary>The run's log: what an earlier session of the run decided, or nothing yet.</summary>
    /// <exception cref="ConfigurationException">The file exists but cannot be read.</exception>
    public static PromptOptimizationLog Open(string runDirectory, PromptOptimizationMode mode)
    {
        var path = Path.Combine(runDirectory, FileName);
        return new PromptOptimizationLog(path, mode, Read(path) ?? []);
    }

    /// <summary>The entries of a run directory's log; null when it has none.</summary>
    /// <exception cref="ConfigurationException">The file exists but cannot be read.</exception>
    public static List<PromptOptimizationEntry>? Read(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<LogFile>(stream, ResultJson.Indented)?.Entries ?? [];
        }
        catch (JsonException e)
        {
            throw new ConfigurationException(path, string.Empty, $"cannot be read, so the optimized prompts cannot be reused: {e.Message}; delete it to optimize again");
        }
    }

    public IReadOnlyList<PromptOptimizationEntry> Entries
    {
        get
        {
            lock (_gate)
            {
                return [.. _entries];
            }
        }
    }

    /// <summary>Adds an entry (replacing one for the same scenario and model) and rewrites the file.</summary>
    public void Add(PromptOptimizationEntry entry)
    {
        lock (_gate)
        {
            _entries.RemoveAll(e => e.ScenarioId == entry.ScenarioId && e.ModelId == entry.ModelId);
            _entries.Add(entry);
            Save();
        }
    }

    /// <summary>Writes the file as it stands (so a run with nothing to optimize still says so).</summary>
    public void Save()
    {
        lock (_gate)
        {
            ResultJson.WriteAtomically(_path, new LogFile(
                _mode,
                _entries.Count(e => e.Status == PromptOptimizationStatus.Optimized),
                _entries.Count(e => e.Status == PromptOptimizationStatus.Skipped),
                _entries.Count(e => e.Status == PromptOptimizationStatus.Failed),
                _entries));
        }
    }

    private sealed record LogFile(PromptOptimizationMode Mode, int Optimized, int Skipped, int Failed, List<PromptOptimizationEntry> Entries);
}
