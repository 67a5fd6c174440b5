using CrisisSim.Engine;
using CrisisSim.Testing;
using CrisisSim.Model.Recording;
using CrisisSim.Model.Routing;
using CrisisSim.Model.Scenario;
using CrisisSim.Plugins;

namespace CrisisSim.Tests;

/// <summary>The built-in routing policies, decision by decision on a view set by hand, and their invariants checked on
/// the call log of whole runs.</summary>
public sealed class RoutingPolicyTests
{
    private static readonly Dictionary<string, string> None = [];

    // ---- decisions on a view set by hand ----

    [Fact]
    public void Most_proficient_sends_an_arriving_call_to_the_idle_group_with_the_lowest_multiplier()
    {
        // Three groups serve type 0; group 2 is the most proficient but has nobody idle.
        var view = new FakeView(types: 1, groups: 3, serves: [[0], [0], [0]]);
        view.Idle[0] = 2;
        view.IdleSince[0] = 10; // idle longest
        view.Idle[1] = 1;
        view.IdleSince[1] = 50;
        view.ProficiencyOf[0, 0] = 1.3;
        view.ProficiencyOf[1, 0] = 0.9;
        view.ProficiencyOf[2, 0] = 0.5;
        var policy = Skills("mostProficient");

        Assert.Equal(1, policy.SelectGroup(new OfferedCall(0, 60, 1), view));
        Assert.Equal(0, Skills("longestIdle").SelectGroup(new OfferedCall(0, 60, 1), view));

        view.Idle[2] = 1;
        view.IdleSince[2] = 55;
        Assert.Equal(2, policy.SelectGroup(new OfferedCall(0, 60, 1), view));
    }

    [Fact]
    public void Most_proficient_ties_go_to_the_longest_idle_group()
    {
        var view = new FakeView(types: 1, groups: 2, serves: [[0], [0]]);
        view.Idle[0] = 1;
        view.IdleSince[0] = 30;
        view.Idle[1] = 1;
        view.IdleSince[1] = 20;
        Assert.Equal(1, Skills("mostProficient").SelectGroup(new OfferedCall(0, 60, 1), view));
    }

    [Fact]
    public void Most_proficient_operator_takes_the_type_it_handles_best_then_priority_then_oldest()
    {
        var view = new FakeView(types: 3, groups: 1, serves: [[0, 1, 2]]);
        view.Waiting[0] = 1;
        view.Oldest[0] = 5; // oldest, but handled slowly
        view.Waiting[1] = 3;
        view.Oldest[1] = 40;
        view.Waiting[2] = 2;
        view.Oldest[2] = 20;
        view.ProficiencyOf[0, 0] = 1.5;
        view.ProficiencyOf[0, 1] = 0.8;
        view.ProficiencyOf[0, 2] = 0.8;
        var policy = Skills("mostProficient");

        Assert.Equal(2, policy.SelectCallType(0, view)); // 0.8 for types 1 and 2; type 2 is older
        view.Priorities[1] = 3;
        Assert.Equal(1, policy.SelectCallType(0, view)); // same proficiency, higher priority
        Assert.Equal(0, FifoPolicy.Instance.SelectCallType(0, view));
    }

    [Fact]
    public void Overflow_keeps_the_backup_group_for_calls_that_waited_long_enough_and_asks_for_a_wake_up()
    {
        var view = new FakeView(types: 1, groups: 2, serves: [[0], [0]]) { Now = 100 };
        view.Idle[1] = 3; // only the backup group (1) has idle operators
        view.IdleSince[1] = 0;
        var policy = new OverflowPolicy(Setup("overflow", new() { ["group"] = "g1", ["after"] = "1m" }, types: 1, groups: 2));

        Assert.Equal(-1, policy.SelectGroup(new OfferedCall(0, 100, 1), view));
        Assert.Equal([160.0], view.WakeUps);
        // A call that has waited 60 s already (after a recorded message) goes to the backup at once.
        Assert.Equal(1, policy.SelectGroup(new OfferedCall(0, 40, 2), view));
        Assert.Single(view.WakeUps);

        // A freed backup operator takes the type only once its oldest call has waited 60 s.
        view.Waiting[0] = 1;
        view.Oldest[0] = 100;
        view.Now = 159.5;
        Assert.Equal(-1, policy.SelectCallType(1, view));
        view.Now = 160;
        Assert.Equal(0, policy.SelectCallType(1, view));
        Assert.Equal(0, policy.SelectCallType(0, view)); // the primary group, at any time
    }

