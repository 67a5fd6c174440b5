using CrisisSim.Analytics;
using CrisisSim.Engine;
using CrisisSim.Model.Components;
using CrisisSim.Model.Recording;
using CrisisSim.Model.Scenario;
using CrisisSim.Testing;

namespace CrisisSim.Tests;

/// <summary>The mechanisms of the caller's journey against known answers, and their conservation.</summary>
/// <remarks>A share is checked against its 99.9 % Student-t confidence interval over replications.</remarks>
public sealed class JourneyTests
{
    private const double Level = 0.999;

    [Fact]
    public void As_many_lines_as_operators_and_no_waiting_room_give_erlang_b_blocking()
    {
        // 10 lines and 10 operators, 8 Erlangs offered: a call finding every line taken is blocked, the others are
        // answered at once (a line held means an operator held), so blocking is Erlang B.
        const int Lines = 10;
        const double Handle = 180;
        var perInterval = 8.0 / Handle * 3600;
        var scenario = new ScenarioDefinition
        {
            Name = "erlang-b",
            IntervalSeconds = 3600,
            IntervalCount = 8,
            WarmupSeconds = 3600,
            ServiceLevel = new ServiceLevelSpec(20),
            Numbers = [new EntryNumberSpec("line", Lines)],
            CallTypes = [new CallTypeSpec("calls", [.. Enumerable.Repeat(perInterval, 8)], null, new ExponentialSpec(Handle)) { Number = "line" }],
            Groups = [new OperatorGroupSpec("agents", ["calls"], [.. Enumerable.Repeat(Lines, 8)], null)],
        };
        var run = SimulationRunner.RunInline(scenario, 21, 30);
        var blocking = run.Overall["blocking_rate"];
        var exact = ErlangB.Blocking(Lines, 8.0);
        AssertWithin(blocking, exact);
        Assert.Equal(0, run.Overall["asa"].Mean);
        // Blocked calls are offered and not answered within the threshold.
        Assert.Equal(1 - blocking.Mean, run.Overall["service_level"].Mean, 1e-9);
    }

    [Fact]
    public void Every_attempt_ends_exactly_once_and_lines_are_never_exceeded()
    {
        var scenario = TestScenarios.Journey();
        var r = InlineEngine.RunReplication(scenario, 5, 0, keepCallLog: true).Records;
        var log = r.CallLog!;
        Assert.Equal(log.Count, log.Select(c => c.CallId).Distinct().Count());
        long offered = 0;
        for (var k = 0; k < r.IntervalCount; k++)
        {
            for (var t = 0; t < r.CallTypeCount; t++)
            {
                var c = r.Calls(k, t);
                Assert.Equal(c.Offered, c.Ended);
                offered += c.Offered;
            }
        }
        Assert.Equal(offered, log.Count);
        Assert.Contains(log, c => c.Outcome == CallOutcome.Blocked);
        foreach (var (number, n) in scenario.Numbers.Select((x, i) => (x, i)))
        {
            var types = scenario.CallTypes.Select((c, i) => (c, i)).Where(x => x.c.Number == number.Name).Select(x => x.i).ToHashSet();
            var changes = log.Where(c => types.Contains(c.CallType) && c.Outcome != CallOutcome.Blocked)
                .SelectMany(c => new[] { (c.ArrivalTime, 1), (c.EndTime, -1) })
                .OrderBy(e => e.Item1).ThenBy(e => e.Item2);
            var inSystem = 0;
            foreach (var (_, delta) in changes)
            {
                inSystem += delta;
                Assert.True(inSystem <= number.Lines, $"{number.Name}: {inSystem} calls on {number.Lines} lines");
            }
        }
    }

    [Fact]
    public void A_recorded_message_deflects_its_share_of_callers()
    {
        // Plenty of lines and operators: every caller hears the message; 35 % hang up at its end.
        var scenario = Single(message: new RecordedMessageSpec(30, 0.35));
        var run = SimulationRunner.RunInline(scenario, 3, 20);
        AssertWithin(run.Overall["deflection_rate"], 0.35);
        var log = InlineEngine.RunReplication(scenario, 3, 0, keepCallLog: true).Records.CallLog!;
        Assert.All(log.Where(c => c.Outcome == CallOutcome.Deflected), c => Assert.Equal(30, c.Wait, 1e-9));
        Assert.All(log.Where(c => c.Outcome == CallOutcome.Answered), c => Assert.True(c.Wait >= 30 - 1e-9));
    }

