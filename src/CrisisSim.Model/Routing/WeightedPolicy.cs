using CrisisSim.Model.Scenario;

namespace CrisisSim.Model.Routing;

/// <summary><c>weighted</c>: oldest first, where a call's age counts <c>secondsPerPriority</c> seconds more per
/// priority level. Setting <c>secondsPerPriority</c> (a duration, required). A freed operator takes the waiting type
/// whose oldest call has the largest wait + secondsPerPriority x priority (ties: scenario order); an arriving call goes
/// to the longest-idle eligible operator. With 0 it is <c>fifo</c>; with a very large value, <c>priority</c>.</summary>
public sealed class WeightedPolicy : IRoutingPolicy
{
    public WeightedPolicy(RoutingSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        SecondsPerPriority = setup.Duration("secondsPerPriority", 0, ScenarioLimits.MaxDurationSeconds);
        setup.RejectUnknown();
    }

    public double SecondsPerPriority { get; }

    public int SelectGroup(OfferedCall call, IRoutingView view) => RoutingPolicies.LongestIdleGroup(call.CallType, view);

    public int SelectCallType(int group, IRoutingView view)
    {
        var best = -1;
        var bestKey = double.PositiveInfinity;
        foreach (var t in view.CallTypesServedBy(group))
        {
            if (view.QueueLength(t) > 0)
            {
                // Smallest (arrival - S x priority) = largest (wait + S x priority) at the same now.
                var key = view.OldestWaitingArrival(t) - SecondsPerPriority * view.Priority(t);
                if (best < 0 || key < bestKey)
                {
                    best = t;
                    bestKey = key;
                }
            }
        }
        return best;
    }
}
