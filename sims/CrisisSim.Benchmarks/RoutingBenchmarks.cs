using BenchmarkDotNet.Attributes;
using CrisisSim.Model.Components;
using CrisisSim.Model.Routing;
using CrisisSim.Model.Scenario;

namespace CrisisSim.Benchmarks;

/// <summary>The cost of one routing decision of each built-in policy, asked of a real router driven into a state with
/// <see cref="Waiting"/> callers waiting and <see cref="Operators"/> operators on duty.</summary>
/// <remarks>Four call types (priorities 0, 1, 0, 2) and three groups: groups 0 and 1 serve types 0 and 1 and are idle;
/// group 2 serves every type and is busy; the callers wait in types 2 and 3, which only group 2 serves. The decisions
/// cycle over the call types (<c>SelectGroup</c>: two find an idle group, two queue) and over the groups
/// (<c>SelectCallType</c>: group 2 takes a waiting type, the others find none).</remarks>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
[IterationTime(100)]
public class RoutingBenchmarks
{
    private static readonly int[] GroupCycle = [0, 1, 2];

    private IRoutingPolicy _policy = null!;
    private Router _router = null!;
    private double _now;
    private int _nextType;
    private int _nextGroup;

    [Params("fifo", "priority", "skills", "skills-mostProficient", "overflow", "reserve", "weighted")]
    public string Policy { get; set; } = "fifo";

    [Params(10, 1_000, 10_000)]
    public int Waiting { get; set; } = 10;

    [Params(10, 5_000)]
    public int Operators { get; set; } = 10;

    [GlobalSetup]
    public void Setup()
    {
        // The router reaches the state under FIFO; the policy measured then decides on it.
        (_router, _now) = DriveRouter(Scenario(Operators, RoutingSpec.Fifo), Waiting);
        _policy = RoutingPolicies.For(Scenario(Operators, Routing(Policy)));
    }

    [Benchmark]
    public int SelectGroup()
    {
        var t = _nextType;
        _nextType = (t + 1) & 3;
        return _policy.SelectGroup(new OfferedCall(t, _now, 1), _router.View);
    }

    [Benchmark]
    public int SelectCallType()
    {
        var i = _nextGroup;
        _nextGroup = i == 2 ? 0 : i + 1;
        return _policy.SelectCallType(GroupCycle[i], _router.View);
    }

    public static RoutingSpec Routing(string policy) => policy switch
    {
        "skills-mostProficient" => RoutingSpec.BuiltIn("skills", new Dictionary<string, string> { ["select"] = "mostProficient" }),
        "overflow" => RoutingSpec.BuiltIn("overflow", new Dictionary<string, string> { ["group"] = "g2", ["after"] = "1m" }),
        "reserve" => RoutingSpec.BuiltIn("reserve", new Dictionary<string, string> { ["group"] = "g2", ["operators"] = "1", ["minPriority"] = "1" }),
        "weighted" => RoutingSpec.BuiltIn("weighted", new Dictionary<string, string> { ["secondsPerPriority"] = "60" }),
        _ => RoutingSpec.BuiltIn(policy),
    };

    /// <summary>Two intervals: in the first only group 2 is on duty, in the second groups 0 and 1 join it.</summary>
    public static ScenarioDefinition Scenario(int operators, RoutingSpec routing)
    {
        var perGroup = Math.Max(1, operators / 3);
        var last = Math.Max(1, operators - 2 * perGroup);
        var handle = new ExponentialSpec(60);
        return new ScenarioDefinition
        {
            Name = "routing-decision",
            IntervalSeconds = 3600,
            IntervalCount = 2,
            ServiceLevel = new ServiceLevelSpec(20),
            Routing = routing,
            CallTypes =
            [
                new CallTypeSpec("t0", [0.0, 0.0], null, handle),
                new CallTypeSpec("t1", [0.0, 0.0], null, handle, Priority: 1),
                new CallTypeSpec("t2", [0.0, 0.0], null, handle),
                new CallTypeSpec("t3", [0.0, 0.0], null, handle, Priority: 2),
            ],
            Groups =
            [
                new OperatorGroupSpec("g0", ["t0", "t1"], [0, perGroup], null),
                new OperatorGroupSpec("g1", ["t0", "t1"], [0, perGroup], null),
                new OperatorGroupSpec("g2", ["t0", "t1", "t2", "t3"], [last, last], null),
            ],
        };
    }

    /// <summary>A router of the scenario after: group 2 on duty and busy with calls of type 3, then
    /// <paramref name="waiting"/> callers of types 2 and 3 queued, then groups 0 and 1 on duty (and idle, as nothing
    /// of theirs waits). Returns the router and the time reached.</summary>
    public static (Router Router, double Now) DriveRouter(ScenarioDefinition scenario, int waiting)
    {
        var center = new ContactCenter(scenario, 1, 0);
        var address = center.Layout.Router;
        var router = center.CreateRouter(
            center.NewRecorder(keepCallLog: false), [.. Enumerable.Range(0, center.Layout.GroupCount).Select(_ => center.NewRecorder(keepCallLog: false))]);
        var outbox = new DiscardingOutbox();
        router.Start(outbox);
        router.Handle(new Message(MessageKind.StaffingChange, address, Operator: 0), 0, outbox);
        var now = 0.0;
        long id = 0;
        void Offer(int type)
        {
            now += 0.01;
            router.Handle(new Message(MessageKind.CallOffered, address, id++, type, ArrivalTime: now, Value: double.PositiveInfinity), now, outbox);
        }
        var busy = scenario.Groups[2].Staffing[0];
        for (var i = 0; i < busy; i++)
        {
            Offer(3);
        }
        for (var i = 0; i < waiting; i++)
        {
            Offer(2 + (i & 1));
        }
        now = Math.Max(now, scenario.IntervalSeconds);
        router.Handle(new Message(MessageKind.StaffingChange, address, Operator: 1), now, outbox);
        if (router.View.QueueLength(2) + router.View.QueueLength(3) != waiting || router.View.IdleOperators(2) != 0 || router.View.IdleOperators(0) == 0)
        {
            throw new InvalidOperationException("The router did not reach the state to measure");
        }
        return (router, now);
    }

    private sealed class DiscardingOutbox : IOutbox
    {
        public void Send(in Message message)
        {
        }

        public void SetTimer(double at, in Message message)
        {
        }

        public void SetTimerInTurn(double at, in Message message)
        {
        }
    }
}