    [Fact]
    public void A_caller_who_would_have_to_wait_balks_with_the_given_probability()
    {
        // Overloaded: most callers would wait; 40 % of those leave at once. Balked / (balked + queued) is the share.
        var scenario = Single(balking: 0.4, operators: 3);
        var run = SimulationRunner.RunInline(scenario, 4, 20, keepCallLog: true);
        var shares = run.Replications.Select(r =>
        {
            var log = r.Records.CallLog!;
            var balked = log.Count(c => c.Outcome == CallOutcome.Balked);
            var waited = log.Count(c => c.Outcome is CallOutcome.Abandoned or CallOutcome.Unserved || (c.Outcome == CallOutcome.Answered && c.Wait > 0));
            return (double)balked / (balked + waited);
        }).ToArray();
        var mean = shares.Average();
        var sd = Math.Sqrt(shares.Sum(x => (x - mean) * (x - mean)) / (shares.Length - 1));
        var t = MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, shares.Length - 1, 1 - (1 - Level) / 2);
        Assert.InRange(0.4, mean - t * sd / Math.Sqrt(shares.Length), mean + t * sd / Math.Sqrt(shares.Length));
        Assert.True(run.Overall["balked"].Mean > 100);
    }

    [Fact]
    public void A_patience_mixture_has_the_weighted_mean()
    {
        // 20 % leave within seconds (exponential, mean 10 s), 80 % by a lognormal of mean 180 s: mean 146 s.
        var spec = new MixtureSpec([new MixtureComponentSpec(0.2, new ExponentialSpec(10)), new MixtureComponentSpec(0.8, new LogNormalSpec(180, 120))]);
        Assert.Equal(0.2 * 10 + 0.8 * 180, spec.Mean, 1e-9);
        var d = CrisisSim.Model.Distributions.Distribution.From(spec);
        var stream = CrisisSim.Model.Randomness.RandomStream.For(11, 0, "mixture");
        const int N = 200_000;
        double sum = 0, squares = 0, quick = 0;
        for (var i = 0; i < N; i++)
        {
            var x = d.Sample(stream);
            sum += x;
            squares += x * x;
            quick += x < 30 ? 1 : 0;
        }
        var mean = sum / N;
        var sd = Math.Sqrt((squares - N * mean * mean) / (N - 1));
        var z = MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, 1 - (1 - Level) / 2);
        Assert.InRange(spec.Mean, mean - z * sd / Math.Sqrt(N), mean + z * sd / Math.Sqrt(N));
        // The quick leavers are there: P(X < 30 s) = 0.2 (1 - e^-3) + 0.8 P(lognormal < 30 s).
        var sigma = Math.Sqrt(Math.Log(1 + 120.0 * 120 / (180 * 180)));
        var mu = Math.Log(180) - sigma * sigma / 2;
        var p = 0.2 * (1 - Math.Exp(-3)) + 0.8 * MathNet.Numerics.Distributions.LogNormal.CDF(mu, sigma, 30);
        var half = z * Math.Sqrt(p * (1 - p) / N);
        Assert.InRange(quick / N, p - half, p + half);
    }

    [Fact]
    public void Patience_factors_scale_the_patience_of_each_interval()
    {
        // No operator on duty: every caller abandons after its patience, exponential 100 s, x1 then x0.5.
        var scenario = new ScenarioDefinition
        {
            Name = "impatient",
            IntervalSeconds = 3600,
            IntervalCount = 2,
            ServiceLevel = new ServiceLevelSpec(20),
            CallTypes = [new CallTypeSpec("calls", [2000.0, 2000.0], new ExponentialSpec(100), new ExponentialSpec(60)) { PatienceFactors = [1.0, 0.5] }],
            Groups = [new OperatorGroupSpec("none", ["calls"], [0, 0], null)],
        };
        var log = InlineEngine.RunReplication(scenario, 2, 0, keepCallLog: true).Records.CallLog!;
        Assert.All(log, c => Assert.Equal(CallOutcome.Abandoned, c.Outcome));
        var z = MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, 1 - (1 - Level) / 2);
        foreach (var (k, expected) in new[] { (0, 100.0), (1, 50.0) })
        {
            var waits = log.Where(c => (int)(c.ArrivalTime / 3600) == k).Select(c => c.Wait).ToArray();
            var half = z * expected / Math.Sqrt(waits.Length); // the sd of an exponential is its mean
            Assert.InRange(waits.Average(), expected - half, expected + half);
        }
    }

    [Fact]
    public void A_caller_announced_a_wait_above_the_limit_balks()
    {
        // waitAbove 0: every announced wait is above 0, so nobody ever waits; waitAbove 1 h: the limit never bites.
        var never = Single(operators: 3) with { Name = "wait-limit" };
        never = never with { CallTypes = [never.CallTypes[0] with { BalkingWaitAbove = 0 }] };
        var log = InlineEngine.RunReplication(never, 8, 0, keepCallLog: true).Records.CallLog!;
        Assert.All(log.Where(c => c.Outcome == CallOutcome.Answered), c => Assert.Equal(0, c.Wait));
        Assert.DoesNotContain(log, c => c.Outcome is CallOutcome.Abandoned or CallOutcome.Unserved);
        Assert.True(log.Count(c => c.Outcome == CallOutcome.Balked) > 100);
        var loose = never with { CallTypes = [never.CallTypes[0] with { BalkingWaitAbove = 1e6 }] };
        var plain = never with { CallTypes = [never.CallTypes[0] with { BalkingWaitAbove = null }] };
        Assert.Equal(
            InlineEngine.RunReplication(plain, 8, 0, keepCallLog: true).Records.CallLog!,
            InlineEngine.RunReplication(loose, 8, 0, keepCallLog: true).Records.CallLog!);
    }

    [Fact]
    public void Queue_position_balking_never_lets_the_queue_exceed_its_limit()
    {
        const int Limit = 5;
        var scenario = Single(operators: 3) with { Name = "queue-limit" };
        scenario = scenario with { CallTypes = [scenario.CallTypes[0] with { BalkingQueueAbove = Limit }] };
        var log = InlineEngine.RunReplication(scenario, 8, 0, keepCallLog: true).Records.CallLog!;
        // The queue over time, from the calls that waited: +1 at arrival, -1 when the wait ends (ends first on ties).
        var events = log.Where(c => c.Outcome is CallOutcome.Answered or CallOutcome.Abandoned or CallOutcome.Unserved && c.Wait > 0)
            .SelectMany(c => new[] { (Time: c.ArrivalTime, Delta: 1), (Time: c.WaitEnd, Delta: -1) })
            .OrderBy(e => e.Time).ThenBy(e => e.Delta);
        int length = 0, max = 0;
        foreach (var e in events)
        {
            length += e.Delta;
            max = Math.Max(max, length);
        }
        Assert.Equal(Limit, max);
        Assert.True(log.Count(c => c.Outcome == CallOutcome.Balked) > 100);
    }

    [Fact]
    public void Every_accepted_callback_ends_once_made_or_missed()
    {
        // Overloaded in the first hours, then overstaffed: callbacks are made in idle time, some after their deadline,
        // and those still pending at close are missed.
        var scenario = new ScenarioDefinition
        {
            Name = "callbacks",
            IntervalSeconds = 3600,
            IntervalCount = 4,
            DrainSeconds = 600,
            ServiceLevel = new ServiceLevelSpec(20),
            CallTypes = [new CallTypeSpec("calls", [120.0, 120.0, 40.0, 200.0], new ExponentialSpec(600), new ExponentialSpec(180)) { Callbacks = new CallbackSpec(60, 0.6, 1800) }],
            Groups = [new OperatorGroupSpec("agents", ["calls"], [5, 5, 8, 5], null)],
        };
        var run = SimulationRunner.RunInline(scenario, 12, 10, keepCallLog: true);
        var shares = new List<double>();
        foreach (var replication in run.Replications)
        {
            var r = replication.Records;
            double offered = 0, accepted = 0, inTime = 0, late = 0, missed = 0;
            for (var k = 0; k < r.IntervalCount; k++)
            {
                var c = r.Calls(k, 0);
                offered += c[CallCounter.CallbacksOffered];
                accepted += c[CallCounter.CallbacksAccepted];
                inTime += c[CallCounter.CallbacksInTime];
                late += c[CallCounter.CallbacksLate];
                missed += c[CallCounter.CallbacksMissed];
                // Per interval of arrival too: every accepted callback of the interval's calls ends once.
                Assert.Equal(c[CallCounter.CallbacksAccepted], c[CallCounter.CallbacksInTime] + c[CallCounter.CallbacksLate] + c[CallCounter.CallbacksMissed]);
            }
            Assert.Equal(accepted, r.CallLog!.Count(c => c.Outcome == CallOutcome.CallbackAccepted));
            Assert.True(inTime > 0 && late > 0 && missed > 0, $"in time {inTime}, late {late}, missed {missed}");
            shares.Add(accepted / offered);
        }
        var mean = shares.Average();
        var sd = Math.Sqrt(shares.Sum(x => (x - mean) * (x - mean)) / (shares.Count - 1));
        var t = MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, shares.Count - 1, 1 - (1 - Level) / 2);
        Assert.InRange(0.6, mean - t * sd / Math.Sqrt(shares.Count), mean + t * sd / Math.Sqrt(shares.Count));
        Assert.True(run.Overall["callbacks_accepted"].Mean > 50);
    }

    [Fact]
    public void Transfers_leave_their_origin_once_and_arrive_once()
    {
        var scenario = TestScenarios.Journey();
        var r = InlineEngine.RunReplication(scenario, 6, 0, keepCallLog: true).Records;
        var log = r.CallLog!;
        double transfersOut = 0, transfersIn = 0;
        for (var k = 0; k < r.IntervalCount; k++)
        {
            for (var t = 0; t < r.CallTypeCount; t++)
            {
                transfersOut += r.Calls(k, t)[CallCounter.TransfersOut];
                transfersIn += r.Calls(k, t)[CallCounter.TransfersIn];
            }
        }
        var legs = log.Where(c => CallIds.Leg(c.CallId) > 1 && CallIds.Attempt(c.CallId) == 1).ToList();
        Assert.True(legs.Count > 10, $"{legs.Count} transfers");
        Assert.Equal(transfersOut, transfersIn);
        Assert.Equal(transfersOut, legs.Count);
        var answered = log.Where(c => c.Outcome == CallOutcome.Answered).ToLookup(c => (CallIds.Caller(c.CallId), CallIds.Leg(c.CallId)));
        foreach (var leg in legs)
        {
            // It arrives on the emergency line as the symptom call it continues ends: one answered call left from.
            Assert.Equal(2, leg.CallType);
            var origin = Assert.Single(answered[(CallIds.Caller(leg.CallId), CallIds.Leg(leg.CallId) - 1)]);
            Assert.Equal(1, origin.CallType);
            Assert.Equal(origin.EndTime, leg.ArrivalTime, 1e-9);
        }
        // Every leg is answered at most once; a caller answered on a later leg is served once in the callers' share.
        Assert.All(answered, g => Assert.Single(g));
        var all = KpiValues.From(r, 0, scenario.IntervalCount - 1);
        var callers = log.Select(c => CallIds.Caller(c.CallId)).Distinct().Count();
        Assert.Equal(callers, all["unique_callers"]);
        Assert.Equal(log.Where(c => c.Outcome == CallOutcome.Answered && CallIds.Leg(c.CallId) == 1).Count() / (double)callers, all["callers_served_share"], 1e-12);
    }

    /// <summary>Two numbers open 09:00-10:00 (the run starts at 08:30), both overloaded: one tells its waiting callers
    /// to call back at closing, the other serves them.</summary>
    private static ScenarioDefinition OpeningHoursScenario() => new()
    {
        Name = "hours",
        ClockStartSeconds = 8.5 * 3600,
        IntervalSeconds = 1800,
        IntervalCount = 4,
        DrainSeconds = 3600,
        ServiceLevel = new ServiceLevelSpec(20),
        Numbers =
        [
            new EntryNumberSpec("back", 50) { Hours = new OpeningHoursSpec(9 * 3600, 10 * 3600, AtCloseKind.CallBack) },
            new EntryNumberSpec("serve", 50) { Hours = new OpeningHoursSpec(9 * 3600, 10 * 3600) },
        ],
        CallTypes =
        [
            new CallTypeSpec("a", [.. Enumerable.Repeat(60.0, 4)], null, new ExponentialSpec(120)) { Number = "back", Redials = new RedialSpec([1.0], new DeterministicSpec(60)) },
            new CallTypeSpec("b", [.. Enumerable.Repeat(60.0, 4)], null, new ExponentialSpec(120)) { Number = "serve" },
        ],
        Groups =
        [
            new OperatorGroupSpec("ga", ["a"], [.. Enumerable.Repeat(2, 4)], null),
            new OperatorGroupSpec("gb", ["b"], [.. Enumerable.Repeat(2, 4)], null),
        ],
    };

    [Fact]
    public void No_call_arriving_outside_opening_hours_is_answered_and_waiting_callers_are_handled_at_closing()
    {
        const double Open = 1800, Close = 5400; // 09:00 and 10:00 on the run's clock
        var r = InlineEngine.RunReplication(OpeningHoursScenario(), 3, 0, keepCallLog: true).Records;
        var log = r.CallLog!;
        Assert.All(log.Where(c => c.Outcome == CallOutcome.Answered), c => Assert.InRange(c.ArrivalTime, Open, Close - 1e-9));
        // Outside hours: a closed message at once, never a queue.
        var outside = log.Where(c => c.ArrivalTime < Open || c.ArrivalTime >= Close).ToList();
        Assert.NotEmpty(outside);
        Assert.All(outside, c => Assert.Equal(CallOutcome.Closed, c.Outcome));
        Assert.All(outside, c => Assert.Equal(c.ArrivalTime, c.WaitEnd));
        // atClose: callBack: no caller of "a" is answered after the closing; those waiting then end closed, at it.
        Assert.DoesNotContain(log, c => c.CallType == 0 && c.Outcome == CallOutcome.Answered && c.WaitEnd >= Close);
        var sentBack = log.Where(c => c.CallType == 0 && c.Outcome == CallOutcome.Closed && c.ArrivalTime >= Open && c.ArrivalTime < Close).ToList();
        Assert.True(sentBack.Count > 10, $"{sentBack.Count} callers told to call back");
        Assert.All(sentBack, c => Assert.Equal(Close, c.WaitEnd, 1e-6));
        // atClose: serve: callers of "b" waiting at the closing are still answered after it; none ends closed in hours.
        Assert.Contains(log, c => c.CallType == 1 && c.Outcome == CallOutcome.Answered && c.WaitEnd > Close);
        Assert.DoesNotContain(log, c => c.CallType == 1 && c.Outcome == CallOutcome.Closed && c.ArrivalTime >= Open && c.ArrivalTime < Close);
        // Every attempt ends once; closed calls are offered and count in the closed rate, not in waits.
        Assert.Equal(log.Count, log.Select(c => c.CallId).Distinct().Count());
        var closed = Enumerable.Range(0, r.IntervalCount).Sum(k => r.Calls(k, 0)[CallCounter.Closed] + r.Calls(k, 1)[CallCounter.Closed]);
        Assert.Equal(log.Count(c => c.Outcome == CallOutcome.Closed), closed);
    }

    [Fact]
    public void The_journey_scenario_closes_its_numbers_as_configured()
    {
        var log = InlineEngine.RunReplication(TestScenarios.Journey(), 5, 0, keepCallLog: true).Records.CallLog!;
        // Clock 08:50 at 0: the hotline (info, symptoms) is open from 600 s to 4500 s, the emergency line until 4800 s.
        Assert.All(log.Where(c => c.Outcome == CallOutcome.Answered && c.CallType < 2), c => Assert.InRange(c.ArrivalTime, 600, 4500 - 1e-9));
        Assert.All(log.Where(c => c.Outcome == CallOutcome.Answered && c.CallType == 2), c => Assert.True(c.ArrivalTime < 4800));
        Assert.Contains(log, c => c.Outcome == CallOutcome.Closed && c.CallType < 2 && c.ArrivalTime is >= 600 and < 4500);
        Assert.Contains(log, c => c.Outcome == CallOutcome.Closed && c.CallType == 2);
    }

    [Fact]
    public void Redials_follow_failed_attempts_and_callers_are_counted_once()
    {
        var scenario = TestScenarios.Journey();
        var run = SimulationRunner.RunInline(scenario, 9, 1, keepCallLog: true);
        var log = run.Replications[0].Records.CallLog!;
        var byCaller = log.GroupBy(c => CrisisSim.Model.Components.CallIds.Caller(c.CallId)).ToList();
        var maxAttempts = scenario.CallTypes.Select(t => 1 + (t.Redials?.Probabilities.Count ?? 0)).ToArray();
        // Attempts count within a leg (a transfer starts a new leg, at attempt 1).
        foreach (var caller in log.GroupBy(c => (CallIds.Caller(c.CallId), CallIds.Leg(c.CallId))))
        {
            var attempts = caller.OrderBy(c => CrisisSim.Model.Components.CallIds.Attempt(c.CallId)).ToList();
            Assert.Equal(Enumerable.Range(1, attempts.Count), attempts.Select(c => CrisisSim.Model.Components.CallIds.Attempt(c.CallId)));
            Assert.True(attempts.Count <= maxAttempts[attempts[0].CallType]);
            Assert.All(attempts, a => Assert.Equal(attempts[0].CallType, a.CallType));
            for (var i = 1; i < attempts.Count; i++)
            {
                var previous = attempts[i - 1];
                Assert.Contains(previous.Outcome, new[] { CallOutcome.Blocked, CallOutcome.Abandoned, CallOutcome.Balked, CallOutcome.Closed });
                Assert.True(attempts[i].ArrivalTime >= previous.WaitEnd);
            }
            Assert.True(attempts.Count(a => a.Outcome == CallOutcome.Answered) <= 1);
        }
        var all = KpiValues.From(run.Replications[0].Records, 0, scenario.IntervalCount - 1);
        Assert.Equal(log.Count, all.Offered);
        Assert.Equal(byCaller.Count, all["unique_callers"]);
        Assert.Equal(log.Count(c => CallIds.Attempt(c.CallId) > 1), all["redial_attempts"]);
        Assert.True(all["redial_attempts"] > 50);
        // Served: answered on the first leg (a later leg is the same caller served again after a transfer).
        Assert.Equal(byCaller.Count(c => c.Any(a => a.Outcome == CallOutcome.Answered && CallIds.Leg(a.CallId) == 1)) / (double)byCaller.Count, all["callers_served_share"], 1e-12);
    }

    private static ScenarioDefinition Single(RecordedMessageSpec? message = null, double balking = 0, int operators = 40) => new()
    {
        Name = "journey-single",
        IntervalSeconds = 3600,
        IntervalCount = 4,
        ServiceLevel = new ServiceLevelSpec(20),
        CallTypes =
        [
            new CallTypeSpec("calls", [.. Enumerable.Repeat(600.0, 4)], new ExponentialSpec(120), new ExponentialSpec(180))
            {
                RecordedMessage = message,
                BalkingProbability = balking,
            },
        ],
        Groups = [new OperatorGroupSpec("agents", ["calls"], [.. Enumerable.Repeat(operators, 4)], null)],
    };

    private static void AssertWithin(Estimate e, double exact)
    {
        var t = MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, e.Count - 1, 1 - (1 - Level) / 2);
        var half = e.HalfWidth / MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, e.Count - 1, 0.975) * t;
        Assert.InRange(exact, e.Mean - half, e.Mean + half);
    }
}
