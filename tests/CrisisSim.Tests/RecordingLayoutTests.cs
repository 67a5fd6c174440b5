using CrisisSim.Engine;
using CrisisSim.Model.Distributions;
using CrisisSim.Model.Recording;
using CrisisSim.Model.Scenario;
using CrisisSim.Testing;

namespace CrisisSim.Tests;

/// <summary>Beyond <see cref="RunLimits.MaxCallTypeIntervalCells"/>, a replication run for its KPIs records each interval
/// over all call types and each call type over the reporting window, not a row of intervals per call type: the same
/// KPIs, in memory that follows intervals + call types.</summary>
[Collection(nameof(AllocationCollection))]
public sealed class RecordingLayoutTests
{
    [Fact]
    public async Task Beyond_the_cell_limit_a_replication_run_for_its_kpis_allocates_no_row_per_call_type_and_interval()
    {
        // 5,000 call types x 11 intervals: one table of rows per call type is 5,000 x 11 x 29 counters of 8 bytes.
        var scenario = ManyTypes(types: 5_000, intervals: 11, callsPerInterval: 1);
        Assert.False(RunLimits.KeepsCallTypeIntervals(scenario));
        var host = new LocalThreadsHost(1);
        await Allocated(host, scenario, ReplicationOutput.Kpis);
        var withRecords = await Allocated(host, scenario, ReplicationOutput.Records);
        var kpisOnly = await Allocated(host, scenario, ReplicationOutput.Kpis);
        long table = (long)scenario.IntervalCount * scenario.CallTypes.Count * CallCounter.Count * sizeof(double);
        Assert.True(kpisOnly < withRecords - 2 * table,
            $"A replication run for its KPIs allocated {kpisOnly:N0} bytes, one run for its records {withRecords:N0}: rows per call type and interval ({table:N0} bytes a table) are still recorded");
    }

    [Fact]
    public void Beyond_the_cell_limit_the_kpis_are_those_of_the_rows_per_call_type()
    {
        var scenario = ManyTypes(types: 3, intervals: 17_000, callsPerInterval: 0.4) with { WarmupSeconds = 3 * 900 };
        Assert.False(RunLimits.KeepsCallTypeIntervals(scenario));
        var rows = InlineEngine.RunReplication(scenario, 11, 0, keepCallTypeIntervals: true);
        var totals = InlineEngine.RunReplication(scenario, 11, 0, keepCallTypeIntervals: false);
        Assert.True(rows.Records.KeepsCallTypeIntervals);
        Assert.False(totals.Records.KeepsCallTypeIntervals);
        Assert.Throws<InvalidOperationException>(() => totals.Records.Calls(0, 0));
        Assert.Equal(rows.Events, totals.Events);
        var expected = RunAccumulator.Measure(scenario, rows, returnRecords: false);
        var actual = RunAccumulator.Measure(scenario, totals, returnRecords: false);
        AssertSame(expected.Overall, actual.Overall);
        for (var t = 0; t < scenario.CallTypes.Count; t++)
        {
            AssertSame(expected.ByCallType[t], actual.ByCallType[t]);
        }
        AssertSame(expected.Intervals, actual.Intervals);
        Assert.True(actual.Overall[KpiCatalog.Offered] > 10_000);
        Assert.True(actual.Overall[KpiCatalog.Abandoned] > 0);

        // What a grain carries back gives the same KPIs, to the bit.
        var carried = new ReplicationResult(0, Recorder.FromState(totals.Records.ToState()), totals.Events);
        var again = RunAccumulator.Measure(scenario, carried, returnRecords: false);
        Assert.Equal(actual.Overall, again.Overall);
        Assert.Equal(actual.Intervals, again.Intervals);
        Assert.Equal(actual.ByCallType.SelectMany(r => r), again.ByCallType.SelectMany(r => r));
    }

    [Fact]
    public void With_one_call_type_the_kpis_without_rows_are_those_with_rows_to_the_bit()
    {
        var scenario = TestScenarios.Single(0.2, 180, 38, 300, 20, intervalSeconds: 60, intervals: 400) with { WarmupSeconds = 600 };
        var rows = InlineEngine.RunReplication(scenario, 6, 0, keepCallTypeIntervals: true);
        var intervals = InlineEngine.RunReplication(scenario, 6, 0, keepCallTypeIntervals: false);
        Assert.True(rows.Records.KeepsCallTypeIntervals);
        Assert.False(intervals.Records.KeepsCallTypeIntervals);
        var expected = RunAccumulator.Measure(scenario, rows, returnRecords: false);
        var actual = RunAccumulator.Measure(scenario, intervals, returnRecords: false);
        Assert.Equal(expected.Overall, actual.Overall);
        Assert.Equal(expected.ByCallType[0], actual.ByCallType[0]);
        Assert.Equal(expected.Intervals, actual.Intervals);
        Assert.True(actual.Overall[KpiCatalog.Abandoned] > 0 && actual.Overall[KpiCatalog.Answered] > 0);
    }

