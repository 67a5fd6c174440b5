using System.Diagnostics;
using CrisisSim.Testing;
using CrisisSim.Engine;
using CrisisSim.Model.Components;
using CrisisSim.Model.Recording;
using CrisisSim.Model.Scenario;
using CrisisSim.Reporting;
using Orleans.Runtime;

namespace CrisisSim.Grains.Tests;

/// <summary>Where runs execute and what is left of them afterwards: results independent of concurrency, every grain
/// of a run on one silo, runs spread over silos, grains released when a run ends.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RunHostingTests(ClusterFixture fixture)
{
    private static readonly ScenarioDefinition Small = TestScenarios.Mixed(intervals: 3);

    [Fact]
    public async Task A_model_grain_replication_does_not_depend_on_the_runs_beside_it()
    {
        var client = fixture.Client;
        var alone = await GrainRunner.RunModelGrainReplicationAsync(client, "alone-model", new RunRequest(Small, 9, 3, ReplicationOutput.CallLog));
        var among = await GrainRunner.RunModelGrainsAsync(client, Small, 9, 6, keepCallLog: true, parallelism: 6, runId: "among-model");
        AssertSameReplication(alone, among.Replications[3]);
    }

    [Fact]
    public async Task A_replication_grain_does_not_depend_on_the_replications_beside_it()
    {
        var client = fixture.Client;
        var alone = await GrainRunner.RunReplicationGrainAsync(client, "alone-replication", new RunRequest(Small, 9, 3, ReplicationOutput.CallLog));
        var among = await GrainRunner.RunReplicationsAsync(client, Small, 9, 6, keepCallLog: true, parallelism: 6, runId: "among-replication");
        AssertSameReplication(alone, among.Replications[3]);
    }

    [Fact]
    public async Task Every_grain_of_a_run_is_on_the_silo_its_run_id_hashes_to_and_runs_spread_over_silos()
    {
        var silos = fixture.Cluster.GetActiveSilos().Select(s => s.SiloAddress).ToArray();
        Assert.Equal(ClusterFixture.SiloCount, silos.Length);
        var runIds = Enumerable.Range(0, 8).Select(i => $"placement-{i}").ToArray();
        var outcomes = await Task.WhenAll(runIds.Select(id =>
            GrainRunner.RunModelGrainReplicationAsync(fixture.Client, id, new RunRequest(Small, 1, 0, ReplicationOutput.Records))));
        for (var i = 0; i < runIds.Length; i++)
        {
            var expected = RunPlacementDirector.Choose(runIds[i], silos).ToString();
            Assert.Equal(1 + new ContactCenterShape(Small).Components, outcomes[i].Silos.Length);
            Assert.All(outcomes[i].Silos, s => Assert.Equal(expected, s));
        }
        Assert.Equal(silos.Length, outcomes.Select(o => o.Silos[0]).Distinct().Count());
    }

    [Fact]
    public async Task Replication_grains_spread_over_the_silos()
    {
        var silos = fixture.Cluster.GetActiveSilos().Select(s => s.SiloAddress).ToArray();
        var run = await GrainRunner.RunReplicationsAsync(fixture.Client, Small, 1, 8, keepCallLog: false, parallelism: 8, runId: "spread");
        var hosts = new List<string>();
        for (var r = 0; r < 8; r++)
        {
            var id = RunKeys.Replication("spread", r);
            var outcome = await GrainRunner.RunReplicationGrainAsync(fixture.Client, id, new RunRequest(Small, 1, r, ReplicationOutput.Records));
            Assert.Equal(RunPlacementDirector.Choose(id, silos).ToString(), Assert.Single(outcome.Silos));
            hosts.Add(outcome.Silos[0]);
        }
        Assert.Equal(silos.Length, hosts.Distinct().Count());
        Assert.Equal(8, run.ReplicationCount);
    }

    [Fact]
    public async Task Run_grains_are_released_when_runs_end()
    {
        await GrainRunner.RunModelGrainsAsync(fixture.Client, Small, 2, 4, keepCallLog: false, parallelism: 4, runId: "released");
        await GrainRunner.RunReplicationsAsync(fixture.Client, Small, 2, 4, keepCallLog: false, parallelism: 4, runId: "released-replications");
        await AssertNoRunGrainsLeft();
        // A finished run id can be used again: its grains start afresh.
        var again = await GrainRunner.RunModelGrainsAsync(fixture.Client, Small, 2, 4, keepCallLog: false, parallelism: 4, runId: "released");
        Assert.Equal(SummaryJson.ToText(SimulationRunner.RunInline(Small, 2, 4)), SummaryJson.ToText(again));
        await AssertNoRunGrainsLeft();
    }

    [Fact]
    public async Task A_cancelled_run_stops_and_releases_its_grains()
    {
        var big = TestScenarios.Single(20, 60, 1300, 120, 20, intervalSeconds: 3600, intervals: 8, name: "big");
        using var cancel = new CancellationTokenSource();
        var run = GrainRunner.RunModelGrainReplicationAsync(fixture.Client, "cancelled", new RunRequest(big, 1, 0, ReplicationOutput.Records), cancel.Token);
        try
        {
            // The clock and its components are seen active while the run goes on...
            var seen = Array.Empty<string>();
            for (var attempt = 0; attempt < 200 && seen.Length < 4 && !run.IsCompleted; attempt++)
            {
                seen = await ActiveRunGrainTypes();
                await Task.Delay(10);
            }
            Assert.Contains(seen, t => t.Contains(typeof(RunClockGrain).FullName + ",", StringComparison.Ordinal));
            Assert.Contains(seen, t => t.Contains(typeof(RouterGrain).FullName + ",", StringComparison.Ordinal));
        }
        finally
        {
            // ... and are gone once it is cancelled.
            await cancel.CancelAsync();
        }
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        await AssertNoRunGrainsLeft();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Cancelling_a_long_run_stops_its_work_on_the_silo_promptly_and_releases_its_grains(bool modelGrains)
    {
        // Minutes of work per replication on either host; routed by the probe, which counts the calls routed.
        var big = TestScenarios.Single(50, 60, 3100, 120, 20, intervalSeconds: 3600, intervals: 48, name: "cancel-long") with { Routing = Probe.Routing() };
        using var cancel = new CancellationTokenSource();
        var routed = Probe.Calls;
        var run = modelGrains
            ? GrainRunner.RunModelGrainsAsync(fixture.Client, big, 1, 4, keepCallLog: false, parallelism: 2, cancellationToken: cancel.Token)
            : GrainRunner.RunReplicationsAsync(fixture.Client, big, 1, 4, keepCallLog: false, parallelism: 4, runId: GrainRunner.NewRunId(big, 1), cancellationToken: cancel.Token);
        await Probe.Until(() => Probe.Calls > routed, TimeSpan.FromSeconds(60), "the run under way on the silo",
            () => run.IsCompleted ? "the run ended first: " + run.Status : null);
        Assert.False(run.IsCompleted);
        var clock = Stopwatch.StartNew();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"The run took {clock.Elapsed.TotalSeconds:F1} s to stop");
        await AssertNoRunGrainsLeft();
        // Nothing of the run goes on in the silos: no more deliveries (model grains), no call routed by any of its
        // replications (replication grains run the inline engine on thread-pool threads of this process, which hosts
        // the silos), over a second; the run's own count, not the process's CPU, which other tests share.
        var deliveries = Deliveries.Snapshot();
        var routedAtStop = Probe.Calls;
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(deliveries, Deliveries.Snapshot());
        Assert.True(Probe.Calls == routedAtStop, $"The run routed {Probe.Calls - routedAtStop} calls in the second after it stopped");
    }

    [Fact]
    public async Task Caller_grains_play_arrivals_ahead_and_other_components_get_one_call_per_message()
    {
        var scenario = GrainTestScenarios.File("bench/w-small.yaml");
        var before = Deliveries.Snapshot();
        var outcome = await GrainRunner.RunModelGrainReplicationAsync(fixture.Client, "played-ahead", new RunRequest(scenario, 4, 0, ReplicationOutput.Records));
        var after = Deliveries.Snapshot();
        var offered = (long)KpiValues.From(Recorder.FromState(outcome.Records!), 0, scenario.IntervalCount - 1).Offered;
        var callerCalls = after.Callers - before.Callers;
        var otherCalls = after.Others - before.Others;
        // One call type: its source wakes up once every ArrivalsAhead calls (the calls between are the router's timers).
        Assert.Single(scenario.CallTypes);
        var wakeUps = offered / CallerSource.ArrivalsAhead(scenario.CallTypes.Count);
        Assert.InRange(callerCalls, wakeUps / (CallerGrain.ArrivalsPlayedAhead + 1), wakeUps / CallerGrain.ArrivalsPlayedAhead + 1);
        // Every message but the source's wake-ups took one grain call.
        Assert.Equal(outcome.Events - wakeUps, otherCalls);
    }

    private async Task<string[]> ActiveRunGrainTypes()
    {
        var stats = await fixture.Client.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        return [.. stats.Where(s => s.ActivationCount > 0 && s.GrainType.StartsWith("CrisisSim.Grains.", StringComparison.Ordinal))
            .Select(s => s.GrainType).Distinct()];
    }

    private async Task AssertNoRunGrainsLeft()
    {
        string[] left = [];
        for (var attempt = 0; attempt < 100; attempt++)
        {
            left = await ActiveRunGrainTypes();
            if (left.Length == 0)
            {
                return;
            }
            await Task.Delay(50);
        }
        var details = await fixture.Client.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
        Assert.Fail("Run grains still active: " + string.Join(", ", details
            .Where(d => d.GrainType.StartsWith("CrisisSim.Grains.", StringComparison.Ordinal))
            .Select(d => d.GrainId.ToString())));
    }

    private static void AssertSameReplication(ReplicationOutcome alone, ReplicationResult among)
    {
        var single = GrainRunner.ToReplicationResult(alone);
        Assert.Equal(among.Records.CallLog!, single.Records.CallLog!);
        Assert.Equal(among.Events, single.Events);
        Assert.Equal(
            SummaryJson.ToText(RunResult.Analyze(Small, 9, [among with { Replication = 0 }])),
            SummaryJson.ToText(RunResult.Analyze(Small, 9, [single with { Replication = 0 }])));
    }

    private readonly record struct ContactCenterShape(ScenarioDefinition Scenario)
    {
        public int Components => Scenario.CallTypes.Count + 1 + Scenario.Groups.Count;
    }
}
