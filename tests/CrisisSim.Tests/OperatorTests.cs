using CrisisSim.Analytics;
using CrisisSim.Engine;
using CrisisSim.Model.Recording;
using CrisisSim.Model.Scenario;
using Xunit.Abstractions;

namespace CrisisSim.Tests;

/// <summary>Operators: skills with proficiency, after-call work, shifts and breaks, shrinkage, occupancy cap, cost, and
/// an outsourced provider's activation and learning curve, each checked against its rule.</summary>
public sealed class OperatorTests(ITestOutputHelper output)
{
    private const double Level = 0.999;

    private static CallTypeSpec Calls(string name, double perHour, double handleSeconds, double? patienceSeconds = null, int intervals = 12, double intervalSeconds = 1800, bool deterministic = false) =>
        new(
            name,
            [.. Enumerable.Repeat(perHour * intervalSeconds / 3600, intervals)],
            patienceSeconds is { } p ? new ExponentialSpec(p) : null,
            deterministic ? new DeterministicSpec(handleSeconds) : new ExponentialSpec(handleSeconds));

    private static ScenarioDefinition Scenario(IReadOnlyList<CallTypeSpec> types, IReadOnlyList<OperatorGroupSpec> groups, int intervals = 12, double intervalSeconds = 1800, double onset = 0, double clockStart = 0) => new()
    {
        Name = "operators",
        IntervalSeconds = intervalSeconds,
        IntervalCount = intervals,
        ClockStartSeconds = clockStart,
        OnsetSeconds = onset,
        ServiceLevel = new ServiceLevelSpec(20),
        CallTypes = types,
        Groups = groups,
    };

    private static OperatorGroupSpec Group(string name, string[] serves, int staffing, int intervals = 12) =>
        new(name, serves, [.. Enumerable.Repeat(staffing, intervals)], null);

    private static List<CallRecord> Answered(ScenarioDefinition s, long seed = 1) =>
        [.. InlineEngine.RunReplication(s, seed, 0, keepCallLog: true).Records.CallLog!.Where(c => c.Outcome == CallOutcome.Answered)];

    /// <summary>Mean operators on duty in each interval, from the recorder's on-duty seconds.</summary>
    private static double[] OnDutyPerInterval(ScenarioDefinition s)
    {
        var r = InlineEngine.RunReplication(s, 1, 0).Records;
        return [.. Enumerable.Range(0, s.IntervalCount).Select(k => r.StaffedSeconds(k, 0) / s.IntervalSeconds)];
    }

    [Fact]
    public void No_operator_handles_two_calls_at_once_with_after_call_work_shifts_cap_and_learning()
    {
        var types = new[] { Calls("info", 700, 240, 120), Calls("urgent", 150, 300, 200) };
        var s = Scenario(types,
        [
            new OperatorGroupSpec("staff", ["info", "urgent"], [], null)
            {
                Shifts =
                [
                    new ShiftSpec(0, 3 * 3600, 20, [new BreakSpec(3600, 900)]),
                    new ShiftSpec(2 * 3600, 6 * 3600, 15, [new BreakSpec(4 * 3600, 1200)]),
                ],
                Proficiency = new Dictionary<string, double> { ["urgent"] = 1.2 },
                AfterCallWork = new LogNormalSpec(40, 20),
                OccupancyCap = 0.9,
                Shrinkage = 0.1,
            } with { Staffing = [.. Enumerable.Repeat(35, 12)] },
            new OperatorGroupSpec("provider", ["info"], [.. Enumerable.Repeat(25, 12)], null)
            {
                Activation = new ActivationSpec(1800, 30, 20),
                Learning = new LearningSpec(1.6, 3600, null),
                AfterCallWork = new ExponentialSpec(20),
            },
        ], onset: 1800);
        var calls = Answered(s);
        output.WriteLine($"{calls.Count} calls answered");
        Assert.True(calls.Count > 2000);
        Assert.True(calls.Count(c => c.AfterCallWorkEnd > c.EndTime) > 2000, "after-call work follows the calls");
        Assert.Contains(calls, c => c.Group == 1);
        Assert.All(calls, c => Assert.True(c.AfterCallWorkEnd >= c.EndTime && c.EndTime >= c.WaitEnd));
        foreach (var byOperator in calls.GroupBy(c => (c.Group, c.Operator)))
        {
            var ordered = byOperator.OrderBy(c => c.WaitEnd).ToArray();
            for (var i = 1; i < ordered.Length; i++)
            {
                Assert.True(ordered[i].WaitEnd >= ordered[i - 1].AfterCallWorkEnd,
                    $"operator {byOperator.Key} starts a call at {ordered[i].WaitEnd} before its after-call work ends at {ordered[i - 1].AfterCallWorkEnd}");
            }
        }
    }

