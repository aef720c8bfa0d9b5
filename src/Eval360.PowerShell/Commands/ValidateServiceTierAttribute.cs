using System.Management.Automation;
using Eval360.Configuration;

namespace Eval360.PowerShell.Commands;

/// <summary>
/// Accepts a service tier profiles may name (<see cref="ProfileIndex.ServiceTiers"/>), in any case. Unlike
/// <c>[ValidateSet]</c>, which PowerShell's Tab completion would use in place of any other, it leaves completion to
/// the module's completer, which also says which profiles use each tier.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateServiceTierAttribute : ValidateEnumeratedArgumentsAttribute
{
    protected override void ValidateElement(object element)
    {
        if (element is not string tier || !ProfileIndex.ServiceTiers.Contains(tier, StringComparer.OrdinalIgnoreCase))
        {
            throw new ValidationMetadataException($"'{element}' is not a service tier: use one of {string.Join(", ", ProfileIndex.ServiceTiers)}.");
        }
    }
}
