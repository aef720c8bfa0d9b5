using System.Management.Automation;
using Eval360.Configuration;

namespace Eval360.PowerShell.Commands;

/// <summary>
/// Validates a parameter against its setting in <see cref="RunSettings"/> (range or rule), so a range is written once
/// in the engine rather than repeated as a <c>[ValidateRange]</c> here. Attribute arguments must be constants, hence
/// the lookup by name.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateRunSettingAttribute : ValidateArgumentsAttribute
{
    public ValidateRunSettingAttribute(string settingName) =>
        Setting = RunSettings.Find(settingName) ?? throw new ArgumentException($"'{settingName}' is not a run setting", nameof(settingName));

    public RunSetting Setting { get; }

    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        var value = arguments is PSObject wrapped ? wrapped.BaseObject : arguments;
        if (Setting.Check(value) is { } problem)
        {
            throw new ValidationMetadataException($"{Setting.Format(value)} is not allowed: {problem}. ({Setting.Help})");
        }
    }
}
