using CrisisSim.Testing;
using CrisisSim.Engine;
using CrisisSim.Model.Components;
using CrisisSim.Model.Scenario;
using CrisisSim.Reporting;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace CrisisSim.Grains.Tests;

/// <summary>The model's types cross the wire (a scenario through the model's codec, the rest through surrogates) and come back equal.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SerializationTests(ClusterFixture fixture)
{
    private T RoundTrip<T>(T value)
    {
        var serializer = fixture.Client.ServiceProvider.GetRequiredService<Serializer>();
        return serializer.Deserialize<T>(serializer.SerializeToArray(value)) ?? throw new InvalidOperationException("Nothing came back");
    }

    [Fact]
    public void A_scenario_built_in_code_keeps_every_parameter_and_distribution()
    {
        foreach (var scenario in GrainTestScenarios.CodeBuiltNames().Select(GrainTestScenarios.CodeBuilt))
        {
            var copy = RoundTrip(scenario);
            Assert.Equal(scenario with { CallTypes = [], Groups = [], Numbers = [], Playbook = null }, copy with { CallTypes = [], Groups = [], Numbers = [], Playbook = null });
            // The playbook's rules, conditions and actions, value for value (the records hold lists, compared by reference).
            Assert.Equal(
                System.Text.Encoding.UTF8.GetString(Model.Scenario.ScenarioCodec.Serialize(scenario.Playbook)),
                System.Text.Encoding.UTF8.GetString(Model.Scenario.ScenarioCodec.Serialize(copy.Playbook)));
            Assert.Equal(scenario.Numbers, copy.Numbers);
            Assert.Equal(scenario.CallTypes.Count, copy.CallTypes.Count);
            for (var t = 0; t < scenario.CallTypes.Count; t++)
            {
                var (a, b) = (scenario.CallTypes[t], copy.CallTypes[t]);
                // The wire test checks every field; here, that the arrivals give the same expected calls in every interval.
                var grid = ArrivalGrid.Of(scenario);
                Assert.Equal(a.Arrivals.Describe(), b.Arrivals.Describe());
                Assert.Equal(
                    Enumerable.Range(0, grid.IntervalCount).Select(k => a.Arrivals.ExpectedCalls(grid, k * grid.IntervalSeconds, (k + 1) * grid.IntervalSeconds)),
                    Enumerable.Range(0, grid.IntervalCount).Select(k => b.Arrivals.ExpectedCalls(grid, k * grid.IntervalSeconds, (k + 1) * grid.IntervalSeconds)));
                Assert.Equal(a with { Arrivals = new PoissonArrivalSpec([]), Patience = null, HandleTime = null, Redials = null, PatienceFactors = null, Transfers = null }, b with { Arrivals = new PoissonArrivalSpec([]), Patience = null, HandleTime = null, Redials = null, PatienceFactors = null, Transfers = null });
                Assert.Equal(a.PatienceFactors, b.PatienceFactors);
                Assert.Equal(a.Transfers, b.Transfers);
                Assert.Equal(a.Redials?.Probabilities, b.Redials?.Probabilities);
                AssertSameDistribution(a.Redials?.Delay, b.Redials?.Delay);
                AssertSameDistribution(a.Patience, b.Patience);
                AssertSameDistribution(a.HandleTime, b.HandleTime);
            }
            for (var g = 0; g < scenario.Groups.Count; g++)
            {
                var (a, b) = (scenario.Groups[g], copy.Groups[g]);
                Assert.Equal(a.Name, b.Name);
                Assert.Equal(a.Serves, b.Serves);
                Assert.Equal(a.Staffing, b.Staffing);
                AssertSameDistribution(a.HandleTime, b.HandleTime);
            }
            Assert.Equal(SummaryJson.ToText(SimulationRunner.RunInline(scenario, 1, 1)), SummaryJson.ToText(SimulationRunner.RunInline(copy, 1, 1)));
        }
    }

    [Fact]
    public void Records_and_messages_come_back_equal()
    {
        var records = InlineEngine.RunReplication(TestScenarios.Mixed(), 3, 0, keepCallLog: true).Records;
        var state = records.ToState();
        var copy = RoundTrip(state);
        Assert.Equal(state.CallRows.Length, copy.CallRows.Length);
        for (var i = 0; i < state.CallRows.Length; i++)
        {
            Assert.Equal(state.CallRows[i].CallType, copy.CallRows[i].CallType);
            Assert.Equal(state.CallRows[i].Counters, copy.CallRows[i].Counters);
            Assert.Equal(state.CallRows[i].Waits, copy.CallRows[i].Waits);
        }
        Assert.Equal(state.GroupRows.Length, copy.GroupRows.Length);
        for (var i = 0; i < state.GroupRows.Length; i++)
        {
            Assert.Equal(state.GroupRows[i].Group, copy.GroupRows[i].Group);
            Assert.Equal(state.GroupRows[i].Busy, copy.GroupRows[i].Busy);
            Assert.Equal(state.GroupRows[i].Staffed, copy.GroupRows[i].Staffed);
        }
        Assert.Equal(state.MaxQueue, copy.MaxQueue);
        Assert.Equal(state.CallLog!, copy.CallLog!);
        Assert.Equal(state with { CallRows = [], GroupRows = [], MaxQueue = [], CallLog = null },
            copy with { CallRows = [], GroupRows = [], MaxQueue = [], CallLog = null });

        var message = new Message(MessageKind.StartService, 4, 123456789012, 1, 2, 17, 3.25, double.PositiveInfinity);
        Assert.Equal(message, RoundTrip(message));
        var batch = new EffectBatch([new Effect(false, 0, message), new Effect(true, 9.5, message with { Kind = MessageKind.ServiceDone })]);
        Assert.Equal(batch.Items, RoundTrip(batch).Items);
    }

    private static void AssertSameDistribution(DistributionSpec? expected, DistributionSpec? actual)
    {
        if (expected is EmpiricalSpec e)
        {
            Assert.Equal(e.ValuesSeconds, Assert.IsType<EmpiricalSpec>(actual).ValuesSeconds);
            return;
        }
        if (expected is MixtureSpec m)
        {
            var copy = Assert.IsType<MixtureSpec>(actual);
            Assert.Equal(m.Components.Count, copy.Components.Count);
            for (var i = 0; i < m.Components.Count; i++)
            {
                Assert.Equal(m.Components[i].Share, copy.Components[i].Share);
                AssertSameDistribution(m.Components[i].Distribution, copy.Components[i].Distribution);
            }
            return;
        }
        Assert.Equal(expected, actual);
    }
}
