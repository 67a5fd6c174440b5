using CrisisSim.Model.Scenario;

namespace CrisisSim.Testing;

/// <summary>Scenarios built in code for tests that need exact control of every parameter, reaching every path of the
/// router: priority routing, several groups, staffing changes, zero-rate intervals, simultaneous events, calls still
/// waiting at close; and the shortening of library scenarios to keep suites fast.</summary>
internal static class TestScenarios
{
    /// <summary>Keeps the first whole intervals that fit in <paramref name="maxCalls"/> expected calls; when even the
    /// first one does not fit, keeps one shorter interval with the same arrival rates.</summary>
    public static ScenarioDefinition Shorten(ScenarioDefinition s, double maxCalls)
    {
        var grid = ArrivalGrid.Of(s);
        double CallsIn(int k) => s.CallTypes.Sum(t => t.Arrivals.ExpectedCalls(grid, k * s.IntervalSeconds, (k + 1) * s.IntervalSeconds));
        var keep = 0;
        var total = 0.0;
        while (keep < s.IntervalCount && total + CallsIn(keep) <= maxCalls)
        {
            total += CallsIn(keep++);
        }
        if (keep > 0)
        {
            return Truncate(s, keep, 1.0);
        }
        return Truncate(s, 1, maxCalls / CallsIn(0));
    }

    /// <summary>The first <paramref name="intervals"/> intervals, each <paramref name="scale"/> times as long with the
    /// same rates.</summary>
    private static ScenarioDefinition Truncate(ScenarioDefinition s, int intervals, double scale)
    {
        var intervalSeconds = s.IntervalSeconds * scale;
        var horizon = intervalSeconds * intervals;
        return s with
        {
            IntervalCount = intervals,
            IntervalSeconds = intervalSeconds,
            WarmupSeconds = s.WarmupSeconds < horizon ? s.WarmupSeconds : 0,
            CallTypes = [.. s.CallTypes.Select(t => t with { Arrivals = Truncate(t.Arrivals, intervals, scale) })],
            Groups = [.. s.Groups.Select(g => g with { Staffing = [.. g.Staffing.Take(intervals)] })],
        };
    }

    /// <summary>Per-interval values cut and scaled to the shorter intervals; rates given in time (profiles, tables,
    /// surge times) stay as they are.</summary>
    private static T Truncate<T>(T arrivals, int intervals, double scale) where T : ArrivalSpec
    {
        IReadOnlyList<double> Cut(IReadOnlyList<double> calls) => [.. calls.Take(intervals).Select(c => c * scale)];
        ArrivalSpec result = arrivals switch
        {
            PoissonArrivalSpec p => new PoissonArrivalSpec(Cut(p.CallsPerInterval)),
            SurgeArrivalSpec { Baseline: PerIntervalBaseline b } surge => surge with { Baseline = new PerIntervalBaseline(Cut(b.CallsPerInterval)) },
            BusyArrivalSpec busy => busy with { Inner = Truncate(busy.Inner, intervals, scale) },
            HawkesArrivalSpec hawkes => hawkes with { Baseline = Truncate(hawkes.Baseline, intervals, scale) },
            _ => arrivals,
        };
        return (T)result;
    }

    /// <summary>One call type, one group, stationary load.</summary>
    public static ScenarioDefinition Single(
        double callsPerSecond,
        double meanHandleSeconds,
        int agents,
        double? meanPatienceSeconds,
        double thresholdSeconds,
        double intervalSeconds = 3600,
        int intervals = 10,
        double warmupSeconds = 0,
        string name = "single") => new()
        {
            Name = name,
            IntervalSeconds = intervalSeconds,
            IntervalCount = intervals,
            WarmupSeconds = warmupSeconds,
            ServiceLevel = new ServiceLevelSpec(thresholdSeconds),
            CallTypes =
            [
                new CallTypeSpec(
                    "calls",
                    [.. Enumerable.Repeat(callsPerSecond * intervalSeconds, intervals)],
                    meanPatienceSeconds is { } p ? new ExponentialSpec(p) : null,
                    new ExponentialSpec(meanHandleSeconds)),
            ],
            Groups = [new OperatorGroupSpec("agents", ["calls"], [.. Enumerable.Repeat(agents, intervals)], null)],
        };

