using CrisisSim.Analytics;
using CrisisSim.Engine;
using CrisisSim.Model.Recording;
using CrisisSim.Model.Scenario;
using Xunit.Abstractions;

namespace CrisisSim.Tests;

/// <summary>The crisis playbook in the model: each condition fires a rule at the first evaluation where it holds (worked
/// out here from the call log, independently of the playbook's own counting), never when it does not; <c>after</c>
/// delays the effect exactly; each action's effect shows in the calls.</summary>
public sealed class PlaybookTests(ITestOutputHelper output)
{
    private const double Period = 10;

    private static CallTypeSpec Calls(string name, double perHour, double handleSeconds, double? patienceSeconds = null, int intervals = 8, double intervalSeconds = 900) =>
        new(
            name,
            [.. Enumerable.Repeat(perHour * intervalSeconds / 3600, intervals)],
            patienceSeconds is { } p ? new ExponentialSpec(p) : null,
            new ExponentialSpec(handleSeconds));

    private static ScenarioDefinition Scenario(IReadOnlyList<CallTypeSpec> types, IReadOnlyList<OperatorGroupSpec> groups, params PlaybookRuleSpec[] rules) => new()
    {
        Name = "playbook",
        IntervalSeconds = 900,
        IntervalCount = 8,
        ServiceLevel = new ServiceLevelSpec(20),
        CallTypes = types,
        Groups = groups,
        Playbook = rules.Length == 0 ? null : new PlaybookSpec(rules, Period),
    };

    private static OperatorGroupSpec Group(string name, int staffing, params string[] serves) =>
        new(name, serves, [.. Enumerable.Repeat(staffing, 8)], null);

    private static PlaybookRuleSpec Rule(string name, PlaybookConditionSpec when, params PlaybookActionSpec[] actions) => new(name, when, actions);

    private static ReplicationResult Run(ScenarioDefinition s, long seed = 7, int replication = 0) =>
        InlineEngine.RunReplication(s, seed, replication, keepCallLog: true);

    /// <summary>The first evaluation instant (k x period, k >= 1) at or after <paramref name="time"/>.</summary>
    private static double EvaluationAtOrAfter(double time) => Math.Max(1, Math.Ceiling(time / Period)) * Period;

    // A type nobody answers: its queue grows by each arrival and never shrinks (no patience).
    private static readonly CallTypeSpec Unanswered = Calls("info", 120, 300);

    [Fact]
    public void A_queue_threshold_fires_at_the_first_evaluation_where_the_queue_holds_that_many_callers_and_once()
    {
        var s = Scenario([Unanswered], [Group("staff", 0, "info")],
            Rule("q5", new QueueCondition(PlaybookScope.All, 5), new SetPriorityAction("info", 1)));
        var result = Run(s);
        var arrivals = result.Records.CallLog!.Select(c => c.ArrivalTime).Order().ToArray();
        var firing = Assert.Single(result.Records.PlaybookFirings);
        Assert.Equal(0, firing.Rule);
        Assert.Equal(1, firing.Firing);
        Assert.Equal(EvaluationAtOrAfter(arrivals[4]), firing.Time, 9);
        Assert.Equal(firing.Time, firing.EffectTime);
    }

    [Fact]
    public void A_queue_threshold_that_is_never_reached_never_fires()
    {
        var s = Scenario([Unanswered], [Group("staff", 0, "info")],
            Rule("never", new QueueCondition(PlaybookScope.All, 1_000_000), new SetPriorityAction("info", 1)));
        var result = Run(s);
        Assert.Empty(result.Records.PlaybookFirings);
    }

