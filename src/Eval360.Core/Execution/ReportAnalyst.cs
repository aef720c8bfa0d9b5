using Eval360.Calls;
using Eval360.Configuration;
using Eval360.Providers;
using Eval360.Reporting;

namespace Eval360.Execution;

/// <summary>
/// Asks a configured model for a prose analysis of a report's figures (-SummaryModel): one call the way every call is
/// made (<see cref="ModelCaller"/>: retries, time limits, stream timing) through the provider its profile names, priced
/// from the profile. The model sees the computed figures (<see cref="ReportBuilder.AnalysisBrief"/>), never the
/// results' prompts or answers. A failure is not an exception: the analysis says why there is none.
/// </summary>
public static class ReportAnalyst
{
    /// <summary>The longest analysis asked for, in tokens.</summary>
    public const int MaxOutputTokens = 800;

    /// <summary>
    /// Finds <paramref name="modelId"/> (or its display name, <c>model_priority</c>) among the profiles of
    /// <paramref name="profileFile"/>, a model profile file or a judge profile file.
    /// </summary>
    /// <exception cref="ConfigurationException">The file has errors.</exception>
    /// <exception cref="ArgumentException">No profile has that model id; the message lists those there are.</exception>
    public static ModelProfile FindProfile(string profileFile, string modelId)
    {
        // Either price spelling is read in either kind of profile file, so a judge file reads as well as a model file.
        var findings = new List<ConfigFinding>();
        var profiles = ProfileFile.Read(profileFile, ProfileRole.Candidate, findings, ProviderSet.Catalog);
        if (findings.Any(f => f.Severity == ConfigSeverity.Error))
        {
            throw new ConfigurationException(findings);
        }

        return profiles.FirstOrDefault(p => string.Equals(p.ModelId, modelId, StringComparison.OrdinalIgnoreCase))
            ?? profiles.FirstOrDefault(p => string.Equals(p.DisplayName, modelId, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"{profileFile} has no profile for '{modelId}'; it has {string.Join(", ", profiles.Select(p => p.DisplayName).Distinct())}.");
    }

    /// <summary>Asks <paramref name="profile"/>'s model to write the analysis of <paramref name="brief"/>.</summary>
    /// <param name="workingDirectory">Where a .env file with the model's key may be.</param>
    public static async Task<ReportAnalysis> WriteAsync(ModelProfile profile, string brief, string workingDirectory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profile);
        using var providers = new ProviderSet(workingDirectory);
        var redactor = providers.Redactor;
        using var pacer = new TokenBucketPacer(TimeProvider.System);
        using var caller = new ModelCaller(pacer, CallLimits.Of(new BenchmarkOptions()), TimeProvider.System);
        var request = new ChatRequest
        {
            SystemPrompt = ReportPageBuilder.AnalystInstructions,
            Prompt = brief,
            MaxOutputTokens = MaxOutputTokens,
            Temperature = 0.2,
        };
        var outcome = await caller.CallAsync(profile, providers.Client(profile), request, cancellationToken).ConfigureAwait(false);
        if (outcome.Measurement is { } answer)
        {
            return new ReportAnalysis(profile.DisplayName, redactor.Redact(answer.Answer.Trim()), profile.CostOf(answer.InputTokens, answer.OutputTokens),
                answer.InputTokens, answer.OutputTokens, null, profile.IsSimulated);
        }

        var failure = outcome.Failure;
        return new ReportAnalysis(profile.DisplayName, null, 0, 0, 0,
            failure is null ? "no answer" : $"{failure.Code}: {redactor.Redact(failure.Message)}", profile.IsSimulated);
    }
}