    [Fact]
    public void Reserve_keeps_the_last_k_idle_operators_for_high_priority_calls()
    {
        var view = new FakeView(types: 2, groups: 1, serves: [[0, 1]]);
        view.Priorities[1] = 2;
        var policy = new ReservePolicy(Setup("reserve", new() { ["group"] = "g0", ["operators"] = "2", ["minPriority"] = "2" }, types: 2, groups: 1));
        view.Idle[0] = 2;
        Assert.Equal(-1, policy.SelectGroup(new OfferedCall(0, 0, 1), view)); // low: 2 idle are the reserve
        Assert.Equal(0, policy.SelectGroup(new OfferedCall(1, 0, 2), view));  // high takes them
        view.Idle[0] = 3;
        Assert.Equal(0, policy.SelectGroup(new OfferedCall(0, 0, 3), view));

        // A freed operator takes a low-priority call only if at least k others are idle.
        view.Waiting[0] = 4;
        view.Oldest[0] = 1;
        view.Idle[0] = 1;
        Assert.Equal(-1, policy.SelectCallType(0, view));
        view.Waiting[1] = 1;
        view.Oldest[1] = 9;
        Assert.Equal(1, policy.SelectCallType(0, view));
        view.Waiting[1] = 0;
        view.Idle[0] = 2;
        Assert.Equal(0, policy.SelectCallType(0, view));
    }

    [Fact]
    public void Weighted_counts_seconds_per_priority_level_on_the_age()
    {
        var view = new FakeView(types: 2, groups: 1, serves: [[0, 1]]) { Now = 1000 };
        view.Waiting[0] = 1;
        view.Oldest[0] = 700; // waited 300 s, priority 0
        view.Waiting[1] = 1;
        view.Oldest[1] = 850; // waited 150 s, priority 2
        view.Priorities[1] = 2;

        Assert.Equal(1, new WeightedPolicy(Setup("weighted", new() { ["secondsPerPriority"] = "90s" }, 2, 1)).SelectCallType(0, view)); // 330 > 300
        Assert.Equal(0, new WeightedPolicy(Setup("weighted", new() { ["secondsPerPriority"] = "60" }, 2, 1)).SelectCallType(0, view));  // 270 < 300
    }

    [Theory]
    [InlineData("fifo", "select", "1", "unknown setting of fifo; fifo takes no settings")]
    [InlineData("skills", "select", "fastest", "'fastest' is not allowed; use one of longestIdle, mostProficient")]
    [InlineData("skills", "choose", "longestIdle", "unknown setting of skills; allowed: select")]
    [InlineData("overflow", "after", "1m", "missing required setting")]
    [InlineData("weighted", "secondsPerPriority", "-5s", "must be a duration from 0s to 2592000s, found '-5s'")]
    [InlineData("reserve", "operators", "2.5", "missing required setting")]
    public void Settings_are_checked_by_the_policy(string policy, string key, string value, string reason)
    {
        var setup = Setup(policy, new() { [key] = value }, types: 1, groups: 1);
        var ex = Assert.Throws<RoutingSettingsException>(() => RoutingPolicies.Create(RoutingSpec.BuiltIn(policy, setup.Settings), setup));
        Assert.Equal(reason, ex.Reason);
    }

    // ---- invariants on whole runs ----

