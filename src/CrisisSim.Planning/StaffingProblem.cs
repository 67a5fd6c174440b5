using System.Globalization;
using CrisisSim.Model.Scenario;

namespace CrisisSim.Planning;

/// <summary>A request that cannot be planned as asked (unknown group, nothing to staff …): bad input.</summary>
public sealed class PlanningException(string message) : Exception(message);

/// <summary>What the staffing algorithm works with: the groups it staffs, the call types whose targets they answer for,
/// the other groups' staffing (fixed), the most operators each interval can have, and each interval as a stationary
/// queue for first estimates.</summary>
/// <remarks>
/// <para>Groups staffed: those named; with no name given, the scenario's only group (a scenario with several groups must
/// name them). Every other group keeps its staffing from the scenario.</para>
/// <para>Call types judged: the call types the staffed groups serve, and every call type that shares a group with those
/// (recursively): the part of the contact center the staffed groups take part in. The targets apply to each of these
/// call types in each interval, so that no call type is given up for the others.</para>
/// <para>Several staffed groups: the algorithm sizes their total per interval and splits it in proportion to the groups'
/// agent-hours in the scenario (equal shares when these are all 0), by largest remainder, never above what a group can
/// have on duty in the interval (its activation); what one group cannot take goes to the others.</para>
/// </remarks>
public sealed class StaffingProblem
{
    private readonly double[] _shares;
    private readonly GroupTerms.Activation?[] _activations = [];

    public StaffingProblem(ScenarioDefinition scenario, IReadOnlyList<string> groups, ServiceTargets targets)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(groups);
        Scenario = scenario;
        Targets = targets;
        var names = scenario.Groups.Select(g => g.Name).ToList();
        if (groups.Count == 0)
        {
            if (scenario.Groups.Count != 1)
            {
                throw new PlanningException($"the scenario has {scenario.Groups.Count} groups ({string.Join(", ", names.Take(10))}{(names.Count > 10 ? " …" : "")}): name the groups to staff with --group");
            }
            StaffedGroups = [0];
        }
        else
        {
            var staffed = new List<int>();
            foreach (var name in groups)
            {
                var g = names.IndexOf(name);
                if (g < 0)
                {
                    throw new PlanningException($"no group named '{name}' in the scenario (groups: {string.Join(", ", names.Take(10))}{(names.Count > 10 ? " …" : "")})");
                }
                if (staffed.Contains(g))
                {
                    throw new PlanningException($"group '{name}' is named twice");
                }
                staffed.Add(g);
            }
            StaffedGroups = [.. staffed];
        }

        // The call types and groups connected to the staffed groups through `serves`.
        var typeSet = new HashSet<int>();
        var groupSet = new HashSet<int>(StaffedGroups);
        var frontier = new Queue<int>(StaffedGroups);
        while (frontier.Count > 0)
        {
            var g = frontier.Dequeue();
            foreach (var typeName in scenario.Groups[g].Serves)
            {
                var t = scenario.CallTypeIndex(typeName);
                if (t < 0 || !typeSet.Add(t))
                {
                    continue;
                }
                for (var h = 0; h < scenario.Groups.Count; h++)
                {
                    if (scenario.Groups[h].Serves.Contains(scenario.CallTypes[t].Name) && groupSet.Add(h))
                    {
                        frontier.Enqueue(h);
                    }
                }
            }
        }
        JudgedCallTypes = [.. typeSet.Order()];
        AllCallTypes = JudgedCallTypes.Count == scenario.CallTypes.Count;
        FixedGroups = [.. groupSet.Where(g => !StaffedGroups.Contains(g)).Order()];

        var hours = StaffedGroups.Select(g => (double)scenario.Groups[g].Staffing.Sum(x => (long)x)).ToArray();
        var totalHours = hours.Sum();
        _shares = totalHours > 0 ? [.. hours.Select(h => h / totalHours)] : [.. hours.Select(_ => 1.0 / hours.Length)];

