using CrisisSim.Engine;
using CrisisSim.Model.Scenario;
using CrisisSim.Testing;

namespace CrisisSim.Tests;

/// <summary>The KPIs of every interval for each call type: counts add up to the interval's counts over all call types,
/// and they are the per-replication values of that call type alone.</summary>
public sealed class CallTypeIntervalTests
{
    [Fact]
    public void Counts_of_the_call_types_add_up_to_the_interval_counts_in_every_interval()
    {
        var scenario = TestScenarios.Mixed();
        Assert.True(scenario.CallTypes.Count > 1);
        var run = SimulationRunner.RunInline(scenario, 5, 4);
        Assert.Equal(scenario.CallTypes.Count, run.IntervalsByCallType.Count);
        foreach (var kpi in new[] { "offered", "answered", "abandoned", "unserved" })
        {
            for (var k = 0; k < scenario.IntervalCount; k++)
            {
                var sum = run.IntervalsByCallType.Sum(type => type[k].Kpis[kpi].Mean);
                Assert.Equal(run.Intervals[k].Kpis[kpi].Mean, sum, 9);
            }
        }
        Assert.Contains(run.IntervalsByCallType[0], i => i.Kpis["offered"].Mean > 0);
        Assert.True(run.IntervalsByCallType.All(t => t.All(i => i.Kpis.OccupancyByGroup.Count == 0)));
    }

    [Fact]
    public void A_call_type_s_interval_estimate_is_the_mean_of_its_replications_values()
    {
        var scenario = TestScenarios.Mixed();
        var run = SimulationRunner.RunInline(scenario, 8, 3, keepCallLog: true);
        const int type = 1;
        for (var k = 0; k < scenario.IntervalCount; k++)
        {
            var values = run.Replications.Select(r => KpiValues.From(r.Records, k, k, type).ServiceLevel).Where(v => !double.IsNaN(v)).ToArray();
            var estimate = run.IntervalsByCallType[type][k].Kpis["service_level"];
            Assert.Equal(values.Length, estimate.Count);
            if (values.Length > 0)
            {
                Assert.Equal(values.Average(), estimate.Mean, 12);
            }
        }
    }

    [Fact]
    public void One_call_type_or_too_many_cells_keep_no_per_call_type_intervals()
    {
        var single = TestScenarios.Single(0.05, 60, 3, null, 20);
        Assert.Empty(SimulationRunner.RunInline(single, 1, 2).IntervalsByCallType);
        var wide = TestScenarios.Mixed();
        var types = RunLimits.MaxCallTypeIntervalCells / wide.IntervalCount + 1;
        var many = wide with { CallTypes = [.. Enumerable.Range(0, types).Select(i => wide.CallTypes[0] with { Name = "t" + i })] };
        Assert.False(RunLimits.KeepsCallTypeIntervals(many));
        Assert.True(RunLimits.KeepsCallTypeIntervals(wide));
    }

    [Fact]
    public void Wait_percentiles_are_read_from_the_wait_histograms_and_ordered()
    {
        var scenario = TestScenarios.Mixed();
        var run = SimulationRunner.RunInline(scenario, 3, 2, keepCallLog: true);
        var records = run.Replications[0].Records;
        for (var k = 0; k < scenario.IntervalCount; k++)
        {
            var values = KpiValues.From(records, k, k, 0);
            var histogram = records.Waits(k, 0);
            if (histogram is null || histogram.Count == 0)
            {
                Assert.True(double.IsNaN(values["p50_wait"]));
                continue;
            }
            Assert.Equal(histogram.Quantile(0.5), values["p50_wait"]);
            Assert.Equal(histogram.Quantile(0.95), values["p95_wait"]);
            Assert.InRange(values["p90_wait"], values["p50_wait"], values["p95_wait"]);
        }
        var overall = run.Overall;
        Assert.InRange(overall["p90_wait"].Mean, overall["p50_wait"].Mean, overall["p95_wait"].Mean);
    }
}
