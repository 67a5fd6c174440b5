using System.Reflection;
using CrisisSim.Engine;
using CrisisSim.Model.Recording;
using CrisisSim.Model.Scenario;
using CrisisSim.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace CrisisSim.Grains.Tests;

/// <summary><see cref="ReplicationMeasures"/> (what crosses the wire) and <see cref="ReplicationKpis"/> (what the engine
/// folds) carry the same KPI rows: a row added to one and not the other fails here.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ReplicationMeasuresTests(ClusterFixture fixture)
{
    /// <summary>The fields of <see cref="ReplicationKpis"/> that <see cref="ReplicationOutcome"/> carries itself.</summary>
    private static readonly string[] CarriedByTheOutcome = [nameof(ReplicationKpis.Replication), nameof(ReplicationKpis.Events), nameof(ReplicationKpis.Records)];

    private static IEnumerable<(string Name, Type Type)> Properties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.Name != "EqualityContract")
            .Select(p => (p.Name, p.PropertyType))
            .OrderBy(p => p.Name, StringComparer.Ordinal);

    [Fact]
    public void Both_types_have_the_same_rows_under_the_same_names()
    {
        var kpis = Properties(typeof(ReplicationKpis)).Where(p => !CarriedByTheOutcome.Contains(p.Name));
        Assert.Equal(kpis, Properties(typeof(ReplicationMeasures)));
    }

    [Fact]
    public void Rows_measured_on_a_silo_come_back_equal_after_the_wire()
    {
        var scenario = TestScenarios.Mixed(intervals: 4);
        var measured = RunAccumulator.Measure(scenario, InlineEngine.RunReplication(scenario, 5, 2), returnRecords: false);
        Assert.NotNull(measured.IntervalsByCallType);
        var outcome = new ReplicationOutcome(measured.Replication, null, measured.Events, ["here"], GrainRunner.ToMeasures(measured));
        var serializer = fixture.Client.ServiceProvider.GetRequiredService<Serializer>();
        var copy = serializer.Deserialize<ReplicationOutcome>(serializer.SerializeToArray(outcome)) ?? throw new InvalidOperationException("Nothing came back");
        var back = GrainRunner.ToReplicationKpis(scenario, copy);

        Assert.Equal(measured.Replication, back.Replication);
        Assert.Equal(measured.Events, back.Events);
        Assert.Equal(measured.Overall, back.Overall);
        Assert.Equal(measured.ByCallType.Length, back.ByCallType.Length);
        for (var t = 0; t < measured.ByCallType.Length; t++)
        {
            Assert.Equal(measured.ByCallType[t], back.ByCallType[t]);
        }
        Assert.Equal(measured.Intervals, back.Intervals);
        Assert.Equal(measured.IntervalsByCallType, back.IntervalsByCallType);
        Assert.Null(back.Records);
    }

    /// <summary>A scenario with a playbook, and a replication's firings given in its records (as the router records them).</summary>
    private static (ScenarioDefinition Scenario, ReplicationResult Result, PlaybookFiring[] Firings) WithFirings()
    {
        var scenario = TestScenarios.Mixed(intervals: 4) with
        {
            Playbook = new PlaybookSpec(
            [
                new PlaybookRuleSpec("overflow", new QueueCondition(PlaybookScope.All, 10), []) { AfterSeconds = 300 },
                new PlaybookRuleSpec("message", new ClockCondition(36_000), []) { CooldownSeconds = 600 },
            ], 60),
        };
        var result = InlineEngine.RunReplication(scenario, 5, 2);
        PlaybookFiring[] firings = [new(0, 1, 1200, 1500), new(1, 1, 1800, 1800), new(1, 2, 2400, 2400)];
        var records = Recorder.FromState(result.Records.ToState() with { PlaybookFirings = firings });
        return (scenario, result with { Records = records }, firings);
    }

    private T RoundTrip<T>(T value)
    {
        var serializer = fixture.Client.ServiceProvider.GetRequiredService<Serializer>();
        return serializer.Deserialize<T>(serializer.SerializeToArray(value)) ?? throw new InvalidOperationException("Nothing came back");
    }

    [Fact]
    public void Playbook_firings_measured_on_a_silo_come_back_after_the_wire()
    {
        var (scenario, result, firings) = WithFirings();
        var measured = RunAccumulator.Measure(scenario, result, returnRecords: false);
        Assert.Equal(firings, measured.PlaybookFirings);
        var outcome = new ReplicationOutcome(measured.Replication, null, measured.Events, ["here"], GrainRunner.ToMeasures(measured));
        var back = GrainRunner.ToReplicationKpis(scenario, RoundTrip(outcome));
        Assert.Equal(firings, back.PlaybookFirings);

        // None fired: null on both sides.
        var none = RunAccumulator.Measure(scenario, InlineEngine.RunReplication(scenario with { Playbook = null }, 5, 2), returnRecords: false);
        var noneBack = GrainRunner.ToReplicationKpis(scenario, RoundTrip(new ReplicationOutcome(none.Replication, null, none.Events, ["here"], GrainRunner.ToMeasures(none))));
        Assert.Null(noneBack.PlaybookFirings);
    }

    [Fact]
    public void Playbook_firings_in_the_records_come_back_after_the_wire()
    {
        var (scenario, result, firings) = WithFirings();
        var outcome = new ReplicationOutcome(result.Replication, result.Records.ToState(), result.Events, ["here"]);
        var back = GrainRunner.ToReplicationKpis(scenario, RoundTrip(outcome));
        Assert.Equal(firings, back.Records!.Records.PlaybookFirings);
        Assert.Equal(firings, back.PlaybookFirings);
    }

    [Theory]
    [InlineData(ReplicationOutput.Kpis, false, false)]
    [InlineData(ReplicationOutput.Records, true, false)]
    [InlineData(ReplicationOutput.CallLog, true, true)]
    public async Task A_replication_grain_hands_back_what_the_job_asks_for(ReplicationOutput output, bool records, bool callLog)
    {
        var scenario = TestScenarios.Mixed(intervals: 2);
        var host = GrainReplicationHost.ReplicationGrains(fixture.Client);
        var job = new ReplicationJob(scenario, 3, 1, host.NewRunId(scenario, 3), output);
        var kpis = await host.RunAsync(job, CancellationToken.None);
        var local = await new LocalThreadsHost().RunAsync(job, CancellationToken.None);

        Assert.Equal(records, kpis.Records is not null);
        Assert.Equal(callLog, kpis.Records?.Records.CallLog is not null);
        Assert.Equal(local.Overall, kpis.Overall);
        Assert.Equal(local.Intervals, kpis.Intervals);
    }
}