    /// <summary>Two call types with priority, two groups (one serving both), staffing that changes every interval, a
    /// zero-rate interval and every kind of distribution.</summary>
    public static ScenarioDefinition Mixed(int intervals = 8, double drainSeconds = 4 * 3600) => new()
    {
        Name = "mixed",
        IntervalSeconds = 900,
        IntervalCount = intervals,
        DrainSeconds = drainSeconds,
        ServiceLevel = new ServiceLevelSpec(30),
        Routing = RoutingSpec.Priority,
        CallTypes =
        [
            new CallTypeSpec("info", [.. Enumerable.Range(0, intervals).Select(k => 150.0 + 60 * (k % 3))], new LogNormalSpec(120, 90), new GammaSpec(240, 120)),
            new CallTypeSpec("urgent", [.. Enumerable.Range(0, intervals).Select(k => k == 2 ? 0.0 : 40.0)], new EmpiricalSpec([20, 60, 180, 400]), new DeterministicSpec(300), Priority: 5),
        ],
        Groups =
        [
            new OperatorGroupSpec("generalists", ["info", "urgent"], [.. Enumerable.Range(0, intervals).Select(k => 20 + 6 * (k % 4) - (k == 5 ? 15 : 0))], null),
            new OperatorGroupSpec("nurses", ["urgent"], [.. Enumerable.Range(0, intervals).Select(k => k % 2 == 0 ? 6 : 2)], new ExponentialSpec(360)),
        ],
    };

    /// <summary>Every mechanism of the caller's journey at once: two call types sharing a number with few lines, one
    /// with its own number, a recorded message, balking, redials after busy signals, abandonments and balks, priority
    /// routing and abandonment, a patience mixture, patience factors falling by interval and a queue limit for balking,
    /// callbacks on information calls, a share of symptom calls transferred to the emergency line; the run starts at 08:50, the hotline opens 09:00-10:05 and tells the callers waiting at
    /// closing to call back, the emergency line closes at 10:10 and serves those still waiting.</summary>
    public static ScenarioDefinition Journey(int intervals = 6) => new()
    {
        Name = "journey",
        ClockStartSeconds = 8 * 3600 + 50 * 60,
        IntervalSeconds = 900,
        IntervalCount = intervals,
        DrainSeconds = 1800,
        ServiceLevel = new ServiceLevelSpec(30),
        Routing = RoutingSpec.Priority,
        Numbers =
        [
            new EntryNumberSpec("hotline", 14) { Hours = new OpeningHoursSpec(9 * 3600, 10 * 3600 + 5 * 60, AtCloseKind.CallBack) },
            new EntryNumberSpec("emergency", 4) { Hours = new OpeningHoursSpec(7 * 3600, 10 * 3600 + 10 * 60) },
        ],
        CallTypes =
        [
            new CallTypeSpec("info", [.. Enumerable.Range(0, intervals).Select(k => 60.0 + 40 * (k % 3))], new ExponentialSpec(150), new ExponentialSpec(240)) { Number = "hotline", RecordedMessage = new RecordedMessageSpec(45, 0.3), BalkingProbability = 0.2, PatienceFactors = [.. Enumerable.Range(0, intervals).Select(k => Math.Max(0.4, 1.0 - 0.1 * k))], Callbacks = new CallbackSpec(60, 0.5, 1200), Redials = new RedialSpec([0.7, 0.5, 0.3], new ExponentialSpec(300)) },
            new CallTypeSpec("symptoms", [.. Enumerable.Range(0, intervals).Select(_ => 20.0)], new MixtureSpec([new MixtureComponentSpec(0.2, new ExponentialSpec(15)), new MixtureComponentSpec(0.8, new LogNormalSpec(360, 200))]), new ExponentialSpec(360), Priority: 5) { Number = "hotline", BalkingProbability = 0.1, BalkingQueueAbove = 4, BalkingWaitAbove = 900, Transfers = [new TransferSpec("urgent", 0.4)] },
            new CallTypeSpec("urgent", [.. Enumerable.Range(0, intervals).Select(_ => 15.0)], null, new DeterministicSpec(400)) { Number = "emergency", Redials = new RedialSpec([0.9], new DeterministicSpec(60)) },
        ],
        Groups =
        [
            new OperatorGroupSpec("agents", ["info", "symptoms"], [.. Enumerable.Range(0, intervals).Select(k => 6 + k % 3)], null),
            new OperatorGroupSpec("nurses", ["symptoms", "urgent"], [.. Enumerable.Range(0, intervals).Select(_ => 3)], null),
        ],
    };