    [Fact]
    public void Fifo_and_priority_are_the_same_as_their_equivalents_in_the_library()
    {
        var mixed = TestScenarios.Mixed(intervals: 4);
        Assert.Equal(Log(mixed), Log(mixed with { Routing = RoutingSpec.BuiltIn("skills") }));
        Assert.Equal(Log(mixed), Log(mixed with { Routing = RoutingSpec.BuiltIn("reserve", new Dictionary<string, string> { ["group"] = "nurses", ["operators"] = "0" }) }));
        var fifo = mixed with { Routing = RoutingSpec.Fifo };
        Assert.Equal(Log(fifo), Log(mixed with { Routing = RoutingSpec.BuiltIn("weighted", new Dictionary<string, string> { ["secondsPerPriority"] = "0" }) }));
        Assert.NotEqual(Log(fifo), Log(mixed));
    }

    [Fact]
    public void Overflow_answers_a_call_in_the_backup_group_only_after_it_waited_the_delay_and_then_at_once()
    {
        const double after = 60;
        var overflow = Overflow(RoutingSpec.BuiltIn("overflow", new Dictionary<string, string> { ["group"] = "backup", ["after"] = "1m" }));
        var log = Log(overflow, seed: 3);
        var backup = log.Where(c => c.Outcome == CallOutcome.Answered && c.Group == 1).ToList();

        Assert.True(backup.Count > 100, $"{backup.Count} calls answered by the backup group");
        Assert.All(backup, c => Assert.True(c.Wait >= after - 1e-9, $"call {c.CallId} answered by the backup group after {c.Wait} s"));
        // The wake-up at arrival + 1 min gives the call to an idle backup operator at that instant.
        Assert.True(backup.Count(c => c.Wait < after + 1e-6) > 20);
        Assert.Contains(log, c => c.Outcome == CallOutcome.Answered && c.Group == 0 && c.Wait < after);

        // Without the policy the backup group answers at once: the check above can fail.
        Assert.Contains(Log(overflow with { Routing = RoutingSpec.Fifo }, seed: 3), c => c.Outcome == CallOutcome.Answered && c.Group == 1 && c.Wait < after);
    }

    [Fact]
    public void Reserve_never_lets_a_low_priority_call_take_one_of_the_last_k_idle_operators()
    {
        const int operators = 12;
        const int reserved = 3;
        var scenario = Reserve(operators, RoutingSpec.BuiltIn("reserve", new Dictionary<string, string> { ["group"] = "agents", ["operators"] = "3", ["minPriority"] = "1" }));
        var answered = Log(scenario, seed: 5).Where(c => c.Outcome == CallOutcome.Answered).ToList();

        var low = answered.Where(c => c.CallType == 0).ToList();
        Assert.True(low.Count > 300);
        Assert.All(low, c => Assert.True(IdleAfter(answered, c, operators) >= reserved, $"call {c.CallId} left {IdleAfter(answered, c, operators)} idle"));
        // High-priority calls do take the reserve.
        Assert.Contains(answered, c => c.CallType == 1 && IdleAfter(answered, c, operators) < reserved);

        // Under plain priority, low-priority calls take the last idle operators: the check above can fail.
        var plain = Log(scenario with { Routing = RoutingSpec.Priority }, seed: 5).Where(c => c.Outcome == CallOutcome.Answered).ToList();
        Assert.Contains(plain, c => c.CallType == 0 && IdleAfter(plain, c, operators) < reserved);
    }

