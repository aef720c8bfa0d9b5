using System.Management.Automation;
using Eval360.Execution;

namespace Eval360.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Checks which models answer, in which region and service tier, with one minimal request each, and caches the answer.</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "Eval360ModelCapability", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(ModelCapability))]
public sealed class TestEval360ModelCapabilityCommand : AsyncEval360Cmdlet
{
    [Parameter(Position = 0)]
    [Alias("model_file_name")]
    public string ModelProfile { get; set; } = "config/models_profiles.jsonl";

    [Parameter]
    public string CachePath { get; set; } = ".cache/model_capabilities.json";

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void EndProcessing()
    {
        var models = ResolvePath(ModelProfile);
        if (!File.Exists(models))
        {
            ThrowTerminatingError(new ErrorRecord(new FileNotFoundException($"{models} does not exist (-ModelProfile)", models), "ModelProfileNotFound", ErrorCategory.ObjectNotFound, models));
            return;
        }

        if (!ShouldProcess(models, "Send one minimal request to each model, region and tier not in the cache"))
        {
            return;
        }

        IReadOnlyList<ModelCapability> capabilities;
        try
        {
            capabilities = RunAndDrain((_, stop, _) => CapabilityCheck.RunAsync(models, ResolvePath(CachePath), CurrentDirectory, Force, stop), _ => { });
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
