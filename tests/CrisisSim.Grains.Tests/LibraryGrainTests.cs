using CrisisSim.Engine;
using CrisisSim.Reporting;
using CrisisSim.Testing;

namespace CrisisSim.Grains.Tests;

/// <summary>A scenario of the crisis library on the host the command line uses by default: an embedded silo running
/// replication grains.</summary>
[Collection(ClusterCollection.Name)]
public sealed class LibraryGrainTests
{
    [Fact]
    public async Task A_library_scenario_on_the_embedded_silo_accounts_for_every_call_and_gives_the_inline_result()
    {
        // The health crisis's first hours: the emergency line at night, then the information number's morning
        // overload with its recorded message, balking, redials and transfers to the emergency line.
        var scenario = TestScenarios.Shorten(ScenarioLibrary.Load("health-crisis.yaml"), 4000);
        Assert.True(scenario.IntervalCount >= 10, "the shortened run reaches the information number's opening");
        using var host = await EmbeddedSilo.StartAsync(new EmbeddedSiloOptions { EnvironmentName = "Development" });

        var run = await GrainRunner.RunReplicationsAsync(host.GrainFactory(), scenario, 5, 2, keepCallLog: true);

        Assert.Equal(2, run.Replications.Count);
        foreach (var r in run.Replications)
        {
            ScenarioLibrary.AssertConservation(scenario, r.Records);
        }
        ScenarioLibrary.AssertSaneKpis(scenario, run);
        Assert.True(run.Overall["transfers_in"].Mean > 0 && run.Overall["deflected"].Mean > 0);
        Assert.Equal(SummaryJson.ToText(SimulationRunner.RunInline(scenario, 5, 2)), SummaryJson.ToText(run));
        await host.StopAsync();
    }
}
