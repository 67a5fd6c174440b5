using CrisisSim.Testing;
using CrisisSim.Engine;
using CrisisSim.Model.Recording;
using CrisisSim.Model.Scenario;
using CrisisSim.Reporting;

namespace CrisisSim.Grains.Tests;

/// <summary>Same scenario and seed: the grains give exactly what the inline engine gives.</summary>
[Collection(ClusterCollection.Name)]
public sealed class EquivalenceTests(ClusterFixture fixture)
{
    private const int Replications = 2;

    public static TheoryData<string> ScenarioFiles() => [.. GrainTestScenarios.Files()];

    public static TheoryData<string> CodeBuilt() => [.. GrainTestScenarios.CodeBuiltNames()];

    [Theory]
    [MemberData(nameof(ScenarioFiles))]
    public Task Model_grains_give_the_inline_call_log_and_summary_for_scenario_file(string file) =>
        AssertModelGrainsMatchInline(GrainTestScenarios.File(file), seed: 11);

    [Theory]
    [MemberData(nameof(CodeBuilt))]
    public Task Model_grains_give_the_inline_call_log_and_summary_for_code_built_scenario(string name) =>
        AssertModelGrainsMatchInline(GrainTestScenarios.CodeBuilt(name), seed: 7);

    [Theory]
    [MemberData(nameof(ScenarioFiles))]
    public Task Replication_grains_give_the_inline_summary_for_scenario_file(string file) =>
        AssertReplicationGrainsMatchInline(GrainTestScenarios.File(file), seed: 5);

    [Theory]
    [MemberData(nameof(CodeBuilt))]
    public Task Replication_grains_give_the_inline_summary_for_code_built_scenario(string name) =>
        AssertReplicationGrainsMatchInline(GrainTestScenarios.CodeBuilt(name), seed: 3);