        var count = scenario.IntervalCount;
        Caps = new int[StaffedGroups.Count][];
        CapLimits = new GroupTerms.Activation?[StaffedGroups.Count][];
        for (var i = 0; i < StaffedGroups.Count; i++)
        {
            Caps[i] = new int[count];
            CapLimits[i] = new GroupTerms.Activation?[count];
            for (var k = 0; k < count; k++)
            {
                (Caps[i][k], CapLimits[i][k]) = GroupTerms.Cap(scenario, scenario.Groups[StaffedGroups[i]], k);
            }
        }
        var upper = new int[count];
        Upper = upper;
        FixedEffective = new double[count];
        Queues = new IntervalQueue?[count];
        var grid = ArrivalGrid.Of(scenario);
        for (var k = 0; k < count; k++)
        {
            long others = 0;
            for (var g = 0; g < scenario.Groups.Count; g++)
            {
                if (!StaffedGroups.Contains(g))
                {
                    others += scenario.Groups[g].Staffing[k];
                }
            }
            var room = Math.Max(0, ScenarioLimits.MaxOperatorsOnDuty - others);
            upper[k] = (int)Math.Min(room, Caps.Sum(c => (long)c[k]));
            Queues[k] = QueueOf(grid, k, JudgedCallTypes);
        }
        // The fixed groups' operators on duty by their plan (shifts, breaks, shrinkage, activation), interval by interval.
        foreach (var g in FixedGroups)
        {
            var onDuty = Model.Components.OperatorSchedule.MeanOnDutyPerInterval(scenario.Groups[g], scenario);
            for (var k = 0; k < count; k++)
            {
                FixedEffective[k] += onDuty[k];
            }
        }
        _activations = [.. StaffedGroups.Select(g => GroupTerms.ActivationOf(scenario, scenario.Groups[g]))];
    }

    public ScenarioDefinition Scenario { get; }

    public ServiceTargets Targets { get; }

    /// <summary>Indices of the groups staffed, in the order they were named.</summary>
    public IReadOnlyList<int> StaffedGroups { get; }

    /// <summary>Groups whose staffing stays as in the scenario but that serve the judged call types.</summary>
    public IReadOnlyList<int> FixedGroups { get; }

    /// <summary>Indices of the call types whose KPIs the targets apply to.</summary>
    public IReadOnlyList<int> JudgedCallTypes { get; }

    /// <summary>Whether the targets apply to every call type (the run's own interval KPIs then suffice).</summary>
    public bool AllCallTypes { get; }

    /// <summary>Most operators of each staffed group per interval.</summary>
    internal int[][] Caps { get; }

    /// <summary>The activation that sets a cap, per staffed group and interval (null: no activation limit).</summary>
    internal GroupTerms.Activation?[][] CapLimits { get; }

    /// <summary>Most operators of the staffed groups together per interval.</summary>
    public IReadOnlyList<int> Upper { get; }

    /// <summary>Mean operators of the fixed groups on duty per interval, by their plan.</summary>
    internal double[] FixedEffective { get; }

    /// <summary>Each interval as a stationary queue (null when no judged call is expected).</summary>
    internal IntervalQueue?[] Queues { get; }

    public string StaffedNames => string.Join(", ", StaffedGroups.Select(g => Scenario.Groups[g].Name));

    /// <summary>The judged calls of interval <paramref name="k"/> as a stationary queue: their arrival rate, their mean
    /// handle time (each call type's, by the groups serving it, weighted by expected calls) and mean patience (Erlang C
    /// when a call type has none).</summary>
    private IntervalQueue? QueueOf(ArrivalGrid grid, int k, IEnumerable<int> callTypes)
    {
        var s = Scenario;
        double calls = 0, handle = 0, patience = 0;
        var everyonePatient = true;
        foreach (var t in callTypes)
        {
            var type = s.CallTypes[t];
            var n = type.Arrivals.ExpectedCalls(grid, k * s.IntervalSeconds, (k + 1) * s.IntervalSeconds);
            if (!(n > 0))
            {
                continue;
            }
            var servers = s.Groups.Where(g => g.Serves.Contains(type.Name)).Select(g => (g.HandleTime ?? type.HandleTime)?.Mean ?? 0).Where(h => h > 0).ToList();
            var h = servers.Count > 0 ? servers.Average() : type.HandleTime?.Mean ?? 0;
            calls += n;
            handle += n * h;
            if (type.Patience is { } p)
            {
                patience += n * p.Mean;
            }
            else
            {
                everyonePatient = false;
            }
        }
        if (!(calls > 0) || !(handle > 0))
        {
            return null;
        }
        return new IntervalQueue(calls / s.IntervalSeconds, handle / calls, everyonePatient && patience > 0 ? patience / calls : null, Targets.ThresholdSeconds);
    }

    /// <summary>The first estimate: per interval, the operators a stationary Erlang A queue at the interval's expected
    /// load needs to meet the targets, less the fixed groups' operators, within what the interval can have. With several
    /// judged call types, also each call type's own queue less the fixed groups that serve it, the largest of these.</summary>
    public int[] ErlangStart()
    {
        var start = new int[Scenario.IntervalCount];
        var grid = ArrivalGrid.Of(Scenario);
        var fixedServing = JudgedCallTypes.Count == 1 ? [] : JudgedCallTypes.Select(FixedOnDutyServing).ToArray();
        for (var k = 0; k < start.Length; k++)
        {
            if (Queues[k] is not { } q)
            {
                continue;
            }
            var needed = q.Required(Targets, 1, ScenarioLimits.MaxOperatorsOnDuty) - FixedEffective[k];
            for (var i = 0; i < fixedServing.Length; i++)
            {
                if (QueueOf(grid, k, [JudgedCallTypes[i]]) is { } own)
                {
                    needed = Math.Max(needed, own.Required(Targets, 1, ScenarioLimits.MaxOperatorsOnDuty) - fixedServing[i][k]);
                }
            }
            start[k] = Clamp((int)Math.Ceiling(Math.Max(0, needed) / (1 - AverageShrinkage) - 1e-9), k);
        }
        return start;
    }

    /// <summary>Mean operators on duty per interval, by their plan, of the fixed groups serving call type
    /// <paramref name="callType"/>.</summary>
    private double[] FixedOnDutyServing(int callType)
    {
        var total = new double[Scenario.IntervalCount];
        foreach (var g in FixedGroups.Where(g => Scenario.Groups[g].Serves.Contains(Scenario.CallTypes[callType].Name)))
        {
            var onDuty = Model.Components.OperatorSchedule.MeanOnDutyPerInterval(Scenario.Groups[g], Scenario);
            for (var k = 0; k < total.Length; k++)
            {
                total[k] += onDuty[k];
            }
        }
        return total;
    }

    internal double AverageShrinkage => StaffedGroups.Select((g, i) => _shares[i] * GroupTerms.Shrinkage(Scenario.Groups[g])).Sum();

    internal int Clamp(int total, int k) => Math.Clamp(total, 0, Upper[k]);

    /// <summary>The total of interval <paramref name="k"/> split over the staffed groups (see the remarks of the
    /// class).</summary>
    public int[] Split(int total, int k)
    {
        var n = StaffedGroups.Count;
        var alloc = new int[n];
        var remaining = Math.Min(total, Upper[k]);
        while (remaining > 0)
        {
            var open = Enumerable.Range(0, n).Where(i => alloc[i] < Caps[i][k]).ToList();
            if (open.Count == 0)
            {
                break;
            }
            var weight = open.Sum(i => _shares[i]);
            var exact = open.Select(i => weight > 0 ? remaining * _shares[i] / weight : (double)remaining / open.Count).ToArray();
            var given = 0;
            var floors = new int[open.Count];
            for (var j = 0; j < open.Count; j++)
            {
                floors[j] = (int)Math.Floor(exact[j]);
                given += floors[j];
            }
            // Largest remainders first; ties to the group named first.
            foreach (var j in Enumerable.Range(0, open.Count).OrderByDescending(j => exact[j] - floors[j]).ThenBy(j => j).Take(remaining - given))
            {
                floors[j]++;
            }
            var placed = 0;
            for (var j = 0; j < open.Count; j++)
            {
                var i = open[j];
                var add = Math.Min(floors[j], Caps[i][k] - alloc[i]);
                alloc[i] += add;
                placed += add;
            }
            if (placed == 0)
            {
                break;
            }
            remaining -= placed;
        }
        return alloc;
    }

    /// <summary>Mean operators on duty in interval <paramref name="k"/> with <paramref name="alloc"/> scheduled in the
    /// staffed groups (after shrinkage and activation), with the fixed groups'.</summary>
    internal int Effective(int[] alloc, int k)
    {
        var n = FixedEffective[k];
        for (var i = 0; i < alloc.Length; i++)
        {
            var onDuty = GroupTerms.OnDuty(Scenario.Groups[StaffedGroups[i]], alloc[i]);
            n += _activations[i] is { } a ? a.MeanOnDuty(onDuty, k * Scenario.IntervalSeconds, (k + 1) * Scenario.IntervalSeconds) : onDuty;
        }
        return (int)Math.Floor(n + 1e-9);
    }

    /// <summary>The scenario with the staffed groups given <paramref name="staffing"/> (per staffed group, per
    /// interval).</summary>
    public ScenarioDefinition WithStaffing(IReadOnlyList<int[]> staffing)
    {
        var groups = Scenario.Groups.ToArray();
        for (var i = 0; i < StaffedGroups.Count; i++)
        {
            groups[StaffedGroups[i]] = GroupTerms.WithStaffing(groups[StaffedGroups[i]], staffing[i]);
        }
        return Scenario with { Groups = groups };
    }

    /// <summary>Per staffed group, per interval, from totals per interval.</summary>
    public int[][] SplitAll(IReadOnlyList<int> totals)
    {
        var result = StaffedGroups.Select(_ => new int[Scenario.IntervalCount]).ToArray();
        for (var k = 0; k < totals.Count; k++)
        {
            var alloc = Split(totals[k], k);
            for (var i = 0; i < alloc.Length; i++)
            {
                result[i][k] = alloc[i];
            }
        }
        return result;
    }

    /// <summary>Why interval <paramref name="k"/> cannot have more operators than <paramref name="total"/>.</summary>
    internal string CapReason(int k)
    {
        var reasons = new List<string>();
        for (var i = 0; i < StaffedGroups.Count; i++)
        {
            var name = Scenario.Groups[StaffedGroups[i]].Name;
            if (CapLimits[i][k] is { } a)
            {
                var from = ClockLabel.Of(Scenario.ClockStartSeconds + a.FromSeconds, ClockLabel.SpansDays(Scenario));
                reasons.Add(Caps[i][k] == 0
                    ? $"{name} is not on duty before {from} (activation)"
                    : string.Create(CultureInfo.InvariantCulture, $"{name} has at most {Caps[i][k]} operators on duty by the end of the interval (activation from {from}, {a.PerHour:0.##} more per hour, at most {a.Max})"));
            }
            else if (Caps[i][k] >= ScenarioLimits.MaxOperatorsPerGroup)
            {
                reasons.Add(string.Create(CultureInfo.InvariantCulture, $"{name} is at the limit of {ScenarioLimits.MaxOperatorsPerGroup:N0} operators per group"));
            }
        }
        if (reasons.Count == 0)
        {
            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"the limit of {ScenarioLimits.MaxOperatorsOnDuty:N0} operators on duty is reached"));
        }
        return string.Join("; ", reasons);
    }
}