    /// <summary>The journey scenario replaying recorded calls: information and symptom calls at recorded times, each with
    /// what a log would show of it (a talk time when answered, a patience when abandoned, a wait it was served after, or
    /// nothing when it ended in the message; some not observed at all), so that recorded values meet redials, callbacks,
    /// transfers, patience factors and an operator's proficiency; a few times lie past the horizon.</summary>
    public static ScenarioDefinition Recorded(int intervals = 6)
    {
        var journey = Journey(intervals);
        var horizon = journey.IntervalSeconds * intervals;
        RecordedArrivalSpec Recorded(string name, int calls, int seed)
        {
            var random = new Random(seed);
            var times = Enumerable.Range(0, calls).Select(_ => Math.Floor(random.NextDouble() * (horizon + 600))).Order().ToArray();
            var handle = new float[calls];
            var patience = new float[calls];
            var atLeast = new float[calls];
            for (var i = 0; i < calls; i++)
            {
                // Half answered, a quarter abandoned, a quarter with nothing observed (ended in the message).
                var outcome = random.Next(4);
                handle[i] = outcome <= 1 ? random.Next(30, 400) : float.NaN;
                patience[i] = outcome == 2 ? random.Next(0, 600) : float.NaN;
                atLeast[i] = outcome <= 1 ? random.Next(0, 400) : float.NaN;
            }
            return new RecordedArrivalSpec(times, name + " recorded")
            {
                HandleSeconds = handle,
                PatienceSeconds = patience,
                PatienceAtLeastSeconds = atLeast,
            };
        }
        return journey with
        {
            Name = "recorded",
            CallTypes =
            [
                journey.CallTypes[0] with { Arrivals = Recorded("info", 300, 5) },
                journey.CallTypes[1] with { Arrivals = Recorded("symptoms", 120, 6) },
                journey.CallTypes[2],
            ],
            Groups =
            [
                journey.Groups[0] with { Proficiency = new Dictionary<string, double> { ["info"] = 1.25 } },
                journey.Groups[1],
            ],
        };
    }

