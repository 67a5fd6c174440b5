using CrisisSim.Testing;
using CrisisSim.Engine;
using CrisisSim.Model.Recording;

namespace CrisisSim.Tests;

public sealed class ConservationTests
{
    [Theory]
    [InlineData(4 * 3600)]
    [InlineData(0)]
    public void Every_offered_call_ends_exactly_once_and_counts_add_up(double drainSeconds)
    {
        var scenario = TestScenarios.Mixed(drainSeconds: drainSeconds);
        var result = InlineEngine.RunReplication(scenario, 7, 0, keepCallLog: true);
        var log = result.Records.CallLog!;
        var r = result.Records;

        long offered = 0;
        for (var k = 0; k < r.IntervalCount; k++)
        {
            for (var t = 0; t < r.CallTypeCount; t++)
            {
                var c = r.Calls(k, t);
                Assert.Equal(c.Offered, c.Answered + c.Abandoned + c.Unserved);
                Assert.Equal(c.Offered, log.Count(x => x.CallType == t && r.IntervalOf(x.ArrivalTime) == k));
                offered += c.Offered;
            }
        }
        Assert.True(offered > 1500);
        Assert.Equal(offered, log.Count);
        Assert.Equal(log.Count, log.Select(x => x.CallId).Distinct().Count());
        if (drainSeconds == 0)
        {
            Assert.Contains(log, x => x.Outcome == CallOutcome.Unserved);
        }
    }

    [Theory]
    [InlineData(4 * 3600)]
    [InlineData(0)]
    public void Every_offered_call_and_every_outbound_call_ends_exactly_once(double drainSeconds)
    {
        var scenario = TestScenarios.Outbound() with { DrainSeconds = drainSeconds };
        var r = InlineEngine.RunReplication(scenario, 7, 0, keepCallLog: true).Records;
        var log = r.CallLog!;
        double offered = 0, created = 0, missed = 0;
        for (var k = 0; k < r.IntervalCount; k++)
        {
            for (var t = 0; t < r.CallTypeCount; t++)
            {
                var c = r.Calls(k, t);
                Assert.Equal(c.Offered, c.Ended);
                Assert.Equal(c.Offered, log.Count(x => x.CallType == t && r.IntervalOf(x.ArrivalTime) == k));
                // A call to make is not offered, and ends once: made in time, late, unreached or missed at close.
                Assert.Equal(c[CallCounter.OutboundCreated], c[CallCounter.OutboundInTime] + c[CallCounter.OutboundLate] + c[CallCounter.OutboundUnreached] + c[CallCounter.OutboundMissed]);
                Assert.True(c.Offered == 0 || c[CallCounter.OutboundCreated] == 0);
                offered += c.Offered;
                created += c[CallCounter.OutboundCreated];
                missed += c[CallCounter.OutboundMissed];
            }
        }
        Assert.Equal(offered, log.Count);
        Assert.True(offered > 500 && created > 150, $"offered {offered}, outbound {created}");
        // A long drain leaves time to make every call; without one, those still to make at the horizon are missed.
        Assert.True(drainSeconds > 0 ? missed == 0 : missed > 10, $"{missed} missed");
    }

    [Fact]
    public void Call_records_are_consistent_with_the_scenario()
    {
        var scenario = TestScenarios.Mixed();
        var log = InlineEngine.RunReplication(scenario, 3, 0, keepCallLog: true).Records.CallLog!;
        var urgent = scenario.CallTypeIndex("urgent");
        foreach (var c in log)
        {
            Assert.True(c.ArrivalTime >= 0 && c.ArrivalTime < scenario.HorizonSeconds);
            Assert.True(c.Wait >= 0);
            Assert.True(c.EndTime >= c.WaitEnd);
            if (c.Outcome == CallOutcome.Answered)
            {
                Assert.Contains(scenario.CallTypes[c.CallType].Name, scenario.Groups[c.Group].Serves);
                Assert.InRange(c.Operator, 0, scenario.Groups[c.Group].Staffing.Max() - 1);
                if (c.CallType == urgent && c.Group == 0)
                {
                    Assert.Equal(300, c.EndTime - c.WaitEnd, 9); // deterministic handle time of the urgent type
                }
            }
            else
            {
                Assert.Equal(-1, c.Group);
            }
        }
        // No call arrives in the interval whose urgent rate is zero.
        Assert.DoesNotContain(log, c => c.CallType == urgent && c.ArrivalTime >= 1800 && c.ArrivalTime < 2700);
    }

    [Fact]
    public void An_operator_never_handles_two_calls_at_once()
    {
        var scenario = TestScenarios.Mixed();
        var log = InlineEngine.RunReplication(scenario, 11, 0, keepCallLog: true).Records.CallLog!;
        foreach (var byOperator in log.Where(c => c.Outcome == CallOutcome.Answered).GroupBy(c => (c.Group, c.Operator)))
        {
            var calls = byOperator.OrderBy(c => c.WaitEnd).ToArray();
            for (var i = 1; i < calls.Length; i++)
            {
                Assert.True(calls[i].WaitEnd >= calls[i - 1].EndTime, $"operator {byOperator.Key} overlaps at {calls[i].WaitEnd}");
            }
        }
    }

    [Fact]
    public void Busy_operators_never_exceed_the_staffing_in_force()
    {
        var scenario = TestScenarios.Mixed();
        var log = InlineEngine.RunReplication(scenario, 5, 0, keepCallLog: true).Records.CallLog!;
        for (var g = 0; g < scenario.Groups.Count; g++)
        {
            // A call may start only while its operator is on duty: at its start, busy operators (itself included)
            // cannot exceed the staffing of the current interval.
            var calls = log.Where(c => c.Outcome == CallOutcome.Answered && c.Group == g).ToArray();
            foreach (var c in calls)
            {
                var k = Math.Min((int)(c.WaitEnd / scenario.IntervalSeconds), scenario.IntervalCount - 1);
                var busy = calls.Count(x => x.WaitEnd <= c.WaitEnd && x.EndTime > c.WaitEnd);
                Assert.True(busy <= scenario.Groups[g].Staffing[k], $"group {g}: {busy} busy at {c.WaitEnd}, staffing {scenario.Groups[g].Staffing[k]}");
            }
        }
    }

    [Fact]
    public void Fifo_answers_calls_in_arrival_order()
    {
        var scenario = TestScenarios.Single(1.0, 180, 175, 300, 20, intervals: 4, warmupSeconds: 0);
        var answered = InlineEngine.RunReplication(scenario, 2, 0, keepCallLog: true).Records.CallLog!
            .Where(c => c.Outcome == CallOutcome.Answered).OrderBy(c => c.ArrivalTime).ToArray();
        Assert.True(answered.Count(c => c.Wait > 0) > 100);
        for (var i = 1; i < answered.Length; i++)
        {
            Assert.True(answered[i].WaitEnd >= answered[i - 1].WaitEnd);
        }
    }

    [Fact]
    public void Priority_routing_serves_the_higher_priority_type_faster()
    {
        var run = SimulationRunner.RunInline(TestScenarios.Mixed(), 1, 4);
        var info = run.OverallByCallType[0]["asa"].Mean;
        var urgent = run.OverallByCallType[1]["asa"].Mean;
        Assert.True(urgent < info / 2, $"urgent ASA {urgent} vs info {info}");
    }
}
