using System.Management.Automation;
using Eval360.Execution;
using Eval360.Providers;

namespace Eval360.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Rewrites prompts for a Bedrock model with Amazon Bedrock's prompt optimization and shows the original, the optimized prompt and the service's analysis.</para>
/// </summary>
[Cmdlet(VerbsCommon.Optimize, "Eval360Prompt", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(PromptOptimization))]
public sealed class OptimizeEval360PromptCommand : AsyncEval360Cmdlet
{
    private readonly List<string> _prompts = [];

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("text_prompt")]
    [ValidateNotNullOrEmpty]
    public string[] Prompt { get; set; } = [];

    [Parameter(Mandatory = true, Position = 1)]
    [Alias("ModelId", "model_id")]
    [ValidateNotNullOrEmpty]
    public string TargetModel { get; set; } = string.Empty;

    [Parameter]
    public string? Region { get; set; }

    [Parameter]
    public Uri? Endpoint { get; set; }

    [Parameter]
    [ValidateRange(1, 64)]
    public int ParallelCalls { get; set; } = 4;

    protected override void ProcessRecord() => _prompts.AddRange(Prompt);

    protected override void EndProcessing()
    {
        if (_prompts.Count == 0 || !ShouldProcess(TargetModel, $"Optimize {_prompts.Count} prompt(s) with Amazon Bedrock's prompt optimization"))
        {
            return;
        }

        try
        {
            RunAndDrain(
                async (events, stop, _) =>
                {
                    await PromptOptimizer.OptimizeAsync(_prompts, TargetModel, Region, Endpoint, CurrentDirectory, ParallelCalls, events, stop).ConfigureAwait(false);
                    return true;
                },
                Handle);
        }
        catch (ConfigurationException e)
        {
            ThrowTerminatingError(ConfigurationError(e));
        }
    }

    private void Handle(RunEvent item)
    {
        switch (item)
        {
            case PromptOptimized optimized:
                WriteObject(optimized.Result);
                break;
            case PromptNotOptimized failed:
                WriteError(new ErrorRecord(new InvalidOperationException($"The prompt could not be optimized for {TargetModel}: {failed.Failure.Code()}: {failed.Message}"),
                    "PromptNotOptimized", CategoryOf(failed.Failure), failed.Prompt)
                {
                    ErrorDetails = new ErrorDetails($"{failed.Failure.Code()}: {failed.Message}")
                    {
                        RecommendedAction = RecommendedAction(failed.Failure),
                    },
                });
                break;
            case RunWarning warning:
                WriteWarning(warning.Message);
                break;
        }
    }

    private static ErrorCategory CategoryOf(FailureKind failure) => failure switch
    {
        FailureKind.Auth => ErrorCategory.PermissionDenied,
        FailureKind.Validation => ErrorCategory.InvalidArgument,
        FailureKind.NotFound => ErrorCategory.ObjectNotFound,
        FailureKind.Throttled => ErrorCategory.LimitsExceeded,
        FailureKind.Timeout or FailureKind.Stalled => ErrorCategory.OperationTimeout,
        FailureKind.Network => ErrorCategory.ConnectionError,
        _ => ErrorCategory.NotSpecified,
    };

    private static string RecommendedAction(FailureKind failure) => failure switch
    {
        FailureKind.Auth => "Prompt optimization signs with AWS credentials (an Amazon Bedrock API key does not cover it): set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, with access to bedrock:OptimizePrompt.",
        FailureKind.Validation => "The model may not support prompt optimization in this region: try another -Region, or a supported model.",
        FailureKind.Throttled => "Try again later, or with a lower -ParallelCalls.",
        _ => "Check -Region and -Endpoint; Test-Eval360ModelCapability -ModelId shows whether the model answers there.",
    };
}
