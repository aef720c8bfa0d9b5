using Eval360.Execution;
using Eval360.Providers;

namespace Eval360.Tests.Execution;

public sealed class CapabilityTargetsTests
{
    [Fact]
    public void A_bedrock_profile_without_a_tier_is_tried_in_all_three_and_others_as_written()
    {
        var bedrock = PlanTests.NewModel("bedrock/us.amazon.nova-2-lite-v1:0", region: "us-west-2");
        var priority = bedrock with { Region = "us-east-1", ServiceTier = "priority" };
        var openai = PlanTests.NewModel("openai/gpt-4o");
        var targets = ProviderSet.CapabilityTargets([bedrock, priority, openai]).ToList();
        Assert.Equal(5, targets.Count);
        Assert.Equal([null, "priority", "flex"], targets.Take(3).Select(t => t.ServiceTier));
        Assert.All(targets.Take(3), t => Assert.Equal("us-west-2", t.Region));
        Assert.Equal("priority", targets[3].ServiceTier);
        Assert.Same(openai, targets[4]);
    }
}
