using CrisisSim.Model.Routing;

namespace CrisisSim.Samples.Routing;

/// <summary>Priority routing that does not starve the low-priority calls in a surge: a call type whose oldest waiting
/// call has waited longer than <c>promoteAfter</c> is promoted by <c>boost</c> priority levels. Within the same
/// (promoted) priority, oldest first. An arriving call goes to the longest-idle eligible operator.</summary>
/// <remarks>Scenario: <c>routing: { assembly: PATH/CrisisSim.Samples.Routing.dll, type: CrisisSim.Samples.Routing.SurgePolicy,
/// settings: { promoteAfter: 5m, boost: 100 } }</c>.</remarks>
public sealed class SurgePolicy : IRoutingPolicy
{
    private readonly double _promoteAfter;
    private readonly int _boost;

    public SurgePolicy(RoutingSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        // The setup's getters check each setting and name it in their error; the reader reports it at its line.
        _promoteAfter = setup.Duration("promoteAfter", min: 0, max: 7 * 86400);
        _boost = setup.Integer("boost", min: 1, max: 1_000_000, fallback: 100);
        setup.RejectUnknown();
        if (_promoteAfter == 0)
        {
            // Any ArgumentException is reported too, with its message, at the line of `routing`.
            throw new ArgumentException("promoteAfter must be longer than 0 s: every waiting call would be promoted at once (use routing: fifo)");
        }
    }

    public int SelectGroup(OfferedCall call, IRoutingView view) => RoutingPolicies.LongestIdleGroup(call.CallType, view);

    public int SelectCallType(int group, IRoutingView view)
    {
        var now = view.Now;
        var best = -1;
        var bestPriority = long.MinValue;
        var oldest = double.PositiveInfinity;
        foreach (var t in view.CallTypesServedBy(group))
        {
            if (view.QueueLength(t) == 0)
            {
                continue;
            }
            var arrival = view.OldestWaitingArrival(t);
            long priority = view.Priority(t);
            if (now - arrival > _promoteAfter)
            {
                priority += _boost;
            }
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
