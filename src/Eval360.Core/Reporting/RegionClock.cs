namespace Eval360.Reporting;

/// <summary>
/// The local time of a cloud region: the one table from region names to IANA time zones (AWS regions, and Azure and
/// Google Cloud regions by their usual names), read through .NET's <see cref="TimeZoneInfo"/>, so daylight saving
/// time is applied as it was on the day. A region not in the table (or a zone the machine lacks) stays on UTC, and
/// <see cref="IsKnown"/> says so.
/// </summary>
internal static class RegionClock
{
    private static readonly Dictionary<string, string> Zones = new(StringComparer.OrdinalIgnoreCase)
    {
        // AWS
        ["us-east-1"] = "America/New_York", ["us-east-2"] = "America/New_York",
        ["us-west-1"] = "America/Los_Angeles", ["us-west-2"] = "America/Los_Angeles",
        ["us-gov-east-1"] = "America/New_York", ["us-gov-west-1"] = "America/Los_Angeles",
        ["ca-central-1"] = "America/Toronto", ["ca-west-1"] = "America/Edmonton",
        ["mx-central-1"] = "America/Mexico_City", ["sa-east-1"] = "America/Sao_Paulo",
        ["eu-west-1"] = "Europe/Dublin", ["eu-west-2"] = "Europe/London", ["eu-west-3"] = "Europe/Paris",
        ["eu-central-1"] = "Europe/Berlin", ["eu-central-2"] = "Europe/Zurich",
        ["eu-north-1"] = "Europe/Stockholm", ["eu-south-1"] = "Europe/Rome", ["eu-south-2"] = "Europe/Madrid",
        ["il-central-1"] = "Asia/Jerusalem", ["me-central-1"] = "Asia/Dubai", ["me-south-1"] = "Asia/Bahrain",
        ["af-south-1"] = "Africa/Johannesburg",
        ["ap-east-1"] = "Asia/Hong_Kong", ["ap-south-1"] = "Asia/Kolkata", ["ap-south-2"] = "Asia/Kolkata",
        ["ap-northeast-1"] = "Asia/Tokyo", ["ap-northeast-2"] = "Asia/Seoul", ["ap-northeast-3"] = "Asia/Tokyo",
        ["ap-southeast-1"] = "Asia/Singapore", ["ap-southeast-2"] = "Australia/Sydney", ["ap-southeast-3"] = "Asia/Jakarta",
        ["ap-southeast-4"] = "Australia/Melbourne", ["ap-southeast-5"] = "Asia/Kuala_Lumpur", ["ap-southeast-7"] = "Asia/Bangkok",

        // Azure
        ["eastus"] = "America/New_York", ["eastus2"] = "America/New_York", ["centralus"] = "America/Chicago",
        ["northcentralus"] = "America/Chicago", ["southcentralus"] = "America/Chicago", ["westcentralus"] = "America/Denver",
        ["westus"] = "America/Los_Angeles", ["westus2"] = "America/Los_Angeles", ["westus3"] = "America/Phoenix",
        ["canadacentral"] = "America/Toronto", ["canadaeast"] = "America/Toronto", ["brazilsouth"] = "America/Sao_Paulo",
        ["northeurope"] = "Europe/Dublin", ["westeurope"] = "Europe/Amsterdam", ["uksouth"] = "Europe/London",
        ["ukwest"] = "Europe/London", ["francecentral"] = "Europe/Paris", ["germanywestcentral"] = "Europe/Berlin",
        ["swedencentral"] = "Europe/Stockholm", ["switzerlandnorth"] = "Europe/Zurich", ["norwayeast"] = "Europe/Oslo",
        ["italynorth"] = "Europe/Rome", ["spaincentral"] = "Europe/Madrid", ["polandcentral"] = "Europe/Warsaw",
        ["japaneast"] = "Asia/Tokyo", ["japanwest"] = "Asia/Tokyo", ["koreacentral"] = "Asia/Seoul",
        ["southeastasia"] = "Asia/Singapore", ["eastasia"] = "Asia/Hong_Kong", ["centralindia"] = "Asia/Kolkata",
        ["southindia"] = "Asia/Kolkata", ["australiaeast"] = "Australia/Sydney", ["australiasoutheast"] = "Australia/Melbourne",
        ["uaenorth"] = "Asia/Dubai", ["southafricanorth"] = "Africa/Johannesburg",

        // Google Cloud
        ["us-central1"] = "America/Chicago", ["us-east1"] = "America/New_York", ["us-east4"] = "America/New_York",
        ["us-east5"] = "America/New_York", ["us-south1"] = "America/Chicago", ["us-west1"] = "America/Los_Angeles",
        ["us-west2"] = "America/Los_Angeles", ["us-west3"] = "America/Denver", ["us-west4"] = "America/Los_Angeles",
        ["northamerica-northeast1"] = "America/Toronto", ["southamerica-east1"] = "America/Sao_Paulo",
        ["europe-west1"] = "Europe/Brussels", ["europe-west2"] = "Europe/London", ["europe-west3"] = "Europe/Berlin",
        ["europe-west4"] = "Europe/Amsterdam", ["europe-west6"] = "Europe/Zurich", ["europe-west8"] = "Europe/Rome",
        ["europe-west9"] = "Europe/Paris", ["europe-north1"] = "Europe/Helsinki", ["europe-central2"] = "Europe/Warsaw",
        ["europe-southwest1"] = "Europe/Madrid", ["asia-northeast1"] = "Asia/Tokyo", ["asia-northeast3"] = "Asia/Seoul",
        ["asia-east1"] = "Asia/Taipei", ["asia-southeast1"] = "Asia/Singapore", ["asia-south1"] = "Asia/Kolkata",
        ["australia-southeast1"] = "Australia/Sydney", ["me-west1"] = "Asia/Jerusalem",
    };

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, TimeZoneInfo?> Found = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The IANA time zone of <paramref name="region"/>; null when the table has none.</summary>
    public static string? ZoneOf(string? region) => region is not null && Zones.TryGetValue(region, out var zone) ? zone : null;

    /// <summary>Whether <paramref name="region"/>'s local time is known (in the table, and its zone on this machine).</summary>
    public static bool IsKnown(string? region) => Find(region) is not null;

    /// <summary>The time at <paramref name="at"/> in <paramref name="region"/>, daylight saving included; UTC for an unknown region.</summary>
    public static DateTimeOffset LocalTime(string? region, DateTimeOffset at) =>
        Find(region) is { } zone ? TimeZoneInfo.ConvertTime(at, zone) : at.ToUniversalTime();

    private static TimeZoneInfo? Find(string? region)
    {
        if (ZoneOf(region) is not { } id)
        {
            return null;
        }

        return Found.GetOrAdd(id, static zone =>
        {
            try
            {
                return TimeZoneInfo.FindSystemTimeZoneById(zone);
            }
            catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
            {
                return null;
            }
        });
    }
}