    /// <summary>The journey scenario with a crisis playbook using every kind of condition and action: a provider and an
    /// on-call pool activated on queue and service-level triggers, lines added with a cooldown, the hotline's hours
    /// extended, a recorded message and callbacks switched, priorities and the routing policy changed, a backup number
    /// opened. Evaluated every 30 s.</summary>
    public static ScenarioDefinition Playbook(int intervals = 6)
    {
        var journey = Journey(intervals);
        return journey with
        {
            Name = "playbook",
            OnsetSeconds = 300,
            Numbers = [.. journey.Numbers, new EntryNumberSpec("backup", 6) { Closed = true }],
            CallTypes = [.. journey.CallTypes, new CallTypeSpec("overflow", [.. Enumerable.Range(0, intervals).Select(_ => 25.0)], new ExponentialSpec(200), new ExponentialSpec(200)) { Number = "backup" }],
            Groups =
            [
                journey.Groups[0],
                journey.Groups[1],
                new OperatorGroupSpec("provider", ["info", "symptoms", "overflow"], [.. Enumerable.Range(0, intervals).Select(_ => 8)], new ExponentialSpec(300)) { Activation = new ActivationSpec(600, 30, 8) },
                new OperatorGroupSpec("pool", ["urgent", "overflow"], [.. Enumerable.Range(0, intervals).Select(_ => 2)], null) { OnCall = new OnCallSpec(420) },
            ],
            Playbook = new PlaybookSpec(
            [
                new PlaybookRuleSpec("provider", new HeldForCondition(new QueueCondition(new PlaybookScope(Number: "hotline"), 5), 60), [new ActivateGroupAction("provider")]) { AfterSeconds = 120 },
                new PlaybookRuleSpec("pool", new AnyOfCondition(
                [
                    new WindowCondition(new PlaybookScope(CallType: "urgent"), WindowMeasure.ServiceLevel, false, 0.8, 900),
                    new WindowCondition(PlaybookScope.All, WindowMeasure.Asa, true, 40, 600),
                ]), [new ActivateGroupAction("pool"), new OpenNumberAction("backup", true)]),
                new PlaybookRuleSpec("lines", new WindowCondition(new PlaybookScope(Number: "hotline"), WindowMeasure.Offered, true, 20, 600), [new SetLinesAction("hotline", 2, true)]) { CooldownSeconds = 900 },
                new PlaybookRuleSpec("message", new AllOfCondition(
                [
                    new WindowCondition(PlaybookScope.All, WindowMeasure.Abandonment, true, 0.1, 900),
                    new SinceOnsetCondition(600),
                ]),
                [
                    new RecordedMessageAction("info", new RecordedMessageSpec(30, 0.4)),
                    new CallbacksAction("info", new CallbackSpec(30, 0.7, 1800)),
                    new SetPriorityAction("info", 6),
                ]) { AfterSeconds = 90 },
                new PlaybookRuleSpec("hours", new ClockCondition(9 * 3600 + 30 * 60), [new SetHoursAction("hotline", new OpeningHoursSpec(9 * 3600, 11 * 3600, AtCloseKind.CallBack))]),
                new PlaybookRuleSpec("routing", new FiredCondition("message"), [new SetRoutingAction(RoutingSpec.Fifo), new RecordedMessageAction("info", null), new CallbacksAction("info", null)]) { AfterSeconds = 600 },
            ], 30),
        };
    }

    /// <summary>An overload that never clears: callers never hang up, staffing drops to zero in the last interval and
    /// the drain is short, so many calls are still waiting when the run closes.</summary>
    public static ScenarioDefinition Closing() => new()
    {
        Name = "closing",
        IntervalSeconds = 600,
        IntervalCount = 4,
        DrainSeconds = 300,
        ServiceLevel = new ServiceLevelSpec(20),
        CallTypes = [new CallTypeSpec("calls", [120, 0, 150, 90], null, new ExponentialSpec(240))],
        Groups = [new OperatorGroupSpec("agents", ["calls"], [3, 5, 4, 0], null)],
    };

    /// <summary>Deterministic handle times and patience in whole seconds, operators arriving in bulk at interval
    /// boundaries and zero-rate, zero-staff intervals: many events fall at the same instant, so only the posting
    /// sequence orders them.</summary>
    public static ScenarioDefinition Ties() => new()
    {
        Name = "ties",
        IntervalSeconds = 300,
        IntervalCount = 6,
        DrainSeconds = 600,
        ServiceLevel = new ServiceLevelSpec(15),
        Routing = RoutingSpec.Fifo,
        CallTypes =
        [
            new CallTypeSpec("a", [0, 120, 120, 0, 90, 60], new EmpiricalSpec([30, 60, 120]), new DeterministicSpec(60)),
            new CallTypeSpec("b", [60, 0, 90, 60, 0, 30], new DeterministicSpec(90), new DeterministicSpec(120), Priority: 1),
        ],
        Groups =
        [
            new OperatorGroupSpec("both", ["a", "b"], [0, 4, 10, 2, 8, 0], null),
            new OperatorGroupSpec("only-b", ["b"], [3, 0, 3, 6, 0, 3], new DeterministicSpec(60)),
        ],
    };

