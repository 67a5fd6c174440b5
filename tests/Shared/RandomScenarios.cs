using CrisisSim.Model.Scenario;
using FsCheck;
using FsCheck.Fluent;

namespace CrisisSim.Testing;

/// <summary>FsCheck generators of small valid scenarios: 1-3 call types and groups, 1-5 intervals, zero-rate
/// intervals and zero staffing, every distribution, both policies, drains from none to an hour, and a seed.</summary>
internal static class RandomScenarios
{
    public sealed record Case(ScenarioDefinition Scenario, long Seed)
    {
        public override string ToString() =>
            $"seed {Seed}: {Scenario.CallTypes.Count} type(s) [{string.Join("; ", Scenario.CallTypes.Select(t => $"{t.Name} {string.Join(' ', t.CallsPerInterval)} patience {t.Patience} handle {t.HandleTime} prio {t.Priority}"))}], "
               + $"groups [{string.Join("; ", Scenario.Groups.Select(g => $"{g.Name} serves {string.Join(',', g.Serves)} staff {string.Join(' ', g.Staffing)} handle {g.HandleTime}"))}], "
               + $"{Scenario.IntervalCount} x {Scenario.IntervalSeconds} s, drain {Scenario.DrainSeconds}, warm-up {Scenario.WarmupSeconds}, {Scenario.Routing}";
    }

    /// <summary>Deterministic replay, so a failure seen in CI is seen again anywhere.</summary>
    public static Config Config(int maxTest) =>
        FsCheck.Config.QuickThrowOnFailure.WithMaxTest(maxTest).WithReplay(new Replay(new Rnd(20261128UL, 0x9E3779B97F4A7C15UL), null));

    public static Arbitrary<Case> Cases() => Arb.From(Generate(), Shrink);

    private static Gen<DistributionSpec> Duration(int minMean, int maxMean) =>
        from kind in Gen.Choose(0, 4)
        from mean in Gen.Choose(minMean, maxMean)
        from cv in Gen.Choose(1, 20)
        from values in Gen.ArrayOf(Gen.Choose(1, 2 * maxMean), 3)
        select kind switch
        {
            0 => (DistributionSpec)new ExponentialSpec(mean),
            1 => new LogNormalSpec(mean, mean * cv / 10.0),
            2 => new GammaSpec(mean, mean * cv / 10.0),
            3 => new DeterministicSpec(mean),
            _ => new EmpiricalSpec([.. values.Select(v => (double)v)]),
        };

    private static Gen<Case> Generate() =>
        from intervals in Gen.Choose(1, 5)
        from intervalSeconds in Gen.Elements(60.0, 300.0, 900.0)
        from typeCount in Gen.Choose(1, 3)
        from groupCount in Gen.Choose(1, 3)
        from types in Gen.CollectToArray(Enumerable.Range(0, typeCount), t =>
            from rates in Gen.ArrayOf(Gen.Frequency((1, Gen.Constant(0)), (4, Gen.Choose(1, 80))), intervals)
            from hasPatience in Gen.Elements(true, true, false)
            from patience in Duration(5, 400)
            from handle in Duration(10, 600)
            from priority in Gen.Choose(0, 2)
            select new CallTypeSpec("t" + t, [.. rates.Select(r => (double)r)], hasPatience ? patience : null, handle, priority))
        from groups in Gen.CollectToArray(Enumerable.Range(0, groupCount), g =>
            from serves in Gen.SubListOf(types.Select(t => t.Name)).Where(l => l.Count > 0)
            from staffing in Gen.ArrayOf(Gen.Frequency((1, Gen.Constant(0)), (5, Gen.Choose(1, 20))), intervals)
            from ownHandle in Gen.Elements(true, false)
            from handle in Duration(10, 600)
            select new OperatorGroupSpec("g" + g, [.. serves], staffing, ownHandle ? handle : null))
        from drain in Gen.Elements(0.0, 60.0, 600.0, 3600.0)
        from warmup in Gen.Elements(0, 0, 1)
        from fifo in Gen.Elements(true, false)
        from threshold in Gen.Elements(0.0, 20.0, 60.0)
        from seed in Gen.Choose(-1000, 1000)
        select new Case(
            new ScenarioDefinition
            {
                Name = "random",
                IntervalSeconds = intervalSeconds,
                IntervalCount = intervals,
                WarmupSeconds = intervals > 1 ? warmup * intervalSeconds : 0,
                DrainSeconds = drain,
                ServiceLevel = new ServiceLevelSpec(threshold),
                Routing = fifo ? RoutingSpec.Fifo : RoutingSpec.Priority,
                CallTypes = types,
                Groups = EnsureEveryTypeServed(types, groups),
            },
            seed);

