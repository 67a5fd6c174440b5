using CrisisSim.Engine;
using CrisisSim.Model.Components;
using CrisisSim.Model.Recording;
using CrisisSim.Model.Scenario;
using CrisisSim.Testing;
using FsCheck;
using FsCheck.Fluent;

namespace CrisisSim.Tests;

/// <summary>Outbound follow-up calls against known answers: when operators make them, how each ends, and the operator
/// time they take.</summary>
public sealed class OutboundTests
{
    private const double Level = 0.999;

    [Fact]
    public void Outbound_calls_are_made_only_when_no_inbound_call_of_the_operators_types_waits_unless_past_their_deadline()
    {
        var scenario = TestScenarios.Outbound();
        var (attempts, records) = RunObserved(scenario, 4);
        var log = records.CallLog!;
        var served = scenario.Groups.Select(g => g.Serves.Select(scenario.CallTypeIndex).ToHashSet()).ToArray();
        int beforeDeadline = 0, pastDeadlineWhileInboundWaits = 0;
        foreach (var a in attempts)
        {
            var deadline = a.Created + scenario.CallTypes[a.CallType].Outbound!.DeadlineSeconds;
            // Inbound calls of the operator's types waiting at that instant (those whose wait ends then are being answered).
            var waiting = log.Count(c => served[a.Group].Contains(c.CallType) && c.ArrivalTime < a.Time && c.WaitEnd > a.Time);
            if (a.Time <= deadline)
            {
                beforeDeadline++;
                Assert.True(waiting == 0, $"an outbound call made at {a.Time} by group {a.Group} while {waiting} inbound calls waited");
            }
            else if (waiting > 0)
            {
                pastDeadlineWhileInboundWaits++;
            }
        }
        Assert.True(beforeDeadline > 100, $"{beforeDeadline} calls made before their deadline");
        Assert.True(pastDeadlineWhileInboundWaits > 10, $"{pastDeadlineWhileInboundWaits} late calls made before waiting inbound calls");
    }

    [Fact]
    public void Outbound_calls_of_a_type_are_made_in_the_order_they_were_created()
    {
        // One type's calls share its deadline: earliest deadline first is creation order.
        var (attempts, _) = RunObserved(TestScenarios.Outbound(), 6);
        foreach (var type in attempts.OrderBy(a => a.Sequence).GroupBy(a => a.CallType))
        {
            var created = type.Select(a => a.Created).ToArray();
            Assert.True(created.Length > 20, $"{created.Length} calls of type {type.Key} made");
            Assert.Equal(created.Order(), created);
        }
    }

    [Fact]
    public void Every_outbound_call_ends_once_in_time_late_unreached_or_missed()
    {
        var scenario = TestScenarios.Outbound();
        var (attempts, r) = RunObserved(scenario, 8);
        var totals = new double[CallCounter.Count];
        for (var k = 0; k < r.IntervalCount; k++)
        {
            for (var t = 0; t < r.CallTypeCount; t++)
            {
                var c = r.Calls(k, t);
                if (scenario.CallTypes[t].Outbound is null)
                {
                    Assert.Equal(0, c[CallCounter.OutboundCreated]);
                    continue;
                }
                // Per interval of creation: each call to make ends once; none is an offered (inbound) call.
                Assert.Equal(c[CallCounter.OutboundCreated], c[CallCounter.OutboundInTime] + c[CallCounter.OutboundLate] + c[CallCounter.OutboundUnreached] + c[CallCounter.OutboundMissed]);
                Assert.Equal(0, c.Offered);
                Assert.Equal(0, c.Ended);
                for (var i = 0; i < totals.Length; i++)
                {
                    totals[i] += c[i];
                }
            }
        }
        Assert.True(totals[CallCounter.OutboundInTime] > 50 && totals[CallCounter.OutboundLate] > 10 && totals[CallCounter.OutboundUnreached] > 10 && totals[CallCounter.OutboundMissed] > 10,
            $"in time {totals[CallCounter.OutboundInTime]}, late {totals[CallCounter.OutboundLate]}, unreached {totals[CallCounter.OutboundUnreached]}, missed {totals[CallCounter.OutboundMissed]}");
        // Every attempt observed is one call made (reached in time or late, or unreached), and no call is made twice.
        Assert.Equal(totals[CallCounter.OutboundInTime] + totals[CallCounter.OutboundLate] + totals[CallCounter.OutboundUnreached], attempts.Count);
        Assert.Equal(attempts.Count, attempts.Select(a => a.CallId).Distinct().Count());
        Assert.Equal(attempts.Count(a => !a.Reached), totals[CallCounter.OutboundUnreached]);
        Assert.Equal(attempts.Count(a => a.Reached && a.Time <= a.Created + scenario.CallTypes[a.CallType].Outbound!.DeadlineSeconds), totals[CallCounter.OutboundInTime]);
        // Outbound calls stay out of the inbound KPIs: the overall offered count and service level are those of info.
        var all = KpiValues.From(r, 0, r.IntervalCount - 1);
        var info = KpiValues.From(r, 0, r.IntervalCount - 1, scenario.CallTypeIndex("info"));
        Assert.Equal(info.Offered, all.Offered);
        Assert.Equal(info.ServiceLevel, all.ServiceLevel);
        Assert.Equal(r.CallLog!.Count, all.Offered);
        Assert.Equal(totals[CallCounter.OutboundCreated], all["outbound_created"]);
    }