    [Fact]
    public void After_call_work_keeps_the_operator_busy_on_its_own_stream_and_counts_in_occupancy()
    {
        // Ample operators: every call is answered at once, so each call meets the same handle-time draw with or without
        // after-call work (its own stream, acw/GROUP).
        var types = new[] { Calls("info", 200, 180, null, intervals: 4) };
        var plain = Scenario(types, [Group("agents", ["info"], 60, 4)], intervals: 4);
        var withAcw = plain with { Groups = [plain.Groups[0] with { AfterCallWork = new DeterministicSpec(45) }] };
        var a = Answered(plain);
        var b = Answered(withAcw);
        Assert.Equal(a.Select(c => (c.CallId, c.EndTime - c.WaitEnd)), b.Select(c => (c.CallId, c.EndTime - c.WaitEnd)));
        Assert.All(b, c => Assert.Equal(c.EndTime + 45, c.AfterCallWorkEnd, 9));
        Assert.All(a, c => Assert.Equal(c.EndTime, c.AfterCallWorkEnd));

        // Busy time = talk + after-call work, within the horizon.
        var r = InlineEngine.RunReplication(withAcw, 1, 0).Records;
        var busy = Enumerable.Range(0, 4).Sum(k => r.BusySeconds(k, 0));
        var expected = b.Sum(c => Math.Min(c.AfterCallWorkEnd, withAcw.HorizonSeconds) - Math.Min(c.WaitEnd, withAcw.HorizonSeconds));
        Assert.Equal(expected, busy, 6);
    }

    [Fact]
    public void After_call_work_comes_after_the_line_is_released_and_the_transfer_made()
    {
        var first = Calls("first", 120, 200, null, intervals: 4) with { Transfers = [new TransferSpec("second", 0.5)] };
        var s = Scenario([first, Calls("second", 0, 100, null, intervals: 4)],
            [Group("agents", ["first", "second"], 40, 4) with { AfterCallWork = new DeterministicSpec(600) }], intervals: 4);
        var log = InlineEngine.RunReplication(s, 3, 0, keepCallLog: true).Records.CallLog!;
        var legs = log.Where(c => Model.Components.CallIds.Leg(c.CallId) == 2).ToDictionary(c => Model.Components.CallIds.Caller(c.CallId));
        Assert.True(legs.Count > 50);
        foreach (var origin in log.Where(c => Model.Components.CallIds.Leg(c.CallId) == 1 && legs.ContainsKey(Model.Components.CallIds.Caller(c.CallId))))
        {
            // The transferred leg arrives when the talk ends, not when the operator's after-call work does.
            Assert.Equal(origin.EndTime, legs[Model.Components.CallIds.Caller(origin.CallId)].ArrivalTime);
            Assert.Equal(origin.EndTime + 600, origin.AfterCallWorkEnd, 9);
        }
    }

    [Fact]
    public void Proficiency_multiplies_each_handle_time_of_its_call_type()
    {
        // Ample operators: the same calls meet the same draws, so each handle time is exactly the proficiency times.
        var types = new[] { Calls("a", 150, 120, null, intervals: 4), Calls("b", 150, 120, null, intervals: 4) };
        var plain = Scenario(types, [Group("agents", ["a", "b"], 80, 4)], intervals: 4);
        var skilled = plain with { Groups = [plain.Groups[0] with { Proficiency = new Dictionary<string, double> { ["a"] = 1, ["b"] = 1.3 } }] };
        var a = Answered(plain).ToDictionary(c => c.CallId);
        var b = Answered(skilled);
        Assert.Equal(a.Count, b.Count);
        Assert.True(b.Count > 500);
        foreach (var c in b)
        {
            var factor = c.CallType == 1 ? 1.3 : 1.0;
            Near((a[c.CallId].EndTime - a[c.CallId].WaitEnd) * factor, c.EndTime - c.WaitEnd);
        }
    }

