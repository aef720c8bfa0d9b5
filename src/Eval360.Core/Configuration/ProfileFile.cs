using System.Text.RegularExpressions;

namespace Eval360.Configuration;

/// <summary>Reads model profile files (<c>input_token_cost</c>…) and judge profile files (<c>input_cost_per_1k</c>…).</summary>
internal static partial class ProfileFile
{
    public static readonly string[] ServiceTiers = ["default", "priority", "flex"];

    private static readonly string[] CommonFields =
        ["model_id", "region", "target_rpm", "target_tpm", "service_tier", "endpoint", "api_key_env", "api_version"];

    /// <summary>Above this a per-1k price is almost certainly a per-million price typed in the wrong field.</summary>
    private const double SuspiciousCostPer1K = 1.0;

    /// <param name="providers">The providers a <c>model_id</c> may name, and what each one's profiles must say.</param>
    public static List<ModelProfile> Read(string path, ProfileRole role, List<ConfigFinding> findings, ProviderCatalog providers)
    {
        string[] known = [.. CommonFields, .. PriceFields.SelectMany(p => new[] { p.Model, p.Judge })];

        var profiles = new List<ModelProfile>();
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        JsonlReader.Read(path, findings, (line, obj) =>
        {
            var fields = new FieldReader(obj, path, line, findings);
            int errorsBefore = fields.ErrorCount;
            var (inputCost, outputCost) = (PriceField(fields, role, PriceFields[0]), PriceField(fields, role, PriceFields[1]));
            var profile = ReadOne(fields, role, inputCost, outputCost, $"{path}:{line}", providers);
            fields.WarnUnknown(known);
            if (profile is null || fields.ErrorCount > errorsBefore)
            {
                return;
            }

            if (seen.TryGetValue(profile.Key, out var firstLine))
            {
                fields.Error("model_id", $"'{profile.DisplayName}'{RegionText(profile)} is listed twice (first on line {firstLine}); each model, region and tier is benchmarked once");
                return;
            }

            seen[profile.Key] = line;
            profiles.Add(profile);
        });
        return profiles;
    }

    /// <summary>
    /// One profile from values given another way than a file line (a cmdlet's <c>-ModelId</c>, <c>-Region</c>…), held to
    /// the same rules (prices default to 0); each finding names <paramref name="source"/> and the profile field.
    /// </summary>
    /// <param name="fields">Profile field name (<c>model_id</c>, <c>region</c>, <c>service_tier</c>, <c>endpoint</c>) → value; nulls are left out.</param>
    public static ModelProfile? FromFields(IReadOnlyDictionary<string, string?> fields, ProfileRole role, string source, List<ConfigFinding> findings, ProviderCatalog providers)
    {
        var (inputCost, outputCost) = role == ProfileRole.Judge ? ("input_cost_per_1k", "output_cost_per_1k") : ("input_token_cost", "output_token_cost");
        var values = fields.Where(f => f.Value is not null).ToDictionary(f => f.Key, f => (object)f.Value!);
        values.TryAdd(inputCost, 0);
        values.TryAdd(outputCost, 0);
        using var document = System.Text.Json.JsonDocument.Parse(System.Text.Json.JsonSerializer.Serialize(values));
        var reader = new FieldReader(document.RootElement, source, 0, findings);
        int errorsBefore = reader.ErrorCount;
        var profile = ReadOne(reader, role, inputCost, outputCost, source, providers);
        return reader.ErrorCount > errorsBefore ? null : profile;
    }

