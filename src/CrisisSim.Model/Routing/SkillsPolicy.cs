namespace CrisisSim.Model.Routing;

/// <summary><c>skills</c>: skills-based routing over the groups' proficiencies (handle-time multipliers, lower is
/// better). Setting <c>select</c>:
/// <list type="bullet">
/// <item><c>longestIdle</c> (default): an arriving call goes to the longest-idle operator of the groups serving it; a
/// freed operator takes the highest-priority waiting call, oldest first (the same decisions as <c>priority</c>).</item>
/// <item><c>mostProficient</c>: an arriving call goes to the idle group with the best proficiency for its type (ties:
/// longest idle, then scenario order); a freed operator takes the waiting type its group handles best (ties: higher
/// priority, then oldest).</item>
/// </list></summary>
public sealed class SkillsPolicy : IRoutingPolicy
{
    public SkillsPolicy(RoutingSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        MostProficient = setup.Choice("select", "longestIdle", "longestIdle", "mostProficient") == "mostProficient";
        setup.RejectUnknown();
    }

    public bool MostProficient { get; }

    public int SelectGroup(OfferedCall call, IRoutingView view)
    {
        if (!MostProficient)
        {
            return RoutingPolicies.LongestIdleGroup(call.CallType, view);
        }
        var best = -1;
        var bestProficiency = double.PositiveInfinity;
        var bestSince = double.PositiveInfinity;
        foreach (var g in view.GroupsServing(call.CallType))
        {
            if (view.IdleOperators(g) == 0)
            {
                continue;
            }
            var proficiency = view.Proficiency(g, call.CallType);
            var since = view.LongestIdleSince(g);
            if (best < 0 || proficiency < bestProficiency || (proficiency == bestProficiency && since < bestSince))
            {
                best = g;
                bestProficiency = proficiency;
                bestSince = since;
            }
        }
        return best;
    }

    public int SelectCallType(int group, IRoutingView view)
    {
        if (!MostProficient)
        {
            return RoutingPolicies.HighestPriorityCallType(group, view);
        }
        var best = -1;
        var bestProficiency = double.PositiveInfinity;
        var bestPriority = int.MinValue;
        var oldest = double.PositiveInfinity;
        foreach (var t in view.CallTypesServedBy(group))
        {
            if (view.QueueLength(t) == 0)
            {
                continue;
            }
            var proficiency = view.Proficiency(group, t);
            var priority = view.Priority(t);
            var arrival = view.OldestWaitingArrival(t);
            if (best < 0 || proficiency < bestProficiency
                || (proficiency == bestProficiency && (priority > bestPriority || (priority == bestPriority && arrival < oldest))))
            {
                best = t;
                bestProficiency = proficiency;
                bestPriority = priority;
                oldest = arrival;
            }
        }
        return best;
    }
}
