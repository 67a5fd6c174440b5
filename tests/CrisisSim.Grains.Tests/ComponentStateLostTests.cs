using CrisisSim.Model.Components;

namespace CrisisSim.Grains.Tests;

/// <summary>A component grain reached in a fresh activation (its silo stopped, or it was deactivated, mid-run) says
/// the run's state is lost with an Orleans runtime error, which the runners report as a lost run, not as a failure of
/// the model.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ComponentStateLostTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_delivery_to_a_component_that_never_started_here_is_a_runtime_error_naming_the_lost_state()
    {
        var key = RunKeys.Component("never-started-" + Guid.NewGuid().ToString("N"), 0);
        var grain = fixture.Client.GetGrain<ICallerGrain>(key);
        var error = await Assert.ThrowsAnyAsync<OrleansException>(async () => await grain.Deliver(new Delivery(0, new Message(MessageKind.CallOffered, 0))));
        Assert.Contains("run's state in it is lost", error.Message);
        var finish = await Assert.ThrowsAnyAsync<OrleansException>(async () => await grain.Finish());
        Assert.Contains("has not started here", finish.Message);
    }
}