    [Fact]
    public void A_group_with_proficiency_1_3_has_a_mean_handle_time_1_3_times_the_types()
    {
        // Queueing and all: the group's mean handle time is 1.3 x 200 s, within the replications' 99.9 % interval.
        var s = Scenario([Calls("info", 300, 200, 180)], [Group("slow", ["info"], 18) with { Proficiency = new Dictionary<string, double> { ["info"] = 1.3 } }]);
        var run = SimulationRunner.RunInline(s, 5, 30, keepCallLog: false);
        var aht = run.Overall["aht"];
        var ci = ConfidenceInterval.FromSamples([.. Enumerable.Range(0, 30).Select(r => KpiValues.From(InlineEngine.RunReplication(s, 5, r).Records, 0, s.IntervalCount - 1).AverageHandleTime)], Level);
        output.WriteLine($"AHT {ci.Mean:F2} ± {ci.HalfWidth:F2} (99.9 %), expected 260; run {aht.Mean:F2}");
        Assert.InRange(260, ci.Mean - ci.HalfWidth, ci.Mean + ci.HalfWidth);
        Assert.Equal(ci.Mean, aht.Mean, 9);
    }

    [Fact]
    public void The_skills_policy_sees_the_scenarios_proficiency()
    {
        // Two groups with ample operators serve the type; "fast" handles it at 0.8, "slow" at 1.5. With mostProficient
        // every call goes to "fast"; longest idle spreads them over both.
        var types = new[] { Calls("info", 120, 200, null, intervals: 4) };
        OperatorGroupSpec Skilled(string name, double m) => Group(name, ["info"], 30, 4) with { Proficiency = new Dictionary<string, double> { ["info"] = m } };
        var s = Scenario(types, [Skilled("slow", 1.5), Skilled("fast", 0.8)], intervals: 4);
        var best = s with { Routing = RoutingSpec.BuiltIn("skills", new Dictionary<string, string> { ["select"] = "mostProficient" }) };
        Assert.All(Answered(best), c => Assert.Equal(1, c.Group));
        Assert.Contains(Answered(s), c => c.Group == 0);
    }

    [Fact]
    public void Learning_by_calls_slows_an_operators_first_calls_and_converges_to_1()
    {
        // One operator, always busy: its k-th call (k = 0, 1 …) takes 100 x (1 + (2 - 1) x 2^(-k/3)) seconds.
        var s = Scenario([Calls("info", 200, 100, null, intervals: 4, deterministic: true)],
            [Group("new", ["info"], 1, 4) with { Learning = new LearningSpec(2, null, 3) }], intervals: 4);
        var calls = Answered(s).OrderBy(c => c.WaitEnd).ToArray();
        Assert.True(calls.Length > 40);
        for (var k = 0; k < calls.Length; k++)
        {
            Near(100 * (1 + Math.Pow(2, -k / 3.0)), calls[k].EndTime - calls[k].WaitEnd);
        }
        Assert.Equal(200, calls[0].EndTime - calls[0].WaitEnd, 9);
        Assert.InRange(calls[^1].EndTime - calls[^1].WaitEnd, 100, 100.01);
    }