    [Fact]
    public void For_waits_until_the_condition_has_held_that_long_and_after_delays_the_effect_exactly()
    {
        // The queue reaches 5 and stays (nobody answers the first type); an on-call pool answering only the second type
        // (a call of which waits from the start) comes on duty 120 s after the effect: its first answer is exactly then.
        var urgent = Calls("urgent", 60, 60);
        var pool = Group("pool", 1, "urgent") with { OnCall = new OnCallSpec(120) };
        var s = Scenario([Unanswered, urgent], [Group("staff", 0, "info"), pool],
            Rule("call-in", new HeldForCondition(new QueueCondition(new PlaybookScope(CallType: "info"), 5), 60), new ActivateGroupAction("pool")) with { AfterSeconds = 45 });
        var result = Run(s);
        var log = result.Records.CallLog!;
        var arrivals = log.Where(c => c.CallType == 0).Select(c => c.ArrivalTime).Order().ToArray();
        var firing = Assert.Single(result.Records.PlaybookFirings);
        var expected = EvaluationAtOrAfter(arrivals[4]) + 60;
        Assert.Equal(expected, firing.Time, 9);
        Assert.Equal(expected + 45, firing.EffectTime, 9);
        var firstAnswer = log.Where(c => c.Outcome == CallOutcome.Answered).Min(c => c.WaitEnd);
        Assert.Equal(expected + 45 + 120, firstAnswer, 9);
        Assert.DoesNotContain(log, c => c.Outcome == CallOutcome.Answered && c.WaitEnd < firstAnswer);
    }

    [Theory]
    [InlineData(0.6, 1800)]
    [InlineData(0.4, 600)]
    [InlineData(0.2, 900)]
    public void A_windowed_service_level_fires_where_the_call_log_says_it_first_falls_below(double below, double window)
    {
        // 6 operators for ~5.5 Erlangs: the service level swings; the rule watches it over a sliding window.
        var s = Scenario([Calls("info", 110, 180, patienceSeconds: 60)], [Group("staff", 6, "info")],
            Rule("sl", new WindowCondition(PlaybookScope.All, WindowMeasure.ServiceLevel, false, below, window), new SetPriorityAction("info", 1)));
        for (var seed = 1; seed <= 5; seed++)
        {
            var result = Run(s, seed);
            var log = result.Records.CallLog!;
            var expected = FirstEvaluation(s, t =>
            {
                var ended = log.Where(c => c.Outcome is CallOutcome.Answered or CallOutcome.Abandoned && c.WaitEnd > t - window && c.WaitEnd <= t).ToArray();
                return ended.Length > 0 && (double)ended.Count(c => c.Outcome == CallOutcome.Answered && c.Wait <= 20) / ended.Length < below;
            });
            var firings = result.Records.PlaybookFirings;
            output.WriteLine($"seed {seed}: expected {expected}, fired {(firings.Count > 0 ? firings[0].Time : double.NaN)}");
            if (expected is { } t0)
            {
                Assert.Equal(t0, Assert.Single(firings).Time, 9);
            }
            else
            {
                Assert.Empty(firings);
            }
        }
    }

    [Theory]
    [InlineData(WindowMeasure.Abandonment, true, 0.15, 1200)]
    [InlineData(WindowMeasure.Asa, true, 15, 900)]
    [InlineData(WindowMeasure.Offered, true, 33, 900)]
    [InlineData(WindowMeasure.Offered, true, 150, double.PositiveInfinity)]
    public void Windowed_abandonment_asa_and_offered_fire_where_the_call_log_says(WindowMeasure measure, bool above, double value, double window)
    {
        var s = Scenario([Calls("info", 110, 180, patienceSeconds: 60)], [Group("staff", 6, "info")],
            Rule("w", new WindowCondition(PlaybookScope.All, measure, above, value, window), new SetPriorityAction("info", 1)));
        var fired = 0;
        for (var seed = 1; seed <= 5; seed++)
        {
            var result = Run(s, seed);
            var log = result.Records.CallLog!;
            var expected = FirstEvaluation(s, t =>
            {
                bool In(double time) => time > t - window && time <= t;
                var answered = log.Where(c => c.Outcome == CallOutcome.Answered && In(c.WaitEnd)).ToArray();
                var abandoned = log.Count(c => c.Outcome == CallOutcome.Abandoned && In(c.WaitEnd));
                double? measured = measure switch
                {
                    WindowMeasure.Abandonment => answered.Length + abandoned > 0 ? (double)abandoned / (answered.Length + abandoned) : null,
                    WindowMeasure.Asa => answered.Length > 0 ? answered.Average(c => c.Wait) : null,
                    _ => log.Count(c => In(c.ArrivalTime)),
                };
                return measured is { } m && (above ? m >= value : m < value);
            });
            var firings = result.Records.PlaybookFirings;
            if (expected is { } t0)
            {
                Assert.Equal(t0, Assert.Single(firings).Time, 9);
                fired++;
            }
            else
            {
                Assert.Empty(firings);
            }
        }
        output.WriteLine($"{measure}: fired in {fired} of 5 seeds");
        Assert.InRange(fired, 1, 5);
    }