    [Theory]
    [InlineData("priority")]
    [InlineData("reserve")]
    [InlineData("skills")]
    public void No_low_priority_call_is_answered_while_a_high_priority_call_waits(string policy)
    {
        var routing = policy == "reserve"
            ? RoutingSpec.BuiltIn("reserve", new Dictionary<string, string> { ["group"] = "agents", ["operators"] = "1" })
            : RoutingSpec.BuiltIn(policy);
        var log = Log(Reserve(10, routing, highCalls: 60), seed: 9);
        var high = log.Where(c => c.CallType == 1 && c.WaitEnd > c.ArrivalTime).ToList();
        Assert.True(high.Count > 30, $"{high.Count} high-priority calls waited");
        foreach (var c in log.Where(c => c.Outcome == CallOutcome.Answered && c.CallType == 0))
        {
            Assert.DoesNotContain(high, h => h.ArrivalTime < c.WaitEnd && h.WaitEnd > c.WaitEnd);
        }
    }

    [Fact]
    public void The_sample_plugin_runs_and_is_priority_when_nothing_waits_long_enough_to_be_promoted()
    {
        var scenario = Reserve(10, RoutingSpec.Priority);
        var never = scenario with { Routing = RoutingPlugins.Reference(SamplePlugin.AssemblyPath, SamplePlugin.TypeName, new Dictionary<string, string> { ["promoteAfter"] = "7d" }) };
        var soon = scenario with { Routing = RoutingPlugins.Reference(SamplePlugin.AssemblyPath, SamplePlugin.TypeName, new Dictionary<string, string> { ["promoteAfter"] = "30s" }) };

        Assert.Equal(Log(scenario), Log(never));
        var promoted = Log(soon);
        Assert.NotEqual(Log(scenario), promoted);
        // Promotion serves the low-priority calls sooner.
        static double MeanWait(List<CallRecord> log, int type) => log.Where(c => c.CallType == type && c.Outcome == CallOutcome.Answered).Average(c => c.Wait);
        Assert.True(MeanWait(promoted, 0) < MeanWait(Log(scenario), 0));
    }

    [Fact]
    public void A_plugin_is_loaded_once_per_path_in_its_own_context_and_implements_the_hosts_interface()
    {
        var type = RoutingPlugins.PolicyType(SamplePlugin.AssemblyPath, SamplePlugin.TypeName);

        Assert.Same(type, RoutingPlugins.PolicyType(SamplePlugin.AssemblyPath, SamplePlugin.TypeName));
        Assert.True(typeof(IRoutingPolicy).IsAssignableFrom(type));
        Assert.NotSame(System.Runtime.Loader.AssemblyLoadContext.Default, System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(type.Assembly));
        Assert.Equal(SamplePlugin.AssemblyPath, type.Assembly.Location);
    }