    [Fact]
    public void Activation_ramps_the_provider_up_after_onset_and_delay_with_a_learning_curve_in_time()
    {
        // Onset 1 h, delay 30 min: the first provider operator at 1:30, then one every 5 minutes (12 an hour), up to 10,
        // never above the schedule (8 in intervals 0-5, then 20). Each operator's handle time: 120 x (1 + 0.5 x
        // 2^(-t/1h)), t the time since it came on duty.
        var types = new[] { Calls("info", 600, 120, 300, deterministic: true) };
        var provider = new OperatorGroupSpec("provider", ["info"], [8, 8, 8, 8, 8, 8, 20, 20, 20, 20, 20, 20], null)
        {
            Activation = new ActivationSpec(1800, 12, 10),
            Learning = new LearningSpec(1.5, 3600, null),
        };
        var s = Scenario(types, [provider, Group("staff", ["info"], 5)], onset: 3600);
        const double First = 5400;
        double OnDutyAt(double t) => Math.Min(t < 3 * 3600 ? 8 : 20, t < First ? 0 : Math.Min(10, 1 + Math.Floor((t - First) / 300)));
        // Operators come on duty in id order and never leave (the count only grows); 8 and 9 wait for the schedule at 3 h.
        double OnDutySince(int op) => op < 8 ? First + 300 * op : 3 * 3600;

        var calls = Answered(s).Where(c => c.Group == 0).ToArray();
        Assert.True(calls.Length > 500);
        Assert.True(calls.Min(c => c.WaitEnd) >= First, "no provider call before onset + delay");
        foreach (var c in calls)
        {
            var onDutySince = OnDutySince(c.Operator);
            Assert.True(c.WaitEnd >= onDutySince);
            Assert.True(c.Operator < OnDutyAt(c.WaitEnd));
            Near(120 * (1 + 0.5 * Math.Pow(2, -(c.WaitEnd - onDutySince) / 3600)), c.EndTime - c.WaitEnd);
        }
        var early = calls.Where(c => c.WaitEnd - OnDutySince(c.Operator) < 600).Average(c => c.EndTime - c.WaitEnd);
        var late = calls.Where(c => c.WaitEnd > 5 * 3600).Average(c => c.EndTime - c.WaitEnd);
        Assert.True(early > 1.4 * 120 && late < 1.1 * 120, $"early calls {early} s, late calls {late} s");

        // On duty per interval follows the ramp (minute by minute: every change falls on a whole 5 minutes).
        var expected = Enumerable.Range(0, s.IntervalCount).Select(k => Enumerable.Range(0, 30).Average(m => OnDutyAt(k * 1800 + m * 60 + 30))).ToArray();
        var measured = InlineEngine.RunReplication(s, 1, 0).Records;
        for (var k = 0; k < s.IntervalCount; k++)
        {
            // Busy operators never leave here (the schedule only grows): the on-duty time is exact.
            Assert.Equal(expected[k], measured.StaffedSeconds(k, 0) / 1800, 9);
        }
    }

    [Fact]
    public void Shifts_and_breaks_give_the_operators_on_duty_at_any_time()
    {
        // From 22:00 over 30 hours, with no call: an overnight shift, breaks that do not fall on interval boundaries,
        // overlapping shifts. Expected: minute by minute from the shifts as written (every change is on a whole minute).
        var shifts = new[]
        {
            new ShiftSpec(6 * 3600, 14 * 3600, 5, [new BreakSpec(10 * 3600, 1800)]),
            new ShiftSpec(22 * 3600, 6 * 3600, 3, [new BreakSpec(2 * 3600 + 600, 1500)]),
            new ShiftSpec(12 * 3600, 20 * 3600, 4, [new BreakSpec(15 * 3600 + 900, 1200), new BreakSpec(18 * 3600, 600)]),
        };
        const int Intervals = 30;
        var s = Scenario([Calls("info", 0, 100, null, Intervals, 3600)],
            [new OperatorGroupSpec("agents", ["info"], [.. Enumerable.Repeat(12, Intervals)], null) { Shifts = shifts }], Intervals, 3600, clockStart: 22 * 3600);
        static bool In(double clock, double start, double length) => ((clock - start) % 86400 + 86400) % 86400 < length;
        double Scheduled(double runTime)
        {
            var clock = (22 * 3600 + runTime) % 86400;
            return shifts.Sum(sh => In(clock, sh.StartSeconds, sh.LengthSeconds) && !sh.Breaks.Any(b => In(clock, b.AtSeconds, b.DurationSeconds)) ? sh.Operators : 0);
        }
        var onDuty = OnDutyPerInterval(s);
        for (var k = 0; k < Intervals; k++)
        {
            var expected = Enumerable.Range(0, 60).Average(m => Scheduled(k * 3600 + m * 60 + 30));
            Assert.Equal(expected, onDuty[k], 9);
        }
        Assert.Contains(onDuty, x => x != Math.Floor(x)); // breaks within intervals
        // The plan's mean on duty per interval (charts, report) is the same.
        var plan = Model.Components.OperatorSchedule.MeanOnDutyPerInterval(s.Groups[0], s);
        for (var k = 0; k < Intervals; k++)
        {
            Assert.Equal(onDuty[k], plan[k], 9);
        }
    }