    /// <summary>The first evaluation instant up to the horizon where <paramref name="holds"/> is true, or null.</summary>
    private static double? FirstEvaluation(ScenarioDefinition s, Func<double, bool> holds)
    {
        for (var k = 1; k * Period <= s.HorizonSeconds; k++)
        {
            if (holds(k * Period))
            {
                return k * Period;
            }
        }
        return null;
    }

    [Fact]
    public void Clock_onset_and_fired_conditions_and_a_cooldown_fire_on_time()
    {
        var s = Scenario([Calls("info", 60, 120)], [Group("staff", 3, "info")],
            Rule("at-clock", new ClockCondition(3600 + 5), new SetPriorityAction("info", 1)),
            Rule("chained", new FiredCondition("at-clock"), new SetPriorityAction("info", 2)),
            Rule("since-onset", new SinceOnsetCondition(1200), new SetPriorityAction("info", 3)),
            Rule("repeat", new SinceOnsetCondition(0), new SetPriorityAction("info", 4)) with { CooldownSeconds = 1800 })
            with { ClockStartSeconds = 1800, OnsetSeconds = 600 };
        var firings = Run(s).Records.PlaybookFirings;
        // Clock 01:00:05 is 1805 s after a 00:30 start: the evaluation at 1810. The chained rule sees it at once.
        Assert.Equal([1810.0], firings.Where(f => f.Rule == 0).Select(f => f.Time));
        Assert.Equal([1810.0], firings.Where(f => f.Rule == 1).Select(f => f.Time));
        Assert.Equal([1800.0], firings.Where(f => f.Rule == 2).Select(f => f.Time));
        // Onset 600: from 600 on, every 1800 s, up to the horizon (7200).
        Assert.Equal([600.0, 2400, 4200, 6000], firings.Where(f => f.Rule == 3).Select(f => f.Time));
        Assert.Equal([1, 2, 3, 4], firings.Where(f => f.Rule == 3).Select(f => f.Firing));
    }

    [Fact]
    public void An_outsourced_provider_activated_by_a_rule_ramps_up_from_the_effect_not_from_the_onset()
    {
        // The provider: 30 min after the effect, then one every 5 min (12 an hour) up to 4 of its 10 scheduled.
        var provider = Group("provider", 10, "info") with { Activation = new ActivationSpec(1800, 12, 4) };
        var s = Scenario([Unanswered], [Group("staff", 0, "info"), provider],
            Rule("activate", new QueueCondition(PlaybookScope.All, 10), new ActivateGroupAction("provider")) with { AfterSeconds = 300 });
        var result = Run(s);
        var effect = Assert.Single(result.Records.PlaybookFirings).EffectTime;
        var onDuty = Enumerable.Range(0, 8).Select(k => result.Records.StaffedSeconds(k, 1)).ToArray();
        // Operators on duty over time: 0 before effect + 1800, then 1, 2, 3, 4 at 300 s steps.
        double Expected(int k)
        {
            double sum = 0;
            for (var i = 0; i < 4; i++)
            {
                var from = effect + 1800 + i * 300;
                sum += Math.Max(0, Math.Min((k + 1) * 900.0, 7200) - Math.Max(k * 900.0, from));
            }
            return sum;
        }
        for (var k = 0; k < 8; k++)
        {
            Assert.Equal(Expected(k), onDuty[k], 6);
        }
    }

