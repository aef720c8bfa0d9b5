using Eval360.Statistics;

namespace Eval360.Tests.Statistics;

/// <summary>
/// What pairs two models' answers: the plan when results name one (the shards of a plan are runs with run ids of their
/// own), the run when they do not.
/// </summary>
public sealed class ItemIdentityTests
{
    private static InvocationResult Answer(string runId, string? planId, string modelId = "p/a") => new()
    {
        RunId = runId,
        PlanId = planId,
        ModelId = modelId,
        Experiment = 1,
        ScenarioId = "s1",
        Invocation = 2,
        Temperature = 0.7,
        Key = modelId + "/s1/2",
    };

    [Fact]
    public void Answers_from_two_runs_of_one_plan_are_answers_to_the_same_item()
    {
        // Model a's answer in shard 1 of the plan, model b's in shard 3: different runs, one plan.
        var a = Answer("shard1run", "0123456789abcdef");
        var b = Answer("shard3run", "0123456789abcdef", "p/b");
        Assert.Equal(ItemIdentity.Of(a), ItemIdentity.Of(b));

        var otherPlan = Answer("shard3run", "fedcba9876543210", "p/b");
        Assert.NotEqual(ItemIdentity.Of(a), ItemIdentity.Of(otherPlan));
    }

    [Fact]
    public void Answers_that_name_no_plan_pair_only_within_their_run()
    {
        var a = Answer("run-1", null);
        var b = Answer("run-2", null, "p/b");
        Assert.NotEqual(ItemIdentity.Of(a), ItemIdentity.Of(b));
        Assert.Equal(ItemIdentity.Of(a), ItemIdentity.Of(Answer("run-1", null, "p/b")));
        // An empty plan id (a CSV's empty plan_id cell) is no plan either.
        Assert.Equal(ItemIdentity.Of(a), ItemIdentity.Of(Answer("run-1", string.Empty, "p/b")));
    }

    [Fact]
    public void Without_a_plan_the_identity_is_the_one_results_always_had()
    {
        // FNV-1a of "run-1|1|s1|2|0.7|original|", as it was before results carried a plan: bootstrap intervals sort by it,
        // so the figures of runs written before keep their last digit.
        Assert.Equal(3803132338463197957UL, ItemIdentity.Of(Answer("run-1", null)));
    }
}