    [Fact]
    public void Shrinkage_rounds_the_scheduled_operators_to_the_nearest_integer()
    {
        // round(scheduled x (1 - 0.15)), halves up: 10 -> 9 (8.5), 7 -> 6 (5.95), 3 -> 3 (2.55), 1 -> 1 (0.85),
        // 20 -> 17, 0 -> 0.
        int[] staffing = [10, 7, 3, 1, 20, 0];
        var s = Scenario([Calls("info", 0, 100, null, 6)], [new OperatorGroupSpec("agents", ["info"], staffing, null) { Shrinkage = 0.15 }], 6);
        Assert.Equal([9.0, 6, 3, 1, 17, 0], OnDutyPerInterval(s));

        // With calls, the busy operators above the new count leave when their call ends: never more busy than on duty.
        var loaded = s with { CallTypes = [Calls("info", 100, 300, null, 6)] };
        var calls = Answered(loaded);
        Assert.True(calls.Count > 200);
        foreach (var c in calls)
        {
            var k = Math.Min(5, (int)(c.WaitEnd / 1800));
            var busy = calls.Count(x => x.WaitEnd <= c.WaitEnd && x.EndTime > c.WaitEnd);
            Assert.True(busy <= new[] { 9, 6, 3, 1, 17, 0 }[k], $"{busy} busy at {c.WaitEnd}, interval {k}");
        }
    }

    [Fact]
    public void The_occupancy_cap_keeps_busy_operators_under_floor_of_cap_times_on_duty()
    {
        // 10, then 4, then 10 operators with a cap of 0.75: at most 7, 3, 7 busy at once (talk and after-call work);
        // overloaded, so the cap binds.
        int[] staffing = [10, 10, 4, 4, 10, 10];
        var s = Scenario([Calls("info", 400, 200, 600, 6)],
            [new OperatorGroupSpec("agents", ["info"], staffing, null) { OccupancyCap = 0.75, AfterCallWork = new ExponentialSpec(30) }], 6);
        var calls = Answered(s);
        var maxBusy = new int[6];
        foreach (var c in calls)
        {
            var k = Math.Min(5, (int)(c.WaitEnd / 1800)); // after the horizon, the last interval's staffing holds
            var busy = calls.Count(x => x.WaitEnd <= c.WaitEnd && x.AfterCallWorkEnd > c.WaitEnd);
            var limit = Math.Max(1, (int)Math.Floor(0.75 * staffing[k]));
            Assert.True(busy <= limit, $"{busy} busy at {c.WaitEnd} (limit {limit})");
            maxBusy[k] = Math.Max(maxBusy[k], busy);
        }
        Assert.Equal([7, 7, 3, 3, 7, 7], maxBusy);
        // A steady interval of 10 operators: occupancy at most 7/10, and close to it under overload.
        var run = SimulationRunner.RunInline(s, 1, 4);
        Assert.InRange(run.Intervals[1].Kpis.OccupancyByGroup[0].Mean, 0.68, 0.7 + 1e-9);
    }

    [Fact]
    public void A_cap_of_one_operator_at_least()
    {
        // cap 0.5 of one operator on duty: floor(0.5) = 0, yet one may be busy.
        var s = Scenario([Calls("info", 60, 100, null, 2)], [Group("solo", ["info"], 1, 2) with { OccupancyCap = 0.5 }], 2);
        Assert.True(Answered(s).Count > 20);
    }