    [Fact]
    public void Without_its_rule_firing_a_provider_named_by_activate_never_comes_on_duty()
    {
        var provider = Group("provider", 10, "info") with { Activation = new ActivationSpec(0, 12, 4) };
        var s = Scenario([Calls("info", 60, 120)], [Group("staff", 5, "info"), provider],
            Rule("activate", new QueueCondition(PlaybookScope.All, 1_000), new ActivateGroupAction("provider")));
        var result = Run(s);
        Assert.Empty(result.Records.PlaybookFirings);
        Assert.All(Enumerable.Range(0, 8), k => Assert.Equal(0, result.Records.StaffedSeconds(k, 1)));
    }

    [Fact]
    public void Numbers_open_close_and_gain_lines_when_their_rules_take_effect()
    {
        // The second number is closed until the rule at 30 min opens it with 2 lines, then 5 more at 60 min.
        var a = Calls("a", 60, 120) with { Number = "main" };
        var b = Calls("b", 240, 600) with { Number = "backup" };
        var s = Scenario([a, b], [Group("staff", 30, "a", "b")],
            Rule("open", new SinceOnsetCondition(1800), new OpenNumberAction("backup", true), new SetLinesAction("backup", 2, false)),
            Rule("more", new SinceOnsetCondition(3600), new SetLinesAction("backup", 5, true)))
            with { Numbers = [new EntryNumberSpec("main", 100), new EntryNumberSpec("backup", 50) { Closed = true }] };
        var log = Run(s).Records.CallLog!.Where(c => c.CallType == 1 && CallIdsAttempt(c) == 1).ToArray();
        Assert.All(log.Where(c => c.ArrivalTime < 1800), c => Assert.Equal(CallOutcome.Closed, c.Outcome));
        Assert.DoesNotContain(log, c => c.ArrivalTime > 1800 && c.Outcome == CallOutcome.Closed);
        Assert.Contains(log, c => c.ArrivalTime is > 1800 and < 3600 && c.Outcome == CallOutcome.Blocked);
        // Never more calls in the system than the lines of the moment: 2 before 3600, 7 after.
        var events = log.Where(c => c.Outcome != CallOutcome.Blocked && c.Outcome != CallOutcome.Closed)
            .SelectMany(c => new[] { (T: c.ArrivalTime, D: 1), (T: c.EndTime, D: -1) }).OrderBy(e => e.T).ThenBy(e => e.D);
        var inSystem = 0;
        foreach (var (t, d) in events)
        {
            inSystem += d;
            Assert.True(inSystem <= (t < 3600 ? 2 : 7), $"{inSystem} calls at {t}");
        }
    }

    private static int CallIdsAttempt(CallRecord c) => Model.Components.CallIds.Attempt(c.CallId);

    [Fact]
    public void Activating_the_provider_earlier_never_does_worse_on_common_random_numbers()
    {
        // An overload (patience 2 min, 20 Erlangs on 12 operators); the provider comes when the queue reaches the
        // threshold. Paired over 40 replications: a lower threshold abandons less.
        var provider = Group("provider", 15, "info") with { Activation = new ActivationSpec(900, 30, 15) };
        ScenarioDefinition With(int threshold) => Scenario([Calls("info", 400, 180, patienceSeconds: 120)], [Group("staff", 12, "info"), provider],
            Rule("activate", new HeldForCondition(new QueueCondition(PlaybookScope.All, threshold), 120), new ActivateGroupAction("provider")));
        var early = Abandoned(With(5), 40);
        var late = Abandoned(With(12), 40);
        var difference = MeanDifference.Paired(early, late);
        output.WriteLine($"abandoned: early {early.Average():F1}, late {late.Average():F1}, late - early {difference.Delta:F1} ± {difference.HalfWidth:F1}");
        Assert.True(difference.Delta - difference.HalfWidth > 0, "activating earlier must abandon fewer calls");
        Assert.True(early.Zip(late).Count(p => p.First <= p.Second) >= 36, "earlier activation does better in nearly every replication");
    }