    /// <summary>The cases of <see cref="Cases"/>, each group given operator rules at random: proficiency, after-call work,
    /// occupancy cap, shrinkage, shifts with breaks, an outsourced provider's activation and a learning curve; routed by
    /// the case's policy or by skills (most proficient), overflow (to g0 after 30 s) or reserve.</summary>
    public static Arbitrary<Case> CasesWithOperators() => Arb.From(
        from c in Generate()
        from onset in Gen.Choose(0, 3600)
        from rules in Gen.ArrayOf(OperatorRules(c.Scenario), 3)
        from routing in Gen.Elements(
            c.Scenario.Routing,
            RoutingSpec.BuiltIn("skills", new Dictionary<string, string> { ["select"] = "mostProficient" }),
            RoutingSpec.BuiltIn("overflow", new Dictionary<string, string> { ["group"] = "g0", ["after"] = "30s" }),
            RoutingSpec.BuiltIn("reserve", new Dictionary<string, string> { ["group"] = "g0", ["operators"] = "1", ["minPriority"] = "1" }))
        select c with
        {
            Scenario = c.Scenario with
            {
                Routing = routing,
                OnsetSeconds = onset,
                Groups = [.. c.Scenario.Groups.Select((g, i) => rules[i](g))],
            },
        });

    private static Gen<Func<OperatorGroupSpec, OperatorGroupSpec>> OperatorRules(ScenarioDefinition s) =>
        from proficiency in Gen.Elements(0.0, 0.0, 0.7, 1.3)
        from hasAcw in Gen.Elements(true, false)
        from acw in Duration(1, 120)
        from cap in Gen.Elements(1.0, 1.0, 0.5, 0.9)
        from shrinkage in Gen.Elements(0.0, 0.0, 0.15, 0.5)
        from shiftCount in Gen.Elements(0, 0, 1, 2)
        from shifts in Gen.ArrayOf(
            from start in Gen.Choose(0, 95)
            from length in Gen.Choose(1, 95)
            from operators in Gen.Choose(0, 12)
            from breakAt in Gen.Choose(0, 95)
            from breakLength in Gen.Choose(1, 10)
            select new ShiftSpec(start * 900.0, (start + length) % 96 * 900.0, operators,
                breakAt < length && breakAt + breakLength <= length ? [new BreakSpec((start + breakAt) % 96 * 900.0, breakLength * 90.0)] : []), 2)
        from activation in Gen.Elements<ActivationSpec?>(null, null, new ActivationSpec(0, 60, 3), new ActivationSpec(600, 6, 10), new ActivationSpec(1800, 600, 5))
        from learning in Gen.Elements<LearningSpec?>(null, null, new LearningSpec(1.5, 600, null), new LearningSpec(2, null, 3), new LearningSpec(0.8, 3600, null))
        select (Func<OperatorGroupSpec, OperatorGroupSpec>)(g =>
        {
            var withShifts = shiftCount == 0 || shifts.Take(shiftCount).Any(x => x.StartSeconds == x.EndSeconds)
                ? g
                : g with { Shifts = [.. shifts.Take(shiftCount)] };
            var rules = withShifts with
            {
                Proficiency = proficiency == 0 ? null : g.Serves.ToDictionary(t => t, _ => proficiency),
                AfterCallWork = hasAcw ? acw : null,
                OccupancyCap = cap,
                Shrinkage = shrinkage,
                Activation = activation,
                Learning = learning,
            };
            return rules.Shifts is null
                ? rules
                : rules with { Staffing = Model.Components.OperatorSchedule.PeakPerInterval(rules, s.IntervalSeconds, s.IntervalCount, s.ClockStartSeconds) };
        });

    /// <summary>A type nobody serves is valid but dull: the first group serves it too.</summary>
    private static OperatorGroupSpec[] EnsureEveryTypeServed(CallTypeSpec[] types, OperatorGroupSpec[] groups)
    {
        var unserved = types.Select(t => t.Name).Where(n => !groups.Any(g => g.Serves.Contains(n))).ToArray();
        if (unserved.Length > 0)
        {
            groups[0] = groups[0] with { Serves = [.. groups[0].Serves, .. unserved] };
        }
        return groups;
    }

    /// <summary>Smaller cases first: fewer intervals, then halved rates.</summary>
    private static IEnumerable<Case> Shrink(Case c)
    {
        var s = c.Scenario;
        if (s.IntervalCount > 1)
        {
            var n = s.IntervalCount - 1;
            yield return c with
            {
                Scenario = s with
                {
                    IntervalCount = n,
                    WarmupSeconds = 0,
                    CallTypes = [.. s.CallTypes.Select(t => t with { Arrivals = new PoissonArrivalSpec([.. t.CallsPerInterval.Take(n)]) })],
                    Groups = [.. s.Groups.Select(g => g with { Staffing = [.. g.Staffing.Take(n)] })],
                },
            };
        }
        if (s.CallTypes.Any(t => t.CallsPerInterval.Any(r => r >= 2)))
        {
            yield return c with { Scenario = s with { CallTypes = [.. s.CallTypes.Select(t => t with { Arrivals = new PoissonArrivalSpec([.. t.CallsPerInterval.Select(r => Math.Floor(r / 2))]) })] } };
        }
    }
}
