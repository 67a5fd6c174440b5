using CrisisSim.Model.Scenario;

namespace CrisisSim.Model.Routing;

/// <summary><c>reserve</c>: the last <c>operators</c> idle operators of a group are kept for calls of priority at least
/// <c>minPriority</c>. Settings: <c>group</c> (name, required), <c>operators</c> (k, required), <c>minPriority</c>
/// (default 1). A call of lower priority never leaves fewer than k operators of the group idle: it takes an idle
/// operator of the group only when more than k are idle, and an operator of the group who becomes free takes it only
/// when at least k others are idle. Otherwise the decisions are those of <c>priority</c>.</summary>
public sealed class ReservePolicy : IRoutingPolicy
{
    public ReservePolicy(RoutingSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        Group = setup.Group("group");
        Reserved = setup.Integer("operators", 0, ScenarioLimits.MaxOperatorsPerGroup);
        MinPriority = setup.Integer("minPriority", int.MinValue, int.MaxValue, fallback: 1);
        setup.RejectUnknown();
    }

    /// <summary>The group holding the reserve.</summary>
    public int Group { get; }

    /// <summary>Idle operators kept back (k).</summary>
    public int Reserved { get; }

    /// <summary>Calls of this priority or more may take the reserve.</summary>
    public int MinPriority { get; }

    public int SelectGroup(OfferedCall call, IRoutingView view)
    {
        if (view.Priority(call.CallType) >= MinPriority)
        {
            return RoutingPolicies.LongestIdleGroup(call.CallType, view);
        }
        var best = -1;
        var bestSince = double.PositiveInfinity;
        foreach (var g in view.GroupsServing(call.CallType))
        {
            var idle = view.IdleOperators(g);
            if (idle > (g == Group ? Reserved : 0))
            {
                var since = view.LongestIdleSince(g);
                if (best < 0 || since < bestSince)
                {
                    best = g;
                    bestSince = since;
                }
            }
        }
        return best;
    }

    public int SelectCallType(int group, IRoutingView view) =>
        group == Group && view.IdleOperators(group) < Reserved
            ? RoutingPolicies.HighestPriorityCallType(group, view, MinPriority)
            : RoutingPolicies.HighestPriorityCallType(group, view);
}