    [Fact]
    public void Callbacks_switched_on_by_a_rule_lower_abandonment_in_an_overload()
    {
        var overload = Calls("info", 300, 180, patienceSeconds: 90);
        var without = Scenario([overload], [Group("staff", 12, "info")]);
        var with = Scenario([overload], [Group("staff", 12, "info")],
            Rule("callbacks", new WindowCondition(PlaybookScope.All, WindowMeasure.ServiceLevel, false, 0.6, 900),
                new CallbacksAction("info", new CallbackSpec(60, 0.7, 7200))));
        var a = Abandoned(without, 30);
        var b = Abandoned(with, 30);
        var difference = MeanDifference.Paired(b, a);
        output.WriteLine($"abandoned: without {a.Average():F1}, with callbacks {b.Average():F1}; difference {difference.Delta:F1} ± {difference.HalfWidth:F1}");
        Assert.True(difference.Delta - difference.HalfWidth > 0, "callbacks offered must lower abandonment");
    }

    [Fact]
    public void A_recorded_message_switched_on_deflects_callers_and_switched_off_stops()
    {
        var s = Scenario([Calls("info", 200, 120)], [Group("staff", 10, "info")],
            Rule("on", new SinceOnsetCondition(1800), new RecordedMessageAction("info", new RecordedMessageSpec(30, 0.5))),
            Rule("off", new SinceOnsetCondition(5400), new RecordedMessageAction("info", null)));
        var log = Run(s).Records.CallLog!;
        var deflected = log.Where(c => c.Outcome == CallOutcome.Deflected).ToArray();
        Assert.NotEmpty(deflected);
        Assert.All(deflected, c => Assert.InRange(c.ArrivalTime, 1800, 5400));
        Assert.All(deflected, c => Assert.Equal(30, c.WaitEnd - c.ArrivalTime, 9));
        var share = (double)deflected.Length / log.Count(c => c.ArrivalTime is > 1800 and < 5370);
        Assert.InRange(share, 0.4, 0.6);
    }

    [Fact]
    public void A_campaign_started_by_a_rule_makes_no_call_before_it()
    {
        var follow = new CallTypeSpec("follow", [.. Enumerable.Repeat(20.0, 8)], null, new ExponentialSpec(120)) { Outbound = new OutboundSpec(7200) };
        var s = Scenario([Calls("info", 30, 120), follow], [Group("staff", 4, "info", "follow")],
            Rule("start", new SinceOnsetCondition(3600), new CampaignAction("follow", true)));
        var result = Run(s);
        var made = Totals(result.Records, 1)[CallCounter.OutboundInTime] + Totals(result.Records, 1)[CallCounter.OutboundLate];
        Assert.True(made > 0);
        // Calls answered by operators before 3600 are inbound only: the outbound work starts at the effect.
        var busyBefore = Enumerable.Range(0, 4).Sum(k => result.Records.BusySeconds(k, 0));
        var busyBeforeWithout = Enumerable.Range(0, 4).Sum(k => Run(s with { Playbook = null }).Records.BusySeconds(k, 0));
        Assert.True(busyBefore < busyBeforeWithout, $"busy before the campaign {busyBefore} vs {busyBeforeWithout} without it");
    }