    [Fact]
    public void Unreached_attempts_follow_the_reach_share()
    {
        // reach 0.7 on followup: unreached / attempts of the type is 0.3, within its confidence interval.
        var scenario = TestScenarios.Outbound();
        var followup = scenario.CallTypeIndex("followup");
        var shares = Enumerable.Range(0, 20).Select(seed =>
        {
            var (attempts, _) = RunObserved(scenario, 100 + seed);
            var ofType = attempts.Where(a => a.CallType == followup).ToList();
            return ofType.Count(a => !a.Reached) / (double)ofType.Count;
        }).ToArray();
        AssertMeanWithin(shares, 0.3);
    }

    [Fact]
    public void An_outbound_only_scenario_with_enough_operators_makes_every_call_in_time()
    {
        var run = SimulationRunner.RunInline(OutboundOnly(operators: 10), 5, 10);
        Assert.True(run.Overall["outbound_created"].Mean > 100);
        Assert.Equal(run.Overall["outbound_created"].Mean, run.Overall["outbound_in_time"].Mean);
        Assert.Equal(1, run.Overall["outbound_in_time_rate"].Mean);
        Assert.Equal(0, run.Overall["outbound_late"].Mean);
        Assert.Equal(0, run.Overall["outbound_missed"].Mean);
        Assert.Equal(0, run.Overall["outbound_unreached"].Mean);
        // No inbound call: nothing offered, no service level.
        Assert.Equal(0, run.Overall["offered"].Mean);
        Assert.True(double.IsNaN(run.Overall["service_level"].Mean));
        // The mean talk time is the handle time's mean (exponential, 8 min).
        AssertWithin(run.Overall["outbound_aht"], 480);
    }

    [Fact]
    public void With_no_operator_on_duty_every_outbound_call_is_missed()
    {
        var scenario = OutboundOnly(operators: 0);
        var r = InlineEngine.RunReplication(scenario, 3, 0).Records;
        var all = KpiValues.From(r, 0, r.IntervalCount - 1);
        Assert.True(all["outbound_created"] > 100);
        Assert.Equal(all["outbound_created"], all["outbound_missed"]);
        Assert.Equal(0, all["outbound_in_time"] + all["outbound_late"] + all["outbound_unreached"]);
        Assert.Equal(0, all["outbound_in_time_rate"]);
    }

    [Fact]
    public void Occupancy_counts_the_operator_time_of_outbound_calls()
    {
        // Deterministic handle times and no arrival in the last interval: all work ends before the horizon, so the busy
        // time is exactly inbound answered x 120 s + outbound reached x 300 s + unreached x 45 s.
        var scenario = new ScenarioDefinition
        {
            Name = "outbound-occupancy",
            IntervalSeconds = 3600,
            IntervalCount = 4,
            ServiceLevel = new ServiceLevelSpec(20),
            CallTypes =
            [
                new CallTypeSpec("info", [60.0, 60.0, 60.0, 0.0], null, new DeterministicSpec(120)),
                new CallTypeSpec("followup", [30.0, 30.0, 30.0, 0.0], null, new DeterministicSpec(300)) { Outbound = new OutboundSpec(7200, 0.6, 45) },
            ],
            Groups = [new OperatorGroupSpec("agents", ["info", "followup"], [6, 6, 6, 6], null)],
        };
        var r = InlineEngine.RunReplication(scenario, 9, 0).Records;
        var all = KpiValues.From(r, 0, r.IntervalCount - 1);
        var reached = all["outbound_in_time"] + all["outbound_late"];
        Assert.Equal(all["outbound_created"], reached + all["outbound_unreached"]);
        Assert.True(reached > 30 && all["outbound_unreached"] > 20);
        Assert.Equal(300, all["outbound_aht"], 9);
        var busy = Enumerable.Range(0, r.IntervalCount).Sum(k => r.BusySeconds(k, 0));
        var staffed = Enumerable.Range(0, r.IntervalCount).Sum(k => r.StaffedSeconds(k, 0));
        var expected = all.Answered * 120 + reached * 300 + all["outbound_unreached"] * 45;
        Assert.Equal(expected, busy, 1e-6 * expected);
        Assert.Equal(expected / staffed, all.OccupancyByGroup[0], 1e-9);
        Assert.Equal(6 * 4 * 3600, staffed, 1e-6);
    }

