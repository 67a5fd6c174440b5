using CrisisSim.Model.Scenario;

namespace CrisisSim.Model.Routing;

/// <summary>What a routing policy may look at when it decides: the router's live view of queues and operators.</summary>
public interface IRoutingView
{
    int CallTypeCount { get; }

    int GroupCount { get; }

    /// <summary>The groups that answer this call type, in scenario order.</summary>
    ReadOnlySpan<int> GroupsServing(int callType);

    /// <summary>The call types this group answers, in scenario order.</summary>
    ReadOnlySpan<int> CallTypesServedBy(int group);

    int IdleOperators(int group);

    /// <summary>Since when the longest-idle operator of the group has been idle; +∞ when none is idle.</summary>
    double LongestIdleSince(int group);

    int QueueLength(int callType);

    /// <summary>Arrival time of the oldest call waiting of this type; +∞ when none waits.</summary>
    double OldestWaitingArrival(int callType);

    int Priority(int callType);

    /// <summary>The group's handle-time multiplier for the call type (1 when not given; lower is better).</summary>
    double Proficiency(int group, int callType);
}

/// <summary>The routing decisions of the contact center. Must be deterministic: same view, same answer.</summary>
public interface IRoutingPolicy
{
    /// <summary>The group whose longest-idle operator answers an arriving call, or -1 to queue the call.
    /// Only a group serving the call type with an idle operator may be returned.</summary>
    int SelectGroup(int callType, IRoutingView view);

    /// <summary>The call type whose oldest waiting call an operator of the group, just freed, takes next; -1 to stay idle.
    /// Only a type the group serves with a waiting call may be returned.</summary>
    int SelectCallType(int group, IRoutingView view);
}

public static class RoutingPolicies
{
    public static IRoutingPolicy For(RoutingPolicyKind kind) => kind switch
    {
        RoutingPolicyKind.Fifo => FifoPolicy.Instance,
        RoutingPolicyKind.Priority => PriorityPolicy.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown routing policy"),
    };

    /// <summary>The eligible group whose idle operator has waited longest (ties: scenario order).</summary>
    internal static int LongestIdleGroup(int callType, IRoutingView view)
    {
        var best = -1;
        var bestSince = double.PositiveInfinity;
        foreach (var g in view.GroupsServing(callType))
        {
            if (view.IdleOperators(g) > 0)
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
}

/// <summary>First come, first served: the oldest waiting call among the types the operator serves;
/// an arriving call goes to the longest-idle eligible operator.</summary>
public sealed class FifoPolicy : IRoutingPolicy
{
    public static readonly FifoPolicy Instance = new();

    public int SelectGroup(int callType, IRoutingView view) => RoutingPolicies.LongestIdleGroup(callType, view);

    public int SelectCallType(int group, IRoutingView view)
    {
        var best = -1;
        var oldest = double.PositiveInfinity;
        foreach (var t in view.CallTypesServedBy(group))
        {
            if (view.QueueLength(t) > 0)
            {
                var arrival = view.OldestWaitingArrival(t);
                if (best < 0 || arrival < oldest)
                {
                    best = t;
                    oldest = arrival;
                }
            }
        }
        return best;
    }
}

/// <summary>Static priority by call type (larger first), oldest first within a priority level;
/// an arriving call goes to the longest-idle eligible operator.</summary>
public sealed class PriorityPolicy : IRoutingPolicy
{
    public static readonly PriorityPolicy Instance = new();

    public int SelectGroup(int callType, IRoutingView view) => RoutingPolicies.LongestIdleGroup(callType, view);

    public int SelectCallType(int group, IRoutingView view)
    {
        var best = -1;
        var bestPriority = int.MinValue;
        var oldest = double.PositiveInfinity;
        foreach (var t in view.CallTypesServedBy(group))
        {
            if (view.QueueLength(t) == 0)
            {
                continue;
            }
            var priority = view.Priority(t);
            var arrival = view.OldestWaitingArrival(t);
            if (best < 0 || priority > bestPriority || (priority == bestPriority && arrival < oldest))
            {
                best = t;
                bestPriority = priority;
                oldest = arrival;
            }
        }
        return best;
    }
}