    [Fact]
    public void Every_call_ends_exactly_once_with_every_action_in_play()
    {
        var provider = Group("provider", 6, "info", "urgent") with { Activation = new ActivationSpec(600, 20, 6) };
        var pool = Group("pool", 3, "urgent") with { OnCall = new OnCallSpec(300) };
        var info = Calls("info", 300, 180, patienceSeconds: 120) with { Number = "main" };
        var urgent = Calls("urgent", 60, 240, patienceSeconds: 200) with { Number = "main", Priority = 1 };
        var s = Scenario([info, urgent], [Group("staff", 8, "info", "urgent"), provider, pool],
            Rule("activate", new HeldForCondition(new QueueCondition(PlaybookScope.All, 8), 60), new ActivateGroupAction("provider")) with { AfterSeconds = 120 },
            Rule("pool", new WindowCondition(new PlaybookScope(CallType: "urgent"), WindowMeasure.ServiceLevel, false, 0.7, 900), new ActivateGroupAction("pool")),
            Rule("message", new AnyOfCondition([new WindowCondition(PlaybookScope.All, WindowMeasure.Abandonment, true, 0.2, 900), new ClockCondition(5000)]),
                new RecordedMessageAction("info", new RecordedMessageSpec(20, 0.3)), new CallbacksAction("info", new CallbackSpec(90, 0.5, 3600))),
            Rule("lines", new WindowCondition(PlaybookScope.All, WindowMeasure.Offered, true, 50, 600), new SetLinesAction("main", 10, true)) with { CooldownSeconds = 1200 },
            Rule("routing", new FiredCondition("activate"), new SetRoutingAction(RoutingSpec.Priority), new SetPriorityAction("urgent", 5)))
            with { Numbers = [new EntryNumberSpec("main", 30)] };
        for (var replication = 0; replication < 5; replication++)
        {
            var result = Run(s, 11, replication);
            var log = result.Records.CallLog!;
            Assert.Equal(log.Count, log.Select(c => c.CallId).Distinct().Count());
            var totals = Enumerable.Range(0, 2).Select(t => Totals(result.Records, t)).ToArray();
            Assert.Equal(totals.Sum(t => t.Offered), log.Count);
            Assert.NotEmpty(result.Records.PlaybookFirings);
        }
    }

    [Fact]
    public void Firings_are_the_same_run_after_run_and_a_playbook_that_never_fires_changes_no_call()
    {
        var s = Scenario([Calls("info", 300, 180, patienceSeconds: 120)], [Group("staff", 12, "info")]);
        var never = s with
        {
            Playbook = new PlaybookSpec(
            [
                Rule("q", new QueueCondition(PlaybookScope.All, 100_000), new SetPriorityAction("info", 1)),
                Rule("sl", new WindowCondition(PlaybookScope.All, WindowMeasure.ServiceLevel, false, -1, 1800), new SetPriorityAction("info", 1)),
                Rule("offered", new WindowCondition(PlaybookScope.All, WindowMeasure.Offered, true, 1e9, double.PositiveInfinity), new SetPriorityAction("info", 1)),
            ], Period),
        };
        Assert.Equal(Run(s).Records.CallLog!, Run(never).Records.CallLog!);
        Assert.Empty(Run(never).Records.PlaybookFirings);
        var firing = s with { Playbook = new PlaybookSpec([Rule("q", new QueueCondition(PlaybookScope.All, 3), new SetPriorityAction("info", 1))], Period) };
        Assert.Equal(Run(firing).Records.PlaybookFirings, Run(firing).Records.PlaybookFirings);
    }

    /// <summary>Calls abandoned in each of <paramref name="replications"/> replications (common random numbers: the same
    /// seed and replication numbers for every variant).</summary>
    private static double[] Abandoned(ScenarioDefinition s, int replications) =>
        [.. Enumerable.Range(0, replications).Select(r => (double)Totals(InlineEngine.RunReplication(s, 20261207, r).Records, 0).Abandoned)];

    private static CallCounters Totals(Recorder records, int callType)
    {
        var sum = CallCounters.Sum();
        for (var k = 0; k < records.IntervalCount; k++)
        {
            sum.Add(records.Calls(k, callType));
        }
        return sum;
    }
}