    private static ModelProfile? ReadOne(FieldReader fields, ProfileRole role, string inputCostField, string outputCostField, string source, ProviderCatalog providers)
    {
        var modelId = fields.String("model_id", required: true);
        ProviderTraits? traits = null;
        string model = string.Empty;
        if (modelId is not null && !providers.TryParseId(modelId, out traits, out model))
        {
            int slash = modelId.IndexOf('/', StringComparison.Ordinal);
            var problem = slash <= 0 ? $"has no provider prefix; expected one of {providers.KnownPrefixes}"
                : providers.FromPrefix(modelId[..slash]) is null ? $"unknown provider prefix '{modelId[..(slash + 1)]}'; expected one of {providers.KnownPrefixes}"
                : $"names no model after '{modelId[..(slash + 1)]}' (expected provider/model)";
            fields.Error("model_id", $"'{modelId}' {problem}");
            modelId = null;
            traits = null;
        }

        var region = fields.String("region", required: traits?.RequiresRegion == true);
        if (region is not null && !RegionPattern().IsMatch(region))
        {
            fields.Error("region", $"'{region}' is not a region name (like us-west-2)");
        }

        var inputCost = fields.Number(inputCostField, required: true, min: 0, rangeHint: "must not be negative");
        var outputCost = fields.Number(outputCostField, required: true, min: 0, rangeHint: "must not be negative");
        foreach (var (name, cost) in new[] { (inputCostField, inputCost), (outputCostField, outputCost) })
        {
            if (cost > SuspiciousCostPer1K)
            {
                fields.Warning(name, $"is {cost} USD per 1,000 tokens; is this a per-million price?");
            }
        }

        var targetRpm = fields.Number("target_rpm", min: double.Epsilon, rangeHint: "must be greater than 0 (omit it or use null for no pacing)");
        var targetTpm = fields.Number("target_tpm", min: double.Epsilon, rangeHint: "must be greater than 0 (omit it or use null for no pacing)");
        var tier = fields.String("service_tier");
        if (tier is not null && !ServiceTiers.Contains(tier, StringComparer.OrdinalIgnoreCase))
        {
            fields.Error("service_tier", $"'{tier}' is not a service tier; use default, priority or flex");
            tier = null;
        }

        var endpointText = fields.String("endpoint", required: traits?.RequiresEndpoint == true);
        Uri? endpoint = null;
        if (endpointText is not null && (!Uri.TryCreate(endpointText, UriKind.Absolute, out endpoint) || endpoint.Scheme is not ("http" or "https")))
        {
            fields.Error("endpoint", $"'{endpointText}' is not an absolute http(s) URL");
            endpoint = null;
        }

        var keyEnv = fields.String("api_key_env");
        if (keyEnv is not null && !EnvironmentNamePattern().IsMatch(keyEnv))
        {
            // The value is not echoed: people paste the key itself here, and keys never reach messages.
            fields.Error("api_key_env", "is not an environment variable name (letters, digits and _); give the variable's name, never the key itself");
            keyEnv = null;
        }

        var apiVersion = fields.String("api_version");

        if (modelId is null || traits is null || inputCost is null || outputCost is null)
        {
            return null;
        }

        return new ModelProfile
        {
            ModelId = modelId,
            Provider = traits,
            Model = model,
            Role = role,
            Region = region,
            InputCostPer1K = inputCost.Value,
            OutputCostPer1K = outputCost.Value,
            TargetRpm = targetRpm,
            TargetTpm = targetTpm,
            ServiceTier = tier?.ToLowerInvariant(),
            Endpoint = endpoint,
            ApiKeyEnv = keyEnv,
            ApiVersion = apiVersion,
            Source = source,
        };
    }

    /// <summary>
    /// The two spellings of the prices, USD per 1,000 tokens: model files use the first, judge files (as in the seed)
    /// the second. Either is accepted in either file, so that a file <c>Test-Eval360Config</c> finds clean is
    /// accepted by both <c>-ModelProfile</c> and <c>-JudgeProfile</c>.
    /// </summary>
    private static readonly (string Model, string Judge)[] PriceFields =
        [("input_token_cost", "input_cost_per_1k"), ("output_token_cost", "output_cost_per_1k")];

    /// <summary>The spelling of a price this line uses (the role's own when it has neither); both at once is an error.</summary>
    private static string PriceField(FieldReader fields, ProfileRole role, (string Model, string Judge) names)
    {
        var (own, other) = role == ProfileRole.Judge ? (names.Judge, names.Model) : (names.Model, names.Judge);
        if (fields.Has(own) && fields.Has(other))
        {
            fields.Error(other, $"gives the same price as '{own}' (two spellings of one field, USD per 1,000 tokens); keep one");
        }

        return fields.Has(other) && !fields.Has(own) ? other : own;
    }

    private static string RegionText(ModelProfile profile) => profile.Region is null ? string.Empty : $" in {profile.Region}";

    [GeneratedRegex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]+$|^[a-z][a-z0-9-]{1,40}$")]
    private static partial Regex RegionPattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,127}$")]
    private static partial Regex EnvironmentNamePattern();
}
