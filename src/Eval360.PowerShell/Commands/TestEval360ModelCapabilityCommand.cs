using System.Management.Automation;
using Eval360.Execution;

namespace Eval360.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Checks which models answer, in which region and service tier, with one minimal request each, and caches the answer.</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "Eval360ModelCapability", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = Files)]
[OutputType(typeof(ModelCapability))]
public sealed class TestEval360ModelCapabilityCommand : AsyncEval360Cmdlet
{
    private const string Files = "Files";
    private const string OneModel = "OneModel";

    [Parameter(Position = 0, ParameterSetName = Files)]
    [Parameter(ParameterSetName = OneModel)]
    [Alias("model_file_name")]
    public string ModelProfile { get; set; } = "config/models_profiles.jsonl";

    [Parameter(ParameterSetName = Files)]
    [Alias("judge_file_name")]
    public string? JudgeProfile { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = OneModel)]
    [Alias("model")]
    [ValidateNotNullOrEmpty]
    public string ModelId { get; set; } = string.Empty;

    [Parameter(ParameterSetName = OneModel)]
    public string? Region { get; set; }

    [Parameter(ParameterSetName = OneModel)]
    [Alias("tier")]
    [ValidateServiceTier]
    public string? ServiceTier { get; set; }

    [Parameter(ParameterSetName = OneModel)]
    public Uri? Endpoint { get; set; }

    [Parameter(ParameterSetName = Files)]
    public string CachePath { get; set; } = ".cache/model_capabilities.json";

    [Parameter(ParameterSetName = Files)]
    public SwitchParameter Force { get; set; }

    protected override void EndProcessing()
    {
        if (ParameterSetName == OneModel)
        {
            var target = $"{ModelId}{(Region is null ? string.Empty : " in " + Region)}{(ServiceTier is null ? string.Empty : " at the " + ServiceTier + " tier")}";
            // With -ModelProfile, the file's profiles of that model (its endpoint, key variable and prices); without, the
            // model as the parameters name it.
            bool fromFile = MyInvocation.BoundParameters.ContainsKey(nameof(ModelProfile));
            if (fromFile && Endpoint is not null)
            {
                ThrowTerminatingError(new ErrorRecord(new ArgumentException("-Endpoint and -ModelProfile do not go together: the profile file gives the endpoint. Drop one."),
                    "EndpointWithModelProfile", ErrorCategory.InvalidArgument, Endpoint));
                return;
            }

            if (ShouldProcess(fromFile ? $"{target} from {ResolvePath(ModelProfile)}" : target, "Send one minimal request (each service tier, when none is named)"))
            {
                Check(stop => fromFile
                    ? CapabilityCheck.CheckFromFileAsync(ResolvePath(ModelProfile), ModelId, Region, ServiceTier, ProfileRole.Candidate, CurrentDirectory, stop)
                    : CapabilityCheck.CheckAsync(ModelId, Region, ServiceTier, Endpoint, ProfileRole.Candidate, CurrentDirectory, stop));
            }

            return;
        }

        // -JudgeProfile alone checks the judges; otherwise the model file (by default the seed's) and the judges if given.
        string? models = JudgeProfile is not null && !MyInvocation.BoundParameters.ContainsKey(nameof(ModelProfile)) ? null : ResolvePath(ModelProfile);
        string? judges = JudgeProfile is null ? null : ResolvePath(JudgeProfile);
        foreach (var (file, parameter) in new[] { (models, nameof(ModelProfile)), (judges, nameof(JudgeProfile)) })
        {
            if (file is not null && !File.Exists(file))
            {
                ThrowTerminatingError(new ErrorRecord(new FileNotFoundException($"{file} does not exist (-{parameter})", file), $"{parameter}NotFound", ErrorCategory.ObjectNotFound, file));
                return;
            }
        }

        if (ShouldProcess(string.Join(", ", new[] { models, judges }.OfType<string>()), "Send one minimal request to each model, region and tier not in the cache"))
        {
            Check(stop => CapabilityCheck.RunAsync(models, judges, ResolvePath(CachePath), CurrentDirectory, Force, stop));
        }
    }

    private void Check(Func<CancellationToken, Task<IReadOnlyList<ModelCapability>>> check)
    {
        IReadOnlyList<ModelCapability> capabilities;
        try
        {
            capabilities = RunAndDrain((_, stop, _) => check(stop), _ => { });
        }
        catch (ConfigurationException e)
        {
            ThrowConfigurationError(e);
            return;
        }

        foreach (var capability in capabilities)
        {
            WriteObject(capability);
        }
    }
}
