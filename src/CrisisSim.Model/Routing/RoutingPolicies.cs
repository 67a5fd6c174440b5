using CrisisSim.Model.Scenario;

namespace CrisisSim.Model.Routing;

/// <summary>Creates a scenario's routing policy, and the choices the built-in policies share (public, for plug-ins
/// too). None of them allocates.</summary>
public static class RoutingPolicies
{
    /// <summary>The built-in policies' names, as the scenario writes them.</summary>
    public static IReadOnlyList<string> BuiltInNames { get; } = ["fifo", "priority", "skills", "overflow", "reserve", "weighted"];

    /// <summary>A new policy for one replication.</summary>
    /// <exception cref="RoutingSettingsException">A setting is missing, unknown or out of range.</exception>
    /// <exception cref="ArgumentException">A plug-in's constructor rejected its settings.</exception>
    /// <exception cref="RoutingPluginException">A plug-in cannot be loaded or constructed.</exception>
    /// <exception cref="InvalidOperationException">A plug-in that no host resolved (no factory attached).</exception>
    public static IRoutingPolicy Create(RoutingSpec spec, RoutingSetup setup)
    {
        if (spec.NeedsHost)
        {
            // The host loads plug-ins and asks services; the model only calls what it was given.
            return spec.Factory is { } factory
                ? factory.Create(setup)
                : spec.IsService
                ? throw new InvalidOperationException($"The routing service {spec.Name} was not resolved by the host: "
                    + "a scenario read by ScenarioReader or decoded by a silo is; one built in code takes CrisisSim.Plugins.RoutingService.Reference")
                : throw new InvalidOperationException($"The routing policy {spec.Name} from {spec.AssemblyPath} was not resolved by the host: "
                    + "a scenario read by ScenarioReader or decoded by a silo is; one built in code takes CrisisSim.Plugins.RoutingPlugins.Reference");
        }
        switch (spec.BuiltInPolicy)
        {
            case "fifo":
                setup.RejectUnknown();
                return FifoPolicy.Instance;
            case "priority":
                setup.RejectUnknown();
                return PriorityPolicy.Instance;
            case "skills":
                return new SkillsPolicy(setup);
            case "overflow":
                return new OverflowPolicy(setup);
            case "reserve":
                return new ReservePolicy(setup);
            case "weighted":
                return new WeightedPolicy(setup);
            default:
                throw new ArgumentException($"unknown routing policy '{spec.Name}'; allowed: {string.Join(", ", BuiltInNames)}", nameof(spec));
        }
    }

    /// <summary>The policy of one replication of the scenario.</summary>
    public static IRoutingPolicy For(ScenarioDefinition scenario) => Create(scenario.Routing, RoutingSetup.For(scenario));

    /// <summary>The eligible group whose idle operator has waited longest (ties: scenario order); -1 when no group
    /// serving the call type has an idle operator.</summary>
    public static int LongestIdleGroup(int callType, IRoutingView view)
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

    /// <summary>The type served by the group whose oldest waiting call arrived first (ties: scenario order); -1 when
    /// none waits.</summary>
    public static int OldestCallType(int group, IRoutingView view)
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

    /// <summary>The waiting type served by the group with the highest priority, oldest first within a priority (ties:
    /// scenario order), among the types of priority at least <paramref name="minPriority"/>; -1 when none waits.</summary>
    public static int HighestPriorityCallType(int group, IRoutingView view, int minPriority = int.MinValue)
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
            if (priority < minPriority)
            {
                continue;
            }
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

/// <summary><c>fifo</c>: first come, first served. A freed operator takes the oldest waiting call among the types it
/// serves; an arriving call goes to the longest-idle eligible operator. No settings.</summary>
public sealed class FifoPolicy : IRoutingPolicy
{
    public static readonly FifoPolicy Instance = new();

    public int SelectGroup(OfferedCall call, IRoutingView view) => RoutingPolicies.LongestIdleGroup(call.CallType, view);

    public int SelectCallType(int group, IRoutingView view) => RoutingPolicies.OldestCallType(group, view);
}

/// <summary><c>priority</c>: static priority by call type (larger first), oldest first within a priority level; an
/// arriving call goes to the longest-idle eligible operator. No settings.</summary>
public sealed class PriorityPolicy : IRoutingPolicy
{
    public static readonly PriorityPolicy Instance = new();

    public int SelectGroup(OfferedCall call, IRoutingView view) => RoutingPolicies.LongestIdleGroup(call.CallType, view);

    public int SelectCallType(int group, IRoutingView view) => RoutingPolicies.HighestPriorityCallType(group, view);
}