    [Fact]
    public void Cost_is_operator_hours_times_the_rate()
    {
        var s = Scenario([Calls("info", 100, 200, 300, 4)],
        [
            Group("staff", ["info"], 10, 4) with { CostPerHour = 25 },
            new OperatorGroupSpec("provider", ["info"], [0, 6, 6, 6], null) { CostPerHour = 40.5 },
        ], 4);
        var run = SimulationRunner.RunInline(s, 1, 3);
        var o = run.Overall;
        // 10 operators x 2 h, and 6 x 1.5 h (no operator leaves: the schedule only grows).
        Assert.Equal(20, o.OperatorHoursByGroup[0].Mean, 9);
        Assert.Equal(9, o.OperatorHoursByGroup[1].Mean, 9);
        Assert.Equal(20 * 25, o.CostByGroup[0].Mean, 9);
        Assert.Equal(9 * 40.5, o.CostByGroup[1].Mean, 9);
        Assert.Equal(29, o.OperatorHours.Mean, 9);
        Assert.Equal(500 + 364.5, o.Cost.Mean, 9);
        Assert.Equal(3, run.Intervals[1].Kpis.OperatorHoursByGroup[1].Mean, 9);
        Assert.Equal(5 * 25 + 3 * 40.5, run.Intervals[1].Kpis.Cost.Mean, 9);

        using var json = System.Text.Json.JsonDocument.Parse(Reporting.SummaryJson.ToText(run));
        var overall = json.RootElement.GetProperty("overall");
        Assert.Equal(864.5, overall.GetProperty("cost_total").GetProperty("mean").GetDouble());
        Assert.Equal(29, overall.GetProperty("operator_hours_total").GetProperty("mean").GetDouble());
        Assert.Equal(20, overall.GetProperty("operator_hours").GetProperty("staff").GetProperty("mean").GetDouble());
        Assert.Equal(364.5, overall.GetProperty("cost").GetProperty("provider").GetProperty("mean").GetDouble());
        Assert.Equal(3, json.RootElement.GetProperty("intervals")[1].GetProperty("kpis").GetProperty("operator_hours").GetProperty("provider").GetProperty("mean").GetDouble(), 9);
        using var csv = new StringWriter();
        Reporting.IntervalsCsv.Write(run, csv);
        var lines = csv.ToString().Split('\n');
        var header = lines[0].Split(',');
        var all = lines.Single(l => l.StartsWith("all,", StringComparison.Ordinal)).Split(',');
        Assert.Equal("864.5", all[Array.IndexOf(header, "cost_total_mean")]);
        Assert.Equal("9", all[Array.IndexOf(header, "operator_hours_provider_mean")]);
    }

    [Fact]
    public void Two_independent_skills_are_two_erlang_a_systems()
    {
        // Two call types, each served by its own group, exponential patience: each is an M/M/n+M queue. The group on
        // "b" has a proficiency of 1.5 on a 200 s handle time: an exponential handle time of mean 300 s.
        const int Intervals = 12;
        var s = Scenario(
            [Calls("a", 200, 180, 300, Intervals), Calls("b", 60, 200, 120, Intervals)],
            [
                new OperatorGroupSpec("ga", ["a"], [.. Enumerable.Repeat(11, Intervals)], null) { Proficiency = new Dictionary<string, double> { ["a"] = 1.0 } },
                new OperatorGroupSpec("gb", ["b"], [.. Enumerable.Repeat(6, Intervals)], null) { Proficiency = new Dictionary<string, double> { ["b"] = 1.5 } },
            ],
            Intervals) with { WarmupSeconds = 3600 };
        var exact = new[]
        {
            ErlangA.Compute(new QueueParameters(200.0 / 3600, 180, 11), 300, 20),
            ErlangA.Compute(new QueueParameters(60.0 / 3600, 300, 6), 120, 20),
        };
        const int Replications = 30;
        var first = KpiValues.FirstCountedInterval(s);
        var records = Enumerable.Range(0, Replications).Select(r => InlineEngine.RunReplication(s, 20261129, r).Records).ToArray();
        for (var t = 0; t < 2; t++)
        {
            var k = records.Select(r => KpiValues.From(r, first, Intervals - 1, t)).ToArray();
            var occupancy = records.Select(r => KpiValues.From(r, first, Intervals - 1).OccupancyByGroup[t]).ToArray();
            var name = s.CallTypes[t].Name;
            Check($"{name} SL", [.. k.Select(x => x.ServiceLevel)], exact[t].ServiceLevel);
            Check($"{name} ASA", [.. k.Select(x => x.AverageSpeedOfAnswer)], exact[t].AverageSpeedOfAnswerSeconds);
            Check($"{name} abandonment", [.. k.Select(x => x.AbandonmentRate)], exact[t].ProbabilityOfAbandonment);
            Check($"{name} occupancy", occupancy, exact[t].Occupancy);
        }
    }

    /// <summary>Equal up to the rounding of a time of day added and subtracted (relative 1e-10).</summary>
    private static void Near(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-10 * Math.Max(1, Math.Abs(expected)), $"expected {expected}, found {actual}");

    private void Check(string name, double[] replications, double exact)
    {
        var ci = ConfidenceInterval.FromSamples(replications, Level);
        output.WriteLine($"{name}: simulated {ci.Mean:G6} ± {ci.HalfWidth:G3} (99.9 %), exact {exact:G6}");
        Assert.True(Math.Abs(ci.Mean - exact) <= ci.HalfWidth, $"{name}: simulated {ci.Mean} ± {ci.HalfWidth} does not contain exact {exact}");
    }
}
