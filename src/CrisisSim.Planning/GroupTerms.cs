using CrisisSim.Model.Components;
using CrisisSim.Model.Scenario;

namespace CrisisSim.Planning;

/// <summary>What planning needs to know of an operator group beyond its staffing list, as the model defines it: its
/// cost, the share of its scheduled operators unavailable, whether its plan is given by shifts, and when an outsourced
/// provider's operators can be on duty (<c>activation</c> after the scenario's <c>onset</c>).</summary>
public static class GroupTerms
{
    /// <summary>Currency units per operator on duty per hour.</summary>
    public static double CostPerHour(OperatorGroupSpec group) => group.CostPerHour;

    /// <summary>Share of scheduled operators unavailable (0 to below 1).</summary>
    public static double Shrinkage(OperatorGroupSpec group) => group.Shrinkage;

    /// <summary>Whether the group's plan is given by shifts rather than a staffing list.</summary>
    public static bool UsesShifts(OperatorGroupSpec group) => group.Shifts is not null;

    /// <summary>The group scheduled by the staffing list <paramref name="staffing"/> (in place of its shifts, if any):
    /// the staffing algorithm staffs per interval.</summary>
    public static OperatorGroupSpec WithStaffing(OperatorGroupSpec group, IReadOnlyList<int> staffing) => group with { Staffing = staffing, Shifts = null };

    /// <summary>Operators on duty for <paramref name="scheduled"/> scheduled, after shrinkage (as the model rounds it).</summary>
    public static int OnDuty(OperatorGroupSpec group, int scheduled) => OperatorSchedule.Shrunk(scheduled, group.Shrinkage);

    /// <summary>The activation of an outsourced group, or null when the group is not activated (always available).</summary>
    /// <remarks>A provider a playbook rule activates is taken at the earliest the rule could activate it (its delay from
    /// the start of the run): a bound on the operators worth scheduling; the simulation then plays the rule itself.</remarks>
    public static Activation? ActivationOf(ScenarioDefinition scenario, OperatorGroupSpec group)
    {
        if (group.Activation is not { } a)
        {
            return null;
        }
        var from = scenario.Playbook?.Activates(group.Name) == true ? 0 : scenario.OnsetSeconds;
        return new Activation(from + a.DelaySeconds, a.PerHour, a.Max, OperatorSchedule.ActivationTimes(a, from, scenario.HorizonSeconds));
    }

    /// <summary>An outsourced provider's activation: no operator before <paramref name="FromSeconds"/> (onset + delay),
    /// then one at that time and one more every 1/<paramref name="PerHour"/> hour up to <paramref name="Max"/>; the
    /// operators on duty never exceed it.</summary>
    /// <param name="Times">When operators 1, 2 … become available (the model's <c>OperatorSchedule.ActivationTimes</c>).</param>
    public sealed record Activation(double FromSeconds, double PerHour, int Max, IReadOnlyList<double> Times)
    {
        /// <summary>Operators activated strictly before <paramref name="time"/>.</summary>
        public int AvailableBy(double time) => CountBelow(time, strict: true);

        /// <summary>Mean over [<paramref name="from"/>, <paramref name="to"/>) of the operators on duty when the schedule
        /// gives <paramref name="onDuty"/>: the smaller of that and the operators activated so far.</summary>
        public double MeanOnDuty(int onDuty, double from, double to)
        {
            if (to <= from)
            {
                return 0;
            }
            var activated = CountBelow(from, strict: false);
            double sum = 0;
            var t = from;
            while (t < to)
            {
                if (activated >= onDuty || activated >= Times.Count)
                {
                    sum += Math.Min(onDuty, activated) * (to - t);
                    break;
                }
                var end = Math.Min(to, Times[activated]);
                sum += activated * (end - t);
                t = end;
                activated++;
            }
            return sum / (to - from);
        }

        /// <summary>How many activation times are below <paramref name="time"/> (or at it, unless strict).</summary>
        private int CountBelow(double time, bool strict)
        {
            int lo = 0, hi = Times.Count;
            while (lo < hi)
            {
                var mid = (lo + hi) / 2;
                if (strict ? Times[mid] < time : Times[mid] <= time)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }
            return lo;
        }
    }

    /// <summary>Operator-hours of a group over the horizon by its plan (schedule, shrinkage, activation), as
    /// <c>crisissim validate</c> reports them: the model's mean operators on duty in each interval times its length.</summary>
    public static double OnDutyHours(ScenarioDefinition scenario, OperatorGroupSpec group) =>
        OperatorSchedule.MeanOnDutyPerInterval(group, scenario).Sum() * scenario.IntervalSeconds / 3600;

    /// <summary>Most operators worth scheduling for <paramref name="group"/> in interval <paramref name="k"/>: the fewest
    /// whose on-duty count (after shrinkage) reaches what its activation allows by the end of the interval; the
    /// per-group limit otherwise. Also returns the activation when it is what limits.</summary>
    public static (int Cap, Activation? Limit) Cap(ScenarioDefinition scenario, OperatorGroupSpec group, int k)
    {
        var cap = ScenarioLimits.MaxOperatorsPerGroup;
        if (ActivationOf(scenario, group) is { } activation)
        {
            var available = activation.AvailableBy((k + 1) * scenario.IntervalSeconds);
            var scheduled = Scheduled(group, available);
            if (scheduled < cap)
            {
                return (scheduled, activation);
            }
        }
        return (cap, null);
    }

    /// <summary>The fewest scheduled operators whose on-duty count (after shrinkage) is at least
    /// <paramref name="onDuty"/>.</summary>
    public static int Scheduled(OperatorGroupSpec group, int onDuty)
    {
        if (onDuty <= 0)
        {
            return 0;
        }
        var s = (int)Math.Min(ScenarioLimits.MaxOperatorsPerGroup, Math.Max(0, Math.Floor((onDuty - 0.5) / (1 - group.Shrinkage)) - 1));
        while (s < ScenarioLimits.MaxOperatorsPerGroup && OnDuty(group, s) < onDuty)
        {
            s++;
        }
        return s;
    }
}