    [Fact]
    public void A_call_type_s_totals_cover_only_the_reporting_window()
    {
        var scenario = ManyTypes(types: 3, intervals: 17_000, callsPerInterval: 0.4) with { WarmupSeconds = 3 * 900 };
        var records = InlineEngine.RunReplication(scenario, 4, 0, keepCallTypeIntervals: false).Records;
        Assert.Equal(3, records.FirstCountedInterval);
        Assert.Throws<ArgumentException>(() => KpiValues.From(records, 0, scenario.IntervalCount - 1, 0));
        var offered = Enumerable.Range(0, 3).Sum(t => records.CallTypeTotals(t).Offered);
        var inWindow = Enumerable.Range(3, scenario.IntervalCount - 3).Sum(k => records.IntervalCalls(k).Offered);
        Assert.Equal(inWindow, offered);
        Assert.True(Enumerable.Range(0, 3).Sum(k => records.IntervalCalls(k).Offered) > 0);
    }

    [Fact]
    public void Groups_of_one_call_type_each_hold_no_slot_for_every_call_type()
    {
        // 3,000 call types, each served by a group of its own: a slot per call type in every group is 3,000 x 3,000 x 8 bytes.
        const int types = 3_000;
        var names = Enumerable.Range(0, types).Select(i => "t" + i).ToArray();
        var scenario = TestScenarios.Mixed(4, drainSeconds: 3600) with
        {
            CallTypes = [.. names.Select(n => new CallTypeSpec(n, [.. Enumerable.Repeat(1.0, 4)], new ExponentialSpec(120), new ExponentialSpec(180)))],
            Groups = [.. names.Select(n => new OperatorGroupSpec("g" + n, [n], [.. Enumerable.Repeat(1, 4)], null))],
        };
        var center = new CrisisSim.Model.Components.ContactCenter(scenario, 1, 0);
        var recorders = Enumerable.Range(0, center.Layout.ComponentCount).Select(_ => center.NewRecorder(false)).ToArray();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var components = center.CreateComponents(recorders);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(center.Layout.ComponentCount, components.Length);
        long slots = (long)types * types * sizeof(long);
        Assert.True(allocated < slots / 2, $"Building the components allocated {allocated:N0} bytes, a slot per call type in every group being {slots:N0}");
        var records = InlineEngine.RunReplication(scenario, 1, 0).Records;
        Assert.True(KpiValues.From(records, 0, 3).Answered > 0);
    }

    private static async Task<long> Allocated(IReplicationHost host, ScenarioDefinition scenario, ReplicationOutput output)
    {
        GC.Collect();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var kpis = await host.RunAsync(new ReplicationJob(scenario, 3, 0, "", output), CancellationToken.None);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.True(kpis.Overall[KpiCatalog.Offered] > 0);
        return allocated;
    }

    private static void AssertSame(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            if (double.IsNaN(expected[i]))
            {
                Assert.True(double.IsNaN(actual[i]), $"value {i}: NaN expected, {actual[i]} found");
                continue;
            }
            // Time sums may differ in their last bits: the same waits added in another order.
            Assert.Equal(expected[i], actual[i], 1e-9 * Math.Max(1, Math.Abs(expected[i])));
        }
    }

    private static ScenarioDefinition ManyTypes(int types, int intervals, double callsPerInterval)
    {
        var names = Enumerable.Range(0, types).Select(i => "t" + i).ToArray();
        return TestScenarios.Mixed(intervals, drainSeconds: 3600) with
        {
            Name = "many-types",
            CallTypes = [.. names.Select((n, i) => new CallTypeSpec(n, [.. Enumerable.Repeat(callsPerInterval, intervals)], new ExponentialSpec(120), new ExponentialSpec(240), Priority: i % 2))],
            Groups =
            [
                new OperatorGroupSpec("all", names, [.. Enumerable.Repeat(Math.Max(1, (int)(types * callsPerInterval * 240 / 900 * 0.9)), intervals)], null),
                new OperatorGroupSpec("half", names[..Math.Max(1, types / 2)], [.. Enumerable.Repeat(1, intervals)], new ExponentialSpec(300)),
            ],
        };
    }
}

[CollectionDefinition(nameof(AllocationCollection), DisableParallelization = true)]
public sealed class AllocationCollection;
