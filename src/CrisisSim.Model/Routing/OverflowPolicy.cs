using CrisisSim.Model.Scenario;

namespace CrisisSim.Model.Routing;

/// <summary><c>overflow</c>: a backup group takes a call only once it has waited <c>after</c>. Settings: <c>group</c>
/// (the backup group's name, required) and <c>after</c> (a duration, required). The other groups serving a type take its
/// calls at once; every group takes the highest-priority call first, oldest first within a priority, and an arriving
/// call goes to the longest-idle eligible operator. A call queued on arrival asks for a wake-up at its arrival +
/// <c>after</c>, so that an idle backup operator takes it then, never before.</summary>
public sealed class OverflowPolicy : IRoutingPolicy
{
    public OverflowPolicy(RoutingSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        Backup = setup.Group("group");
        After = setup.Duration("after", 0, ScenarioLimits.MaxDurationSeconds);
        setup.RejectUnknown();
    }

    /// <summary>The backup group's index.</summary>
    public int Backup { get; }

    /// <summary>The wait, in seconds, after which the backup group may take a call.</summary>
    public double After { get; }

    public int SelectGroup(OfferedCall call, IRoutingView view)
    {
        var due = call.ArrivalTime + After;
        var backupLater = false;
        var best = -1;
        var bestSince = double.PositiveInfinity;
        foreach (var g in view.GroupsServing(call.CallType))
        {
            if (g == Backup && view.Now < due)
            {
                backupLater = true;
                continue;
            }
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
        if (best < 0 && backupLater)
        {
            view.WakeAt(due);
        }
        return best;
    }

    public int SelectCallType(int group, IRoutingView view)
    {
        if (group != Backup)
        {
            return RoutingPolicies.HighestPriorityCallType(group, view);
        }
        var now = view.Now;
        var best = -1;
        var bestPriority = int.MinValue;
        var oldest = double.PositiveInfinity;
        foreach (var t in view.CallTypesServedBy(group))
        {
            if (view.QueueLength(t) == 0)
            {
                continue;
            }
            var arrival = view.OldestWaitingArrival(t);
            if (now < arrival + After)
            {
                continue; // its oldest call has not waited long enough: its wake-up will come
            }
            var priority = view.Priority(t);
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