    [Fact]
    public void A_policy_that_chooses_a_group_without_an_idle_operator_stops_the_run_with_a_clear_message()
    {
        // This test assembly, loaded as a plug-in.
        var scenario = Reserve(2, RoutingPlugins.Reference(typeof(AlwaysFirstGroup).Assembly.Location, typeof(AlwaysFirstGroup).FullName!));
        var ex = Assert.Throws<RoutingPolicyException>(() => InlineEngine.RunReplication(scenario, 1, 0));
        Assert.Equal("SelectGroup", ex.Decision);
        Assert.StartsWith($"the routing policy {typeof(AlwaysFirstGroup).FullName} failed in SelectGroup at ", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith(" s of virtual time: it chose group 0 for a call of type 0: the group must serve the type and have an idle operator", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_model_creates_a_plugin_policy_only_through_the_factory_its_host_attached()
    {
        var scenario = Reserve(10, RoutingSpec.Priority);
        // No such file: the model does not load it, it asks the factory.
        var routing = RoutingSpec.Plugin("/nowhere/Acme.dll", "Acme.Surge").WithFactory(new FixedFactory(PriorityPolicy.Instance));

        Assert.Equal(Log(scenario), Log(scenario with { Routing = routing }));
    }

    [Fact]
    public void A_plugin_that_no_host_resolved_stops_the_run_with_a_message_naming_it()
    {
        var scenario = Reserve(2, RoutingSpec.Plugin("/nowhere/Acme.dll", "Acme.Surge"));

        var ex = Assert.Throws<InvalidOperationException>(() => InlineEngine.RunReplication(scenario, 1, 0));
        Assert.StartsWith("The routing policy Acme.Surge from /nowhere/Acme.dll was not resolved by the host", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_model_takes_an_absolute_plugin_path_and_the_hosts_loader_makes_it_absolute()
    {
        Assert.Throws<ArgumentException>(() => RoutingSpec.Plugin("Acme.dll", "Acme.Surge"));
        Assert.Throws<InvalidOperationException>(() => RoutingSpec.Fifo.WithFactory(new FixedFactory(FifoPolicy.Instance)));
        Assert.Equal(Path.GetFullPath("Acme.dll"), RoutingPlugins.Reference("Acme.dll", "Acme.Surge").AssemblyPath);
    }

    [Fact]
    public void A_plugin_scenario_decoded_by_the_codec_carries_the_path_only_and_runs_once_resolved_again()
    {
        var scenario = Reserve(10, RoutingPlugins.Reference(SamplePlugin.AssemblyPath, SamplePlugin.TypeName, new Dictionary<string, string> { ["promoteAfter"] = "30s" }));
        var decoded = ScenarioCodec.Deserialize<ScenarioDefinition>(ScenarioCodec.Serialize(scenario));

        Assert.Throws<InvalidOperationException>(() => InlineEngine.RunReplication(decoded, 1, 0));
        Assert.Equal(Log(scenario), Log(RoutingPlugins.Resolve(decoded)));
    }

    [Fact]
    public void A_routing_spec_survives_the_scenario_codec()
    {
        var scenario = TestScenarios.Mixed(2) with
        {
            Routing = RoutingSpec.Plugin("/opt/routing/Acme.dll", "Acme.Surge", new Dictionary<string, string> { ["k"] = "3", ["after"] = "2m" }),
        };
        var copy = ScenarioCodec.Deserialize<ScenarioDefinition>(ScenarioCodec.Serialize(scenario));
        Assert.Equal(scenario.Routing, copy.Routing);
        Assert.Equal("Acme.Surge from Acme.dll (after: 2m, k: 3)", copy.Routing.ToString());
    }

    // ---- scenarios and views ----

    /// <summary>Operators of the (single) group idle just after the call was answered: those not busy with an answered
    /// call at that instant (a call ending at that instant has freed its operator).</summary>
    private static int IdleAfter(List<CallRecord> answered, CallRecord call, int operators)
    {
        var at = call.WaitEnd;
        var busy = 0;
        foreach (var c in answered)
        {
            if (c.WaitEnd <= at && c.EndTime > at)
            {
                busy++;
            }
        }
        return operators - busy;
    }

    private static List<CallRecord> Log(ScenarioDefinition scenario, long seed = 1) =>
        InlineEngine.RunReplication(scenario, seed, 0, keepCallLog: true).Records.CallLog!;

    private static SkillsPolicy Skills(string select) =>
        new(Setup("skills", new() { ["select"] = select }, types: 3, groups: 3));

    private static RoutingSetup Setup(string policy, Dictionary<string, string> settings, int types, int groups) =>
        new(policy, settings, [.. Enumerable.Range(0, types).Select(t => "t" + t)], [.. Enumerable.Repeat(0, types)], [.. Enumerable.Range(0, groups).Select(g => "g" + g)]);

    /// <summary>One call type, a primary group of 24 and a backup group of 8: 66 Erlangs offered, so calls wait and the
    /// backup is needed.</summary>
    private static ScenarioDefinition Overflow(RoutingSpec routing) => new()
    {
        Name = "overflow",
        IntervalSeconds = 900,
        IntervalCount = 4,
        DrainSeconds = 3600,
        ServiceLevel = new ServiceLevelSpec(20),
        Routing = routing,
        CallTypes = [new CallTypeSpec("calls", [200, 200, 200, 200], new ExponentialSpec(300), new ExponentialSpec(140))],
        Groups =
        [
            new OperatorGroupSpec("primary", ["calls"], [24, 24, 24, 24], null),
            new OperatorGroupSpec("backup", ["calls"], [8, 8, 8, 8], null),
        ],
    };

    /// <summary>One group serving a low-priority (0) and a high-priority (1) type, near saturation, with constant
    /// staffing.</summary>
    private static ScenarioDefinition Reserve(int operators, RoutingSpec routing, double highCalls = 20) => new()
    {
        Name = "reserve",
        IntervalSeconds = 900,
        IntervalCount = 4,
        DrainSeconds = 3600,
        ServiceLevel = new ServiceLevelSpec(20),
        Routing = routing,
        CallTypes =
        [
            new CallTypeSpec("low", [120, 120, 120, 120], new ExponentialSpec(240), new ExponentialSpec(60)),
            new CallTypeSpec("high", [.. Enumerable.Repeat(highCalls, 4)], new ExponentialSpec(240), new ExponentialSpec(60), Priority: 1),
        ],
        Groups = [new OperatorGroupSpec("agents", ["low", "high"], [.. Enumerable.Repeat(operators, 4)], null)],
    };

    /// <summary>A routing view set by hand.</summary>
    private sealed class FakeView(int types, int groups, int[][] serves) : IRoutingView
    {
        private readonly int[][] _servedBy = serves;
        private readonly int[][] _serving = [.. Enumerable.Range(0, types).Select(t => Enumerable.Range(0, groups).Where(g => serves[g].Contains(t)).ToArray())];

        public int[] Idle { get; } = new int[groups];
        public double[] IdleSince { get; } = Enumerable.Repeat(double.PositiveInfinity, groups).ToArray();
        public int[] Duty { get; } = new int[groups];
        public int[] Waiting { get; } = new int[types];
        public double[] Oldest { get; } = Enumerable.Repeat(double.PositiveInfinity, types).ToArray();
        public int[] Priorities { get; } = new int[types];
        public double[,] ProficiencyOf { get; } = Ones(groups, types);
        public List<double> WakeUps { get; } = [];

        public double Now { get; set; }
        public int CallTypeCount => types;
        public int GroupCount => groups;
        public ReadOnlySpan<int> GroupsServing(int callType) => _serving[callType];
        public ReadOnlySpan<int> CallTypesServedBy(int group) => _servedBy[group];
        public int IdleOperators(int group) => Idle[group];
        public double LongestIdleSince(int group) => Idle[group] == 0 ? double.PositiveInfinity : IdleSince[group];
        public int OnDuty(int group) => Duty[group];
        public int QueueLength(int callType) => Waiting[callType];
        public double OldestWaitingArrival(int callType) => Waiting[callType] == 0 ? double.PositiveInfinity : Oldest[callType];
        public int Priority(int callType) => Priorities[callType];
        public double Proficiency(int group, int callType) => ProficiencyOf[group, callType];
        public void WakeAt(double time) => WakeUps.Add(time);

        private static double[,] Ones(int rows, int columns)
        {
            var a = new double[rows, columns];
            for (var i = 0; i < rows; i++)
            {
                for (var j = 0; j < columns; j++)
                {
                    a[i, j] = 1;
                }
            }
            return a;
        }
    }
}

/// <summary>A wrong policy: it always sends an arriving call to group 0, idle or not.</summary>
/// <summary>Gives the same policy every time, in place of a host's plug-in loader.</summary>
internal sealed class FixedFactory(IRoutingPolicy policy) : IRoutingPolicyFactory
{
    public IRoutingPolicy Create(RoutingSetup setup) => policy;
}

public sealed class AlwaysFirstGroup : IRoutingPolicy
{
    public int SelectGroup(OfferedCall call, IRoutingView view) => 0;

    public int SelectCallType(int group, IRoutingView view) => RoutingPolicies.OldestCallType(group, view);
}