    [Fact]
    public void A_scenario_without_outbound_types_draws_no_outbound_stream()
    {
        // The outbound streams exist only for outbound types and the groups serving them: the inbound draws are those of
        // the same scenario before outbound calls existed (pinned by the golden tests), and no outbound counter moves.
        var r = InlineEngine.RunReplication(TestScenarios.Mixed(), 7, 0).Records;
        for (var k = 0; k < r.IntervalCount; k++)
        {
            for (var t = 0; t < r.CallTypeCount; t++)
            {
                for (var counter = CallCounter.OutboundCreated; counter <= CallCounter.OutboundHandleTimeSum; counter++)
                {
                    Assert.Equal(0, r.Calls(k, t)[counter]);
                }
            }
        }
    }

    [Fact]
    public void On_generated_scenarios_every_call_ends_once_and_no_operator_does_two_things_at_once() =>
        Prop.ForAll(RandomScenarios.Cases(), c =>
        {
            var s = WithOutbound(c);
            var (attempts, r) = RunObserved(s, c.Seed);
            var log = r.CallLog!;
            double offered = 0, created = 0, missed = 0;
            for (var k = 0; k < r.IntervalCount; k++)
            {
                for (var t = 0; t < r.CallTypeCount; t++)
                {
                    var x = r.Calls(k, t);
                    Assert.Equal(x.Offered, x.Ended);
                    Assert.Equal(x[CallCounter.OutboundCreated], x[CallCounter.OutboundInTime] + x[CallCounter.OutboundLate] + x[CallCounter.OutboundUnreached] + x[CallCounter.OutboundMissed]);
                    offered += x.Offered;
                    created += x[CallCounter.OutboundCreated];
                    missed += x[CallCounter.OutboundMissed];
                }
            }
            Assert.Equal(offered, log.Count);
            Assert.Equal(created - missed, attempts.Count);
            Assert.Equal(attempts.Count, attempts.Select(a => a.CallId).Distinct().Count());
            var close = s.HorizonSeconds + s.DrainSeconds;
            foreach (var a in attempts)
            {
                Assert.Contains(s.CallTypes[a.CallType].Name, s.Groups[a.Group].Serves);
                Assert.NotNull(s.CallTypes[a.CallType].Outbound);
                Assert.InRange(a.Time, a.Created, close);
                Assert.True(a.End >= a.Time);
            }
            // Inbound calls answered and outbound attempts, per operator: one thing at a time.
            var work = log.Where(x => x.Outcome == CallOutcome.Answered).Select(x => (x.Group, x.Operator, Start: x.WaitEnd, End: x.EndTime))
                .Concat(attempts.Select(a => (a.Group, a.Operator, Start: a.Time, End: a.End)));
            foreach (var byOperator in work.GroupBy(w => (w.Group, w.Operator)))
            {
                var items = byOperator.OrderBy(w => w.Start).ThenBy(w => w.End).ToArray();
                for (var i = 1; i < items.Length; i++)
                {
                    Assert.True(items[i].Start >= items[i - 1].End, $"operator {byOperator.Key} does two things at {items[i].Start}");
                }
            }
            for (var k = 0; k < r.IntervalCount; k++)
            {
                for (var g = 0; g < r.GroupCount; g++)
                {
                    Assert.True(r.BusySeconds(k, g) <= r.StaffedSeconds(k, g) + 1e-6);
                }
            }
        }).Check(RandomScenarios.Config(150));

    /// <summary>The generated scenario with its last call type made outbound (deadline half an interval to 1.5
    /// intervals, reach 1 or 0.6 by the seed).</summary>
    private static ScenarioDefinition WithOutbound(RandomScenarios.Case c)
    {
        var s = c.Scenario;
        var last = s.CallTypes[^1] with
        {
            Patience = null,
            Priority = 0,
            Outbound = new OutboundSpec(s.IntervalSeconds * (1 + Math.Abs(c.Seed) % 3) / 2, c.Seed % 2 == 0 ? 1 : 0.6, 20),
        };
        return s with { CallTypes = [.. s.CallTypes.Take(s.CallTypes.Count - 1), last] };
    }