    [Fact]
    public void Code_built_scenarios_reach_the_paths_they_are_meant_for()
    {
        static CallCounters Totals(ScenarioDefinition s)
        {
            var records = InlineEngine.RunReplication(s, 7, 0).Records;
            var sum = CallCounters.Sum();
            for (var k = 0; k < s.IntervalCount; k++)
            {
                for (var t = 0; t < s.CallTypes.Count; t++)
                {
                    sum.Add(records.Calls(k, t));
                }
            }
            return sum;
        }
        Assert.True(Totals(TestScenarios.Closing()).Unserved > 50);
        Assert.True(Totals(TestScenarios.Mixed()).Abandoned > 0);
        var journey = Totals(TestScenarios.Journey());
        Assert.True(journey[CallCounter.Blocked] > 20 && journey[CallCounter.Deflected] > 20 && journey[CallCounter.Balked] > 20 && journey[CallCounter.Redials] > 50 && journey[CallCounter.Closed] > 20
            && journey[CallCounter.CallbacksInTime] + journey[CallCounter.CallbacksLate] > 10 && journey[CallCounter.TransfersOut] > 10);
        var outbound = Totals(TestScenarios.Outbound());
        Assert.True(outbound[CallCounter.OutboundInTime] > 10 && outbound[CallCounter.OutboundLate] > 10 && outbound[CallCounter.OutboundUnreached] > 10 && outbound[CallCounter.OutboundMissed] > 10);
        var playbook = InlineEngine.RunReplication(TestScenarios.Playbook(), 7, 0).Records.PlaybookFirings;
        Assert.True(playbook.Select(f => f.Rule).Distinct().Count() == TestScenarios.Playbook().Playbook!.Rules.Count, "a rule of the playbook scenario never fires");
        Assert.Contains(playbook, f => f.Firing > 1);
        var ties = Totals(TestScenarios.Ties());
        Assert.True(ties.Abandoned > 0 && ties.Answered > 0);
        var log = InlineEngine.RunReplication(TestScenarios.Ties(), 7, 0, keepCallLog: true).Records.CallLog!;
        Assert.True(log.GroupBy(c => c.WaitEnd).Any(g => g.Count() > 1), "no two calls end their wait at the same instant");
        var overflow = InlineEngine.RunReplication(GrainTestScenarios.CodeBuilt("overflow"), 7, 0, keepCallLog: true).Records.CallLog!;
        Assert.True(overflow.Count(c => c.Outcome == CallOutcome.Answered && c.Group == 1 && Math.Abs(c.Wait - 60) < 1e-6) > 5, "no call answered by a wake-up");
        var plugin = InlineEngine.RunReplication(GrainTestScenarios.CodeBuilt("plugin"), 7, 0, keepCallLog: true).Records.CallLog!;
        Assert.NotEqual(InlineEngine.RunReplication(TestScenarios.Mixed(), 7, 0, keepCallLog: true).Records.CallLog!, plugin);
        // Recorded calls: talks of their recorded length (times the agents' 1.25 on information calls) at a first attempt
        // and after a redial, and recorded patience met; the journey around them too.
        var recorded = TestScenarios.Recorded();
        var info = (RecordedArrivalSpec)recorded.CallTypes[0].Arrivals;
        var recordedLog = InlineEngine.RunReplication(recorded, 7, 0, keepCallLog: true).Records.CallLog!;
        bool TalksAsRecorded(CallRecord c) => c.Outcome == CallOutcome.Answered && c.CallType == 0 && c.Group == 0
            && info.HandleSeconds![(int)Model.Components.CallIds.Index(c.CallId, 3)] is var h && !float.IsNaN(h) && Math.Abs(c.EndTime - c.WaitEnd - 1.25 * h) < 1e-9;
        Assert.Contains(recordedLog, c => TalksAsRecorded(c) && Model.Components.CallIds.Attempt(c.CallId) == 1);
        Assert.Contains(recordedLog, c => TalksAsRecorded(c) && Model.Components.CallIds.Attempt(c.CallId) > 1);
        Assert.Contains(recordedLog, c => c.Outcome == CallOutcome.Abandoned && c.CallType == 0 && Model.Components.CallIds.Attempt(c.CallId) == 1
            && info.PatienceSeconds![(int)Model.Components.CallIds.Index(c.CallId, 3)] is var p && Math.Abs(c.Wait - 45 - p) < 1e-9);
        var recordedTotals = Totals(recorded);
        Assert.True(recordedTotals[CallCounter.Redials] > 20 && recordedTotals[CallCounter.TransfersOut] > 5
            && recordedTotals[CallCounter.CallbacksInTime] + recordedTotals[CallCounter.CallbacksLate] > 5);
    }

    [Fact]
    public async Task The_hand_made_log_replayed_on_grains_gives_back_every_recorded_talk_and_wait()
    {
        foreach (var date in new[] { RecordedTrace.Monday, RecordedTrace.Tuesday })
        {
            var scenario = RecordedTrace.Scenario(date);
            var grains = await GrainRunner.RunModelGrainsAsync(fixture.Client, scenario, 17, Replications, keepCallLog: true);
            AssertSameRun(SimulationRunner.RunInline(scenario, 17, Replications, keepCallLog: true), grains);
            var day = RecordedTrace.Day(date);
            foreach (var replication in grains.Replications)
            {
                var log = replication.Records.CallLog!;
                Assert.Equal(day.Count, log.Count);
                foreach (var call in log)
                {
                    var recorded = day[(int)Model.Components.CallIds.Index(call.CallId, 1)];
                    Assert.Equal((double)recorded.QueueSeconds, call.Wait);
                    Assert.Equal(recorded.Outcome == Traces.TraceOutcome.Answered ? (double)recorded.HandleSeconds : 0, call.EndTime - call.WaitEnd);
                }
            }
        }
    }

    private async Task AssertModelGrainsMatchInline(ScenarioDefinition scenario, long seed)
    {
        var inline = SimulationRunner.RunInline(scenario, seed, Replications, keepCallLog: true);
        var grains = await GrainRunner.RunModelGrainsAsync(fixture.Client, scenario, seed, Replications, keepCallLog: true);
        AssertSameRun(inline, grains);
    }

    private async Task AssertReplicationGrainsMatchInline(ScenarioDefinition scenario, long seed)
    {
        var inline = SimulationRunner.RunInline(scenario, seed, Replications, keepCallLog: true);
        var grains = await GrainRunner.RunReplicationsAsync(fixture.Client, scenario, seed, Replications, keepCallLog: true);
        AssertSameRun(inline, grains);
    }

