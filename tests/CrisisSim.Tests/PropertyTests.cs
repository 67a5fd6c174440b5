using CrisisSim.Engine;
using CrisisSim.Model.Recording;
using CrisisSim.Reporting;
using CrisisSim.Testing;
using FsCheck;
using FsCheck.Fluent;

namespace CrisisSim.Tests;

/// <summary>Invariants that hold for every valid scenario, checked on a few hundred generated ones (FsCheck, fixed
/// replay seed, shrinking to a smaller scenario on failure).</summary>
public sealed class PropertyTests
{
    [Fact]
    public void Every_call_ends_once_and_no_operator_serves_two_calls_at_once() =>
        Prop.ForAll(RandomScenarios.Cases(), c =>
        {
            var s = c.Scenario;
            var result = InlineEngine.RunReplication(s, c.Seed, 0, keepCallLog: true);
            var r = result.Records;
            var log = r.CallLog!;
            long offered = 0;
            for (var k = 0; k < r.IntervalCount; k++)
            {
                for (var t = 0; t < r.CallTypeCount; t++)
                {
                    var counters = r.Calls(k, t);
                    Assert.Equal(counters.Offered, counters.Answered + counters.Abandoned + counters.Unserved);
                    offered += counters.Offered;
                }
            }
            Assert.Equal(offered, log.Count);
            Assert.Equal(log.Count, log.Select(x => x.CallId).Distinct().Count());
            foreach (var call in log)
            {
                Assert.InRange(call.ArrivalTime, 0, s.HorizonSeconds);
                Assert.True(call.Wait >= 0, $"negative wait {call.Wait}");
                Assert.True(call.EndTime >= call.WaitEnd);
                Assert.True(call.WaitEnd <= s.HorizonSeconds + s.DrainSeconds + 1e-6 || call.Outcome == CallOutcome.Answered);
                if (call.Outcome == CallOutcome.Answered)
                {
                    Assert.Contains(s.CallTypes[call.CallType].Name, s.Groups[call.Group].Serves);
                }
            }
            foreach (var byOperator in log.Where(x => x.Outcome == CallOutcome.Answered).GroupBy(x => (x.Group, x.Operator)))
            {
                var calls = byOperator.OrderBy(x => x.WaitEnd).ThenBy(x => x.EndTime).ToArray();
                for (var i = 1; i < calls.Length; i++)
                {
                    Assert.True(calls[i].WaitEnd >= calls[i - 1].EndTime, $"operator {byOperator.Key} serves two calls at {calls[i].WaitEnd}");
                }
            }
        }).Check(RandomScenarios.Config(250));

    [Fact]
    public void With_operator_rules_every_call_ends_once_and_no_operator_works_two_calls_at_once() =>
        Prop.ForAll(RandomScenarios.CasesWithOperators(), c =>
        {
            var s = c.Scenario;
            var r = InlineEngine.RunReplication(s, c.Seed, 0, keepCallLog: true).Records;
            var log = r.CallLog!;
            long offered = 0;
            for (var k = 0; k < r.IntervalCount; k++)
            {
                for (var t = 0; t < r.CallTypeCount; t++)
                {
                    var counters = r.Calls(k, t);
                    Assert.Equal(counters.Offered, counters.Answered + counters.Abandoned + counters.Unserved);
                    offered += counters.Offered;
                }
                for (var g = 0; g < r.GroupCount; g++)
                {
                    Assert.True(r.BusySeconds(k, g) <= r.StaffedSeconds(k, g) + 1e-6, $"group {g} busier than on duty in interval {k}");
                }
            }
            Assert.Equal(offered, log.Count);
            Assert.Equal(log.Count, log.Select(x => x.CallId).Distinct().Count());
            foreach (var byOperator in log.Where(x => x.Outcome == CallOutcome.Answered).GroupBy(x => (x.Group, x.Operator)))
            {
                var calls = byOperator.OrderBy(x => x.WaitEnd).ThenBy(x => x.AfterCallWorkEnd).ToArray();
                Assert.All(calls, x => Assert.True(x.AfterCallWorkEnd >= x.EndTime && x.EndTime >= x.WaitEnd));
                for (var i = 1; i < calls.Length; i++)
                {
                    Assert.True(calls[i].WaitEnd >= calls[i - 1].AfterCallWorkEnd, $"operator {byOperator.Key} works two calls at {calls[i].WaitEnd}");
                }
            }
            foreach (var group in s.Groups.Select((g, i) => (g, i)).Where(x => x.g.Activation is not null))
            {
                var first = s.OnsetSeconds + group.g.Activation!.DelaySeconds;
                Assert.DoesNotContain(log, x => x.Outcome == CallOutcome.Answered && x.Group == group.i && x.WaitEnd < first);
            }
        }).Check(RandomScenarios.Config(200));

    [Fact]
    public void With_operator_rules_the_same_seed_gives_the_same_result_whatever_the_parallelism() =>
        Prop.ForAll(RandomScenarios.CasesWithOperators(), c =>
        {
            var one = SimulationRunner.RunInline(c.Scenario, c.Seed, 3, maxParallelism: 1);
            var two = SimulationRunner.RunInline(c.Scenario, c.Seed, 3, maxParallelism: 2);
            Assert.Equal(SummaryJson.ToText(one), SummaryJson.ToText(two));
        }).Check(RandomScenarios.Config(50));

    [Fact]
    public void Rates_and_shares_lie_in_0_1_and_waits_are_not_negative() =>
        Prop.ForAll(RandomScenarios.Cases(), c =>
        {
            var run = SimulationRunner.RunInline(c.Scenario, c.Seed, 2);
            foreach (var kpis in run.Intervals.Select(i => i.Kpis).Append(run.Overall).Concat(run.OverallByCallType))
            {
                foreach (var name in new[] { "service_level", "abandonment_rate" })
                {
                    var e = kpis[name];
                    Assert.True(double.IsNaN(e.Mean) || e.Mean is >= 0 and <= 1, $"{name} = {e.Mean}");
                }
                foreach (var occupancy in kpis.OccupancyByGroup)
                {
                    Assert.True(double.IsNaN(occupancy.Mean) || occupancy.Mean is >= 0 and <= 1 + 1e-9, $"occupancy = {occupancy.Mean}");
                }
                foreach (var name in new[] { "asa", "mean_wait", "p90_wait", "aht", "max_queue", "offered" })
                {
                    var e = kpis[name];
                    Assert.True(double.IsNaN(e.Mean) || e.Mean >= 0, $"{name} = {e.Mean}");
                }
            }
        }).Check(RandomScenarios.Config(150));

    [Fact]
    public void The_same_seed_gives_the_same_result_whatever_the_parallelism() =>
        Prop.ForAll(RandomScenarios.Cases(), c =>
        {
            var one = SimulationRunner.RunInline(c.Scenario, c.Seed, 3, maxParallelism: 1);
            var two = SimulationRunner.RunInline(c.Scenario, c.Seed, 3, maxParallelism: 2);
            Assert.Equal(SummaryJson.ToText(one), SummaryJson.ToText(two));
        }).Check(RandomScenarios.Config(100));
}