    /// <summary>Every arrival process at once, over midnight (two busyness days): surges of every shape on a per-interval
    /// baseline with a zero-rate interval, an hour-of-day profile with day factors, a rate table, busyness shared by two
    /// call types, and self-exciting waves.</summary>
    public static ScenarioDefinition Demand(int intervals = 12)
    {
        var perHour = new double[24];
        for (var h = 0; h < 24; h++)
        {
            perHour[h] = h < 6 ? 0 : 40 + 5 * (h % 5);
        }
        perHour[22] = 60;
        perHour[23] = 50;
        IntensitySpec surges = new SurgeArrivalSpec(
            new PerIntervalBaseline([.. Enumerable.Range(0, intervals).Select(k => k == 3 ? 0.0 : 20 + 2 * (k % 4))]),
            [
                new StepSurge(1800, 2, 7200),
                new RampSurge(3600, 3, 5400, double.PositiveInfinity),
                new DecaySurge(900, 4, 3600),
                new GammaBumpSurge(600, 5, 7200, 3600),
            ]);
        IntensitySpec profile = new SurgeArrivalSpec(new DailyProfileBaseline(perHour, [1, 1.5, 1, 1, 1, 0.8, 0.6]), [new GammaBumpSurge(3600, 3, 3600, 1800)]);
        return new ScenarioDefinition
        {
            Name = "demand",
            IntervalSeconds = 1800,
            IntervalCount = intervals,
            ClockStartSeconds = 22 * 3600,
            DrainSeconds = 1800,
            ServiceLevel = new ServiceLevelSpec(30),
            CallTypes =
            [
                new CallTypeSpec("surges", new BusyArrivalSpec(surges, 10, BusynessPeriod.Day), new ExponentialSpec(120), new ExponentialSpec(200)),
                new CallTypeSpec("waves", new HawkesArrivalSpec(new BusyArrivalSpec(profile, 10, BusynessPeriod.Day), 0.5, 300), new ExponentialSpec(180), new ExponentialSpec(240)),
                new CallTypeSpec("table", new RateTableArrivalSpec("table.csv", [0, 2000, 7000, 9000], [30, 0, 80, 45]), null, new ExponentialSpec(150)),
                new CallTypeSpec("plain", [.. Enumerable.Repeat(15.0, intervals)], new ExponentialSpec(300), new ExponentialSpec(180), Priority: 1),
            ],
            Groups = [new OperatorGroupSpec("agents", ["surges", "waves", "table", "plain"], [.. Enumerable.Range(0, intervals).Select(k => 20 + 3 * (k % 3))], null)],
        };
    }

    /// <summary>Outbound follow-up beside inbound calls: generalists answer information calls and make follow-up calls
    /// (deadline 30 min, 70 % reached, 30 s per unanswered attempt) when nobody waits; a small outbound team works some
    /// intervals; overloaded intervals make follow-ups late, and with fewer generalists in the last interval those still to
    /// make at a short drain are missed.</summary>
    public static ScenarioDefinition Outbound(int intervals = 8) => new()
    {
        Name = "outbound",
        IntervalSeconds = 900,
        IntervalCount = intervals,
        DrainSeconds = 600,
        ServiceLevel = new ServiceLevelSpec(30),
        Routing = RoutingSpec.Priority,
        CallTypes =
        [
            new CallTypeSpec("info", [.. Enumerable.Range(0, intervals).Select(k => 90.0 + 50 * (k % 3))], new ExponentialSpec(200), new ExponentialSpec(240)),
            new CallTypeSpec("followup", [.. Enumerable.Range(0, intervals).Select(k => k == 4 ? 0.0 : 25.0)], null, new LogNormalSpec(300, 150)) { Outbound = new OutboundSpec(1800, 0.7, 30) },
            new CallTypeSpec("results", [.. Enumerable.Repeat(8.0, intervals)], null, new DeterministicSpec(120)) { Outbound = new OutboundSpec(3600) },
        ],
        Groups =
        [
            new OperatorGroupSpec("generalists", ["info", "followup", "results"], [.. Enumerable.Range(0, intervals).Select(k => k == intervals - 1 ? 18 : 24 + 4 * (k % 2))], null),
            new OperatorGroupSpec("outreach", ["followup"], [.. Enumerable.Range(0, intervals).Select(k => k % 3 == 0 ? 2 : 0)], new ExponentialSpec(360)),
        ],
    };
}