    internal static void AssertSameRun(RunResult expected, RunResult actual)
    {
        Assert.Equal(expected.Replications.Count, actual.Replications.Count);
        for (var r = 0; r < expected.Replications.Count; r++)
        {
            var e = expected.Replications[r];
            var a = actual.Replications[r];
            Assert.Equal(e.Replication, a.Replication);
            Assert.NotEmpty(e.Records.CallLog!);
            Assert.Equal(e.Records.CallLog!, a.Records.CallLog!);
            Assert.Equal(e.Records.PlaybookFirings, a.Records.PlaybookFirings);
            Assert.Equal(e.Events, a.Events);
        }
        Assert.Equal(SummaryJson.ToText(expected), SummaryJson.ToText(actual));
        AssertSameCallTypeIntervals(expected, actual);
    }

    /// <summary>The per-interval KPIs of each call type, value for value (NaN equal to NaN).</summary>
    internal static void AssertSameCallTypeIntervals(RunResult expected, RunResult actual)
    {
        Assert.Equal(expected.IntervalsByCallType.Count, actual.IntervalsByCallType.Count);
        for (var t = 0; t < expected.IntervalsByCallType.Count; t++)
        {
            for (var k = 0; k < expected.Scenario.IntervalCount; k++)
            {
                Assert.Equal(expected.IntervalsByCallType[t][k].Kpis.Scalars, actual.IntervalsByCallType[t][k].Kpis.Scalars);
            }
        }
    }

    [Fact]
    public async Task Beyond_the_cell_limit_every_host_gives_the_inline_summary_without_rows_per_call_type()
    {
        // 50 call types x 1,001 intervals: more cells than a run keeps rows for, so each component records interval and
        // call-type totals, and the hosts merge them.
        var mixed = TestScenarios.Mixed(1_001, drainSeconds: 3600);
        var names = Enumerable.Range(0, 50).Select(i => "t" + i).ToArray();
        var scenario = mixed with
        {
            Name = "wide",
            WarmupSeconds = 2 * 900,
            CallTypes = [.. names.Select((n, i) => mixed.CallTypes[i % 2] with { Name = n, Arrivals = new PoissonArrivalSpec([.. Enumerable.Repeat(0.05, 1_001)]) })],
            Groups =
            [
                mixed.Groups[0] with { Serves = names, Staffing = [.. Enumerable.Repeat(1, 1_001)] },
                mixed.Groups[1] with { Serves = names[..10], Staffing = [.. Enumerable.Repeat(1, 1_001)] },
            ],
        };
        Assert.False(RunLimits.KeepsCallTypeIntervals(scenario));
        Assert.False(InlineEngine.RunReplication(scenario, 9, 0, keepCallTypeIntervals: false).Records.KeepsCallTypeIntervals);
        var inline = SimulationRunner.RunInline(scenario, 9, Replications);
        var expected = SummaryJson.ToText(inline);
        Assert.Equal(expected, SummaryJson.ToText(await GrainRunner.RunModelGrainsAsync(fixture.Client, scenario, 9, Replications)));
        Assert.Equal(expected, SummaryJson.ToText(await GrainRunner.RunReplicationsAsync(fixture.Client, scenario, 9, Replications)));
        Assert.True(inline.Overall["offered"].Mean > 1_000);
    }

    [Fact]
    public async Task Replication_grains_measuring_on_the_silo_give_the_inline_intervals_of_each_call_type()
    {
        var scenario = GrainTestScenarios.CodeBuilt(GrainTestScenarios.CodeBuiltNames().First(n => GrainTestScenarios.CodeBuilt(n).CallTypes.Count > 1));
        var inline = SimulationRunner.RunInline(scenario, 21, 3);
        var grains = await GrainRunner.RunReplicationsAsync(fixture.Client, scenario, 21, 3);
        Assert.NotEmpty(inline.IntervalsByCallType);
        AssertSameCallTypeIntervals(inline, grains);
    }
}