    private static ScenarioDefinition OutboundOnly(int operators) => new()
    {
        Name = "outbound-only",
        IntervalSeconds = 3600,
        IntervalCount = 8,
        DrainSeconds = 3600,
        ServiceLevel = new ServiceLevelSpec(20),
        CallTypes = [new CallTypeSpec("followup", [.. Enumerable.Repeat(20.0, 8)], null, new ExponentialSpec(480)) { Outbound = new OutboundSpec(86400) }],
        Groups = [new OperatorGroupSpec("callers", ["followup"], [.. Enumerable.Repeat(operators, 8)], null)],
    };

    /// <summary>One outbound attempt: when it was made and ended, by which operator, of which call (created when), and
    /// whether the person answered; <paramref name="Sequence"/> orders the attempts as the router made them.</summary>
    private sealed record Attempt(long Sequence, double Time, double End, int Group, int Operator, int CallType, long CallId, double Created, bool Reached);

    /// <summary>Runs one replication as the inline engine does, noting every outbound attempt the router starts: a call
    /// its operator group makes (reached; it ends at the timer the group sets in turn), or a no-answer timer the router
    /// sets for itself (unreached).</summary>
    private static (List<Attempt> Attempts, Recorder Records) RunObserved(ScenarioDefinition scenario, long seed)
    {
        var center = new ContactCenter(scenario, seed, 0);
        var count = center.Layout.ComponentCount;
        var recorders = new Recorder[count];
        for (var i = 0; i < count; i++)
        {
            recorders[i] = center.NewRecorder(keepCallLog: true);
        }
        var components = center.CreateComponents(recorders);
        var calendar = new Calendar();
        var spy = new Spy(calendar, center.Layout.Router);
        foreach (var component in components)
        {
            component.Start(calendar);
        }
        while (calendar.TryNext(out var now, out var message))
        {
            spy.Now = now;
            spy.Handling = message.Target;
            components[message.Target].Handle(message, now, spy);
        }
        var records = InlineEngine.MergeInAddressOrder(center, recorders, keepCallLog: true);
        // The spy changes nothing: the same records as the inline engine.
        var inline = InlineEngine.RunReplication(scenario, seed, 0, keepCallLog: true).Records;
        Assert.Equal(inline.CallLog!, records.CallLog!);
        // Every attempt was made by the router as it handled a message, never by a message of its own.
        Assert.Equal(0, spy.OutboundMessages);
        return (spy.Attempts, records);
    }

    private sealed class Spy(Calendar calendar, int router) : IOutbox
    {
        public double Now { get; set; }

        public int Handling { get; set; }

        public List<Attempt> Attempts { get; } = [];

        /// <summary>Outbound calls sent as messages, or their ends set outside the router's handling.</summary>
        public int OutboundMessages { get; private set; }

        private long _sequence;

        public void Send(in Message message)
        {
            if (message.Kind is MessageKind.StartOutbound or MessageKind.OutboundDone)
            {
                OutboundMessages++;
            }
            calendar.Send(message);
        }

        public void SetTimer(double at, in Message m)
        {
            if (m.Kind == MessageKind.OutboundDone)
            {
                // Unreached: the router's no-answer timer.
                Note(at, m, reached: false);
            }
            calendar.SetTimer(at, m);
        }

        public void SetTimerInTurn(double at, in Message m)
        {
            if (m.Kind == MessageKind.OutboundDone)
            {
                // Reached: the end of the call the group makes, set in turn.
                Note(at, m, reached: true);
            }
            calendar.SetTimerInTurn(at, m);
        }

        private void Note(double at, in Message m, bool reached)
        {
            if (Handling != router)
            {
                OutboundMessages++;
            }
            Attempts.Add(new Attempt(_sequence++, Now, at, m.Group, m.Operator, m.CallType, m.CallId, m.ArrivalTime, reached));
        }
    }

    private static void AssertWithin(Estimate e, double exact)
    {
        var t = MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, e.Count - 1, 1 - (1 - Level) / 2);
        var half = e.HalfWidth / MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, e.Count - 1, 0.975) * t;
        Assert.InRange(exact, e.Mean - half, e.Mean + half);
    }

    private static void AssertMeanWithin(double[] values, double exact)
    {
        var mean = values.Average();
        var sd = Math.Sqrt(values.Sum(x => (x - mean) * (x - mean)) / (values.Length - 1));
        var t = MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, values.Length - 1, 1 - (1 - Level) / 2);
        var half = t * sd / Math.Sqrt(values.Length);
        Assert.InRange(exact, mean - half, mean + half);
    }
}
