using CrisisSim.Model.Scenario;

namespace CrisisSim.Planning;

/// <summary>What planning needs to know of an operator group beyond its staffing list: its cost, when it can be on duty
/// (an outsourced provider's activation after the crisis onset), whether its schedule is given by shifts, and the
/// share of its scheduled operators who are unavailable. Read from the scenario (groups' <c>costPerHour</c>,
/// <c>activation</c>, <c>shifts</c>, <c>shrinkage</c>, top-level <c>onset</c>).</summary>
public static class GroupTerms
{
    /// <summary>Currency units per operator on duty per hour.</summary>
    public static double CostPerHour(OperatorGroupSpec group) => 0;

    /// <summary>Share of scheduled operators unavailable (0 to below 1).</summary>
    public static double Shrinkage(OperatorGroupSpec group) => 0;

    /// <summary>Whether the group's schedule is given by shifts rather than a staffing list.</summary>
    public static bool UsesShifts(OperatorGroupSpec group) => false;

    /// <summary>The group with the staffing list <paramref name="staffing"/> (replacing its shifts, if any).</summary>
    public static OperatorGroupSpec WithStaffing(OperatorGroupSpec group, IReadOnlyList<int> staffing) => group with { Staffing = staffing };

    /// <summary>The activation of an outsourced group: on duty from <see cref="Activation.FromSeconds"/> (onset + delay),
    /// then one more operator every 1/perHour up to max; null when the group is not activated (always available).</summary>
    public static Activation? ActivationOf(ScenarioDefinition scenario, OperatorGroupSpec group) => null;

    /// <param name="FromSeconds">Run time from which the group's operators can be on duty (the onset plus the delay).</param>
    /// <param name="PerHour">Operators added per hour from then on.</param>
    /// <param name="Max">Most operators on duty.</param>
    public sealed record Activation(double FromSeconds, double PerHour, int Max)
    {
        /// <summary>Most operators of the group that can be on duty by <paramref name="time"/>: none before
        /// <see cref="FromSeconds"/>, then one more every 1/<see cref="PerHour"/> hours, at most <see cref="Max"/>.</summary>
        public int AvailableBy(double time)
        {
            if (time <= FromSeconds)
            {
                return 0;
            }
            var ramp = PerHour > 0 ? Math.Floor((time - FromSeconds) * PerHour / 3600 + 1e-9) + 1 : Max;
            return (int)Math.Min(Max, ramp);
        }
    }

    /// <summary>Operator-hours of a group over the horizon: its staffing in each interval, within what its activation
    /// allows by the end of the interval, times the interval's length.</summary>
    public static double OnDutyHours(ScenarioDefinition scenario, OperatorGroupSpec group)
    {
        var activation = ActivationOf(scenario, group);
        double total = 0;
        for (var k = 0; k < scenario.IntervalCount; k++)
        {
            var n = group.Staffing[k];
            total += activation is null ? n : Math.Min(n, activation.AvailableBy((k + 1) * scenario.IntervalSeconds));
        }
        return total * scenario.IntervalSeconds / 3600;
    }

    /// <summary>Most operators of <paramref name="group"/> that can be on duty in interval <paramref name="k"/> (by its
    /// end), and why when that is fewer than the per-group limit.</summary>
    public static (int Cap, Activation? Limit) Cap(ScenarioDefinition scenario, OperatorGroupSpec group, int k)
    {
        var cap = ScenarioLimits.MaxOperatorsPerGroup;
        if (ActivationOf(scenario, group) is { } activation)
        {
            var available = activation.AvailableBy((k + 1) * scenario.IntervalSeconds);
            if (available < cap)
            {
                return (available, activation);
            }
        }
        return (cap, null);
    }
}
