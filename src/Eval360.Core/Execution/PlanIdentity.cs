using System.Security.Cryptography;
using System.Text;
using Eval360.Configuration;
using Eval360.Results;

namespace Eval360.Execution;

/// <summary>
/// What a plan is, as a short hash (run.json's <c>plan_id</c>): its inputs, as the run's snapshot writes them
/// (scenarios, models, judges), and the settings that shape it (<see cref="RunSettings.PlanShaping"/>). The shards of
/// one plan share it whatever machine ran them and whatever their run's name; a merge refuses shards whose ids differ.
/// </summary>
internal static class PlanIdentity
{
    public static string Of(IReadOnlyList<Scenario> scenarios, IReadOnlyList<ModelProfile> models, IReadOnlyList<ModelProfile> judges, BenchmarkOptions options)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Line(string section, string text)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(section));
            hash.AppendData(Encoding.UTF8.GetBytes(text));
            hash.AppendData("\n"u8);
        }

        foreach (var scenario in scenarios)
        {
            Line("scenario ", RunInputs.ScenarioLine(scenario));
        }

        foreach (var model in models)
        {
            Line("model ", RunInputs.ModelLine(model));
        }

        foreach (var judge in judges)
        {
            Line("judge ", RunInputs.JudgeLine(judge));
        }

        foreach (var setting in RunSettings.PlanShaping)
        {
            Line("setting ", $"{setting.Name}={setting.Format(setting.ValueIn(options))}");
        }

        return Convert.ToHexString(hash.GetHashAndReset(), 0, 8).ToLowerInvariant();
    }
}
