using Eval360.Configuration;

namespace Eval360.Tests.Configuration;

/// <summary>The run-settings registry: the seed's defaults and ranges (literals from the contract), and how it is applied.</summary>
public sealed class RunSettingsTests
{
    public static TheoryData<string, object?, object?, object?> SeedDefaultsAndRanges() => new()
    {
        // name, default, minimum, maximum — as interface.md and the seed's CLI state them.
        { "ParallelCalls", 4, 1, 4096 },
        { "InvocationsPerScenario", 2, 1, 1_000_000 },
        { "SleepBetweenInvocations", 3.0, 0.0, 86_400.0 },
        { "ExperimentCount", 2, 1, 100 },
        { "ExperimentWaitTime", 0.0, 0.0, 604_800.0 },
        { "TemperatureVariations", 0, 0, 5 },
        { "PassThreshold", 3.0, 2.0, 4.0 },
        { "MaxCost", null, 0.0, null },
        { "MaxRetries", 4, 0, 20 },
        { "AttemptTimeout", 300.0, 1.0, 86_400.0 },
        { "StallTimeout", 60.0, 1.0, 3_600.0 },
        { "MinPassRate", null, 0.0, 1.0 },
    };

    [Theory]
    [MemberData(nameof(SeedDefaultsAndRanges))]
    public void Each_setting_has_the_seeds_default_and_range(string name, object? expectedDefault, object? minimum, object? maximum)
    {
        var setting = RunSettings.Find(name);
        Assert.NotNull(setting);
        Assert.Equal(expectedDefault, setting.DefaultValue);
        Assert.Equal(minimum, setting.Minimum);
        Assert.Equal(maximum, setting.Maximum);
        // BenchmarkOptions takes its defaults from the registry, in the setting's unit.
        Assert.Equal(expectedDefault, setting.ValueIn(new BenchmarkOptions()));
    }

    [Fact]
    public void The_resumable_settings_are_the_contracts_execution_settings()
    {
        Assert.Equal(
            ["ParallelCalls", "SleepBetweenInvocations", "NoReport", "MaxCost", "MaxRetries", "AttemptTimeout", "StallTimeout", "FailOnError", "MinPassRate"],
            RunSettings.Resumable.Select(s => s.Name));
        Assert.All(RunSettings.All.Except(RunSettings.Resumable), s => Assert.Equal(SettingKind.Plan, s.Kind));
    }

    [Fact]
    public void Settings_are_found_by_parameter_or_seed_name_in_any_case()
    {
        Assert.Same(RunSettings.ParallelCalls, RunSettings.Find("parallelcalls"));
        Assert.Same(RunSettings.ParallelCalls, RunSettings.Find("parallel_calls"));
        Assert.Same(RunSettings.ExperimentCount, RunSettings.Find("experiment_counts"));
        Assert.Null(RunSettings.Find("InputFile"));
        Assert.Equal(RunSettings.All.Count, RunSettings.All.Select(s => s.Name).Distinct().Count());
    }

    [Fact]
    public void Validate_names_each_value_out_of_range_with_the_range()
    {
        var options = new BenchmarkOptions
        {
            ParallelCalls = 0,
            PassThreshold = 4.5,
            SleepBetweenInvocations = TimeSpan.FromSeconds(-1),
            MaxCost = -2,
            MinPassRate = double.NaN,
            ExperimentName = "a/b",
        };
        var problems = options.Validate().ToDictionary(f => f.Path, f => f.Message);
        Assert.Equal("is 0; use 1 to 4,096", problems["ParallelCalls"]);
        Assert.Equal("is 4.5; use 2 to 4", problems["PassThreshold"]);
        Assert.Equal("is -1; use 0 to 86,400 s", problems["SleepBetweenInvocations"]);
        Assert.Equal("is -2; use 0 USD or more", problems["MaxCost"]);
        Assert.Equal("is NaN; use 0 to 1", problems["MinPassRate"]);
        Assert.StartsWith("is 'a/b'; must be a valid folder name", problems["ExperimentName"], StringComparison.Ordinal);
        Assert.Equal(6, problems.Count);
        Assert.Empty(new BenchmarkOptions().Validate());
    }

    [Fact]
    public void Values_from_a_form_are_converted_to_the_settings_types()
    {
        var options = RunSettings.Apply(new BenchmarkOptions(), new Dictionary<string, object?>
        {
            ["ParallelCalls"] = "8",
            ["SleepBetweenInvocations"] = "0.5",
            ["UserDefinedMetrics"] = "Tone, Brevity",
            ["JuryAggregation"] = "majority",
            ["NoReport"] = true,
            ["MaxCost"] = 2,
            ["MinPassRate"] = null,
        });
        Assert.Equal(8, options.ParallelCalls);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.SleepBetweenInvocations);
        Assert.Equal(["Tone", "Brevity"], options.UserDefinedMetrics);
        Assert.Equal(JuryAggregation.Majority, options.JuryAggregation);
        Assert.False(options.Report);
        Assert.Equal(2.0, options.MaxCost);
        Assert.Null(options.MinPassRate);
    }

    [Fact]
    public void Apply_refuses_bad_values_and_on_resume_plan_settings_listing_every_problem()
    {
        var e = Assert.Throws<ConfigurationException>(() => RunSettings.Apply(new BenchmarkOptions(), new Dictionary<string, object?>
        {
            ["ParallelCalls"] = "many",
            ["InvocationsPerScenario"] = 3,
            ["MaxRetries"] = 2,
        }, resumableOnly: true));
        var findings = e.Findings.ToDictionary(f => f.Path, f => f.Message);
        Assert.Equal("is 'many'; 'many' is not a whole number", findings["ParallelCalls"]);
        Assert.StartsWith("changes what the run plans, so it cannot change on resume; -Resume accepts -ParallelCalls, -SleepBetweenInvocations,", findings["InvocationsPerScenario"], StringComparison.Ordinal);
        Assert.Equal(2, findings.Count);
    }

    [Fact]
    public void Changes_list_only_the_settings_that_differ_as_users_read_them()
    {
        var before = new BenchmarkOptions { ParallelCalls = 8, Report = true, MaxCost = 1 };
        var after = before with { ParallelCalls = 2, Report = false };
        Assert.Equal(
            [new SettingChange("ParallelCalls", "8", "2"), new SettingChange("NoReport", "off", "on")],
            RunSettings.Changes(before, after));
    }

    [Fact]
    public void Every_setting_describes_itself_for_help_and_forms()
    {
        Assert.All(RunSettings.All, s =>
        {
            Assert.False(string.IsNullOrWhiteSpace(s.Help), s.Name);
            Assert.EndsWith(".", s.Help, StringComparison.Ordinal);
            Assert.Null(s.Check(s.DefaultValue));
        });
        Assert.Equal("1 to 4,096", RunSettings.ParallelCalls.RangeText);
        Assert.Equal("0 to 604,800 s", RunSettings.ExperimentWaitTime.RangeText);
        Assert.Null(RunSettings.LatencyOnly.RangeText);
        Assert.Equal(["Mean", "Majority"], RunSettings.JuryAggregation.Choices);
        Assert.Equal("3 s", RunSettings.SleepBetweenInvocations.Format(3.0));
    }
}
