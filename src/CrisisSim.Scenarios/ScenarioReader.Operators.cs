using CrisisSim.Model.Components;
using CrisisSim.Model.Scenario;
using YamlDotNet.RepresentationModel;

namespace CrisisSim.Scenarios;

/// <summary>The operator groups: what they serve, staffing or shifts, shrinkage, activation, learning, and the
/// cross-references between groups and call types.</summary>
internal sealed partial class ScenarioReader
{
    /// <summary>Operators on duty in any interval, over all groups, are within the limit.</summary>
    private void CheckOperatorsOnDuty(YamlNode node, IReadOnlyList<GroupEntry> groups)
    {
        if (_intervalCount == 0 || groups.Any(g => g.Spec.Staffing.Count != _intervalCount))
        {
            return;
        }
        for (var i = 0; i < _intervalCount; i++)
        {
            long onDuty = 0;
            // Indexed: an enumerator of the list per interval would be garbage that grows with the intervals.
            for (var g = 0; g < groups.Count; g++)
            {
                onDuty += groups[g].Spec.Staffing[i];
            }
            if (onDuty > ScenarioLimits.MaxOperatorsOnDuty)
            {
                Error(node, "groups", Inv(
                    $"{onDuty:N0} operators are on duty in interval {i} (staffing[{i}], from {FormatSeconds(i * _intervalSeconds)}); the limit is {ScenarioLimits.MaxOperatorsOnDuty:N0} over all groups"));
                return;
            }
        }
    }

    private GroupEntry? ReadGroup(YamlNode node, string path)
    {
        var fields = Fields(node, path, "an operator group", ScenarioFormat.Group);
        if (fields is null)
        {
            return null;
        }

        var name = Name(fields, "name", path);

        var serves = new List<(string Name, YamlNode Node, string Path)>();
        var servedNames = new HashSet<string>(StringComparer.Ordinal);
        var servesComplete = false;
        var proficiency = new Dictionary<string, double>(StringComparer.Ordinal);
        if (fields.Get("serves") is { } servesNode)
        {
            var servesPath = Join(path, "serves");
            if (servesNode is YamlSequenceNode sequence)
            {
                if (sequence.Children.Count == 0)
                {
                    Error(servesNode, servesPath, "must list at least one call type");
                }
                servesComplete = sequence.Children.Count > 0;
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    var itemPath = Inv($"{servesPath}[{i}]");
                    if (Text(sequence.Children[i], itemPath) is not { } callType)
                    {
                        servesComplete = false;
                    }
                    else
                    {
                        if (!servedNames.Add(callType))
                        {
                            Error(sequence.Children[i], itemPath, $"call type '{Shorten(callType)}' is listed twice");
                        }
                        else
                        {
                            serves.Add((callType, sequence.Children[i], itemPath));
                        }
                    }
                }
            }
            else if (servesNode is YamlMappingNode map)
            {
                // Map form: call type -> proficiency (handle-time multiplier).
                if (map.Children.Count == 0)
                {
                    Error(servesNode, servesPath, "must list at least one call type");
                }
                servesComplete = map.Children.Count > 0;
                foreach (var (keyNode, valueNode) in map.Children)
                {
                    if (keyNode is not YamlScalarNode { Value: { } callType } || IsNull(keyNode))
                    {
                        Error(keyNode, servesPath, $"keys must be call type names, found {Describe(keyNode)}");
                        servesComplete = false;
                        continue;
                    }
                    var itemPath = Join(servesPath, callType);
                    if (!servedNames.Add(callType))
                    {
                        Error(keyNode, itemPath, $"call type '{Shorten(callType)}' is listed twice");
                        continue;
                    }
                    serves.Add((callType, keyNode, itemPath));
                    if (Number(valueNode, itemPath, "a proficiency (handle-time multiplier) such as 1.3") is not { } m
                        || !WithinBounds(valueNode, itemPath, m, ScenarioFormat.Proficiency))
                    {
                        continue;
                    }
                    proficiency[callType] = m;
                }
            }
            else
            {
                Error(servesNode, servesPath, $"expected a list of call type names such as [info], or a map of call types to proficiencies such as {{ info: 1.0, symptoms: 1.3 }}, found {Describe(servesNode)}");
            }
        }

        IReadOnlyList<int> staffing = [];
        IReadOnlyList<ShiftSpec>? shifts = null;
        var staffingNode = fields.Get("staffing");
        var shiftsNode = fields.Get("shifts");
        if (staffingNode is not null && shiftsNode is not null)
        {
            Error(shiftsNode, Join(path, "shifts"), "a group has staffing or shifts, not both");
        }
        else if (staffingNode is not null)
        {
            staffing = Staffing(staffingNode, Join(path, "staffing"));
        }
        else if (shiftsNode is not null)
        {
            shifts = ReadShifts(shiftsNode, Join(path, "shifts"));
        }
        else
        {
            Error(fields.Map, Join(path, "staffing"), "missing required key (or shifts)");
        }

        var shrinkage = BoundedNumber(fields, "shrinkage", path) ?? 0;
        var occupancyCap = BoundedNumber(fields, "occupancyCap", path) ?? 1;
        var costPerHour = BoundedNumber(fields, "costPerHour", path) ?? 0;

        DistributionSpec? afterCallWork = null;
        if (fields.Get("afterCallWork") is { } acwNode)
        {
            afterCallWork = Distribution(acwNode, Join(path, "afterCallWork"), allowNone: true);
        }

        var activation = fields.Get("activation") is { } activationNode ? ReadActivation(activationNode, Join(path, "activation")) : null;
        OnCallSpec? onCall = null;
        var onCallNode = fields.Get("onCall");
        if (onCallNode is not null && fields.Get("activation") is not null)
        {
            Error(onCallNode, Join(path, "onCall"), "a group is an outsourced provider (activation) or an on-call pool (onCall), not both");
        }
        else if (onCallNode is not null && Fields(onCallNode, Join(path, "onCall"), "onCall", ScenarioFormat.OnCall) is { } onCallFields
            && BoundedDuration(onCallFields, "delay", Join(path, "onCall")) is { } onCallDelay)
        {
            onCall = new OnCallSpec(onCallDelay);
        }
        var learning = fields.Get("learning") is { } learningNode ? ReadLearning(learningNode, Join(path, "learning")) : null;

        // The schedule's changes count against the run's limit before the shifts are compiled, so that the work of
        // reading stays bounded too.
        var scheduleProbe = new OperatorGroupSpec("", [], staffing, null) { Shifts = shifts, Shrinkage = shrinkage, Activation = activation };
        if (_intervalCount > 0)
        {
            var changes = OperatorSchedule.ChangeBound(scheduleProbe, _intervalSeconds, _intervalCount, _clockStart, _onset);
            _scheduleChanges += changes;
            if (changes > 0 && _scheduleChanges > ScenarioLimits.MaxScheduleChanges)
            {
                Error(node, path, Inv(
                    $"the groups' schedules (shifts, breaks, shrinkage, activation) up to this group change the operators on duty up to {_scheduleChanges:N0} times over the run; the limit is {ScenarioLimits.MaxScheduleChanges:N0}"));
                shifts = null;
            }
            else if (shifts is not null)
            {
                var peak = OperatorSchedule.PeakPerInterval(scheduleProbe, _intervalSeconds, _intervalCount, _clockStart);
                if (peak.Max() > ScenarioLimits.MaxOperatorsPerGroup)
                {
                    Error(shiftsNode!, Join(path, "shifts"), Inv($"schedule {peak.Max():N0} operators at once; the limit is {ScenarioLimits.MaxOperatorsPerGroup:N0} per group"));
                    shifts = null;
                }
                else
                {
                    staffing = peak.AsReadOnly();
                }
            }
        }

        DistributionSpec? handleTime = null;
        var handleTimeNode = fields.Get("handleTime");
        if (handleTimeNode is not null)
        {
            handleTime = Distribution(handleTimeNode, Join(path, "handleTime"), allowNone: false);
        }

        var nameNode = fields.Get("name");
        return name is null || nameNode is null
            ? null
            : new GroupEntry(
                new OperatorGroupSpec(name, serves.Select(s => s.Name).ToList().AsReadOnly(), staffing, handleTime)
                {
                    Proficiency = proficiency.Count == 0 ? null : proficiency.AsReadOnly(),
                    Shifts = shifts,
                    Shrinkage = shrinkage,
                    OccupancyCap = occupancyCap,
                    CostPerHour = costPerHour,
                    AfterCallWork = afterCallWork,
                    Activation = activation,
                    OnCall = onCall,
                    Learning = learning,
                },
                nameNode, path, serves, servesComplete, handleTimeNode is not null, onCall is null ? null : onCallNode,
                Activatable: fields.Get("activation") is not null || onCallNode is not null);
    }

    /// <summary>Daily shifts: 1 to the limit, each <c>{ start, end, operators, breaks }</c>.</summary>
    private IReadOnlyList<ShiftSpec>? ReadShifts(YamlNode node, string path)
    {
        if (node is not YamlSequenceNode sequence)
        {
            Error(node, path, $"expected a list of shifts such as [{{ start: \"08:00\", end: \"16:00\", operators: 10 }}], found {Describe(node)}");
            return null;
        }
        if (sequence.Children.Count == 0)
        {
            Error(node, path, "must hold at least one shift");
            return null;
        }
        if (!WithinMostItems(node, path, sequence.Children.Count, ScenarioFormat.Group.Key("shifts").Format))
        {
            return null;
        }
        var shifts = new List<ShiftSpec>();
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            if (ReadShift(sequence.Children[i], Inv($"{path}[{i}]")) is { } shift)
            {
                shifts.Add(shift);
            }
        }
        return shifts.Count == sequence.Children.Count ? shifts.AsReadOnly() : null;
    }

    private ShiftSpec? ReadShift(YamlNode node, string path)
    {
        var fields = Fields(node, path, "a shift", ScenarioFormat.Shift);
        if (fields is null)
        {
            return null;
        }
        var start = ClockField(fields, "start", path);
        var end = ClockField(fields, "end", path);
        if (start is { } st && end is { } en && st == en)
        {
            Error(fields.Get("end")!, Join(path, "end"), "must differ from start (a shift from 22:00 to 06:00 runs overnight)");
            end = null;
        }
        int? operators = fields.Get("operators") is { } operatorsNode ? Headcount(operatorsNode, Join(path, "operators")) : null;
        var breaks = new List<BreakSpec>();
        var breaksValid = true;
        if (fields.Get("breaks") is { } breaksNode && !IsNull(breaksNode))
        {
            var breaksPath = Join(path, "breaks");
            if (breaksNode is not YamlSequenceNode breakList)
            {
                Error(breaksNode, breaksPath, $"expected a list of breaks such as [{{ at: \"12:00\", duration: 30m }}], found {Describe(breaksNode)}");
                breaksValid = false;
            }
            else if (!WithinMostItems(breaksNode, breaksPath, breakList.Children.Count, fields.KeyFormat("breaks")))
            {
                breaksValid = false;
            }
            else
            {
                for (var i = 0; i < breakList.Children.Count; i++)
                {
                    var breakPath = Inv($"{breaksPath}[{i}]");
                    var breakFields = Fields(breakList.Children[i], breakPath, "a break", ScenarioFormat.Break);
                    if (breakFields is null)
                    {
                        breaksValid = false;
                        continue;
                    }
                    var at = ClockField(breakFields, "at", breakPath);
                    double? duration = null;
                    if (breakFields.Get("duration") is { } durationNode && Duration(durationNode, Join(breakPath, "duration")) is { } d)
                    {
                        if (d <= 0)
                        {
                            Error(durationNode, Join(breakPath, "duration"), "must be a duration above 0");
                        }
                        else
                        {
                            duration = d;
                        }
                    }
                    if (at is not { } a || duration is not { } dur)
                    {
                        breaksValid = false;
                        continue;
                    }
                    var b = new BreakSpec(a, dur);
                    if (start is { } shiftStart && end is { } shiftEnd)
                    {
                        var shift = new ShiftSpec(shiftStart, shiftEnd, 0, []);
                        var offset = OperatorSchedule.BreakOffset(shift, b);
                        if (offset + dur > shift.LengthSeconds)
                        {
                            Error(breakList.Children[i], breakPath,
                                Inv($"the break ({FormatSeconds(dur)} from {FormatClock(a)}) must lie within its shift ({FormatClock(shiftStart)} to {FormatClock(shiftEnd)})"));
                            breaksValid = false;
                            continue;
                        }
                        foreach (var other in breaks)
                        {
                            var otherOffset = OperatorSchedule.BreakOffset(shift, other);
                            if (offset < otherOffset + other.DurationSeconds && otherOffset < offset + dur)
                            {
                                Error(breakList.Children[i], breakPath, Inv($"overlaps the break at {FormatClock(other.AtSeconds)}"));
                                breaksValid = false;
                            }
                        }
                    }
                    breaks.Add(b);
                }
            }
        }
        return start is { } s && end is { } e && operators is { } n && breaksValid ? new ShiftSpec(s, e, n, breaks.AsReadOnly()) : null;
    }

    /// <summary>A required time of day HH:MM or HH:MM:SS (seconds after midnight).</summary>
    private double? ClockField(FieldSet fields, string key, string path)
    {
        if (fields.Get(key) is not { } clockNode || Text(clockNode, Join(path, key)) is not { } text)
        {
            return null;
        }
        if (ParseClock(text) is { } seconds && seconds < ScenarioLimits.SecondsPerDay)
        {
            return seconds;
        }
        Error(clockNode, Join(path, key), $"must be a time of day HH:MM or HH:MM:SS from 00:00 to 23:59:59 (quote it), not '{Shorten(text)}'");
        return null;
    }

    private static string FormatClock(double seconds) =>
        Inv($"{(int)(seconds / 3600):00}:{(int)(seconds % 3600 / 60):00}") + (seconds % 60 == 0 ? "" : Inv($":{(int)(seconds % 60):00}"));

    /// <summary><c>activation: { delay, perHour, max }</c>.</summary>
    private ActivationSpec? ReadActivation(YamlNode node, string path)
    {
        var fields = Fields(node, path, "activation", ScenarioFormat.Activation);
        if (fields is null)
        {
            return null;
        }
        var delay = BoundedDuration(fields, "delay", path);
        var perHour = BoundedNumber(fields, "perHour", path);
        int? max = null;
        // A headcount first (its own words beyond 0 and the group limit), then activation's own lower bound.
        if (fields.Get("max") is { } maxNode && Headcount(maxNode, Join(path, "max")) is { } m
            && WithinBounds(maxNode, Join(path, "max"), m, fields.KeyFormat("max")))
        {
            max = m;
        }
        return delay is { } dl && perHour is { } ph && max is { } mx ? new ActivationSpec(dl, ph, mx) : null;
    }

    /// <summary><c>learning: { initial, halfLife }</c> or <c>{ initial, halfLifeCalls }</c>.</summary>
    private LearningSpec? ReadLearning(YamlNode node, string path)
    {
        var fields = Fields(node, path, "the learning curve", ScenarioFormat.Learning);
        if (fields is null)
        {
            return null;
        }
        var initial = BoundedNumber(fields, "initial", path);
        var timeNode = fields.Get("halfLife");
        var callsNode = fields.Get("halfLifeCalls");
        if (timeNode is null == callsNode is null)
        {
            Error(timeNode is null ? fields.Map : callsNode!, Join(path, timeNode is null ? "halfLife" : "halfLifeCalls"),
                "give exactly one of halfLife (a duration) and halfLifeCalls (a number of calls)");
            return null;
        }
        var halfLife = BoundedDuration(fields, "halfLife", path);
        var halfLifeCalls = BoundedNumber(fields, "halfLifeCalls", path);
        return initial is { } init && (halfLife is not null || halfLifeCalls is not null) ? new LearningSpec(init, halfLife, halfLifeCalls) : null;
    }

    private IReadOnlyList<int> Staffing(YamlNode node, string path)
    {
        if (node is YamlSequenceNode sequence)
        {
            var values = new List<int>(sequence.Children.Count);
            for (var i = 0; i < sequence.Children.Count; i++)
            {
                if (Headcount(sequence.Children[i], Inv($"{path}[{i}]")) is { } count)
                {
                    values.Add(count);
                }
            }
            CheckLength(sequence, path, "values");
            return values.AsReadOnly();
        }
        if (Headcount(node, path) is { } single && _intervalCount > 0)
        {
            return new SameEachInterval<int>(single, _intervalCount);
        }
        return [];
    }

    private int? Headcount(YamlNode node, string path)
    {
        return Integer(node, path, "a number of operators") is { } value && WithinBounds(node, path, value, ScenarioFormat.Operators) ? value : null;
    }

    private void CheckLength(YamlSequenceNode sequence, string path, string what)
    {
        if (_intervalCount > 0 && sequence.Children.Count != _intervalCount)
        {
            Error(sequence, path, Inv($"has {sequence.Children.Count} {what}; expected exactly one per interval ({_intervalCount}, the value of intervals)"));
        }
    }

    private void CheckReferences(
        IReadOnlyList<CallTypeEntry> callTypes, IReadOnlyList<GroupEntry> groups, bool callTypesComplete, bool groupsComplete)
    {
        var seenCallTypes = new Dictionary<string, CallTypeEntry>(StringComparer.Ordinal);
        foreach (var callType in callTypes)
        {
            if (!seenCallTypes.TryAdd(callType.Spec.Name, callType))
            {
                Error(callType.NameNode, Join(callType.Path, "name"),
                    Inv($"duplicate call type name '{callType.Spec.Name}' (first defined on line {Line(seenCallTypes[callType.Spec.Name].NameNode)})"));
            }
        }

        var seenGroups = new Dictionary<string, GroupEntry>(StringComparer.Ordinal);
        var servingGroups = new Dictionary<string, List<GroupEntry>>(StringComparer.Ordinal);
        foreach (var group in groups)
        {
            if (!seenGroups.TryAdd(group.Spec.Name, group))
            {
                Error(group.NameNode, Join(group.Path, "name"),
                    Inv($"duplicate group name '{group.Spec.Name}' (first defined on line {Line(seenGroups[group.Spec.Name].NameNode)})"));
            }
            foreach (var (callTypeName, node, path) in group.Serves)
            {
                if (callTypesComplete && !seenCallTypes.ContainsKey(callTypeName))
                {
                    var known = seenCallTypes.Count == 0 ? "none is defined" : "defined: " + Names(seenCallTypes.Keys);
                    Error(node, path, $"unknown call type '{Shorten(callTypeName)}' ({known})");
                }
                if (!servingGroups.TryGetValue(callTypeName, out var serving))
                {
                    servingGroups[callTypeName] = serving = [];
                }
                serving.Add(group);
            }
        }

        if (!groupsComplete)
        {
            return;
        }
        foreach (var callType in seenCallTypes.Values)
        {
            var serving = servingGroups.GetValueOrDefault(callType.Spec.Name) ?? [];
            if (serving.Count == 0)
            {
                Error(callType.Node, callType.Path, $"call type '{callType.Spec.Name}' is served by no group (add it to a group's serves)");
                continue;
            }
            if (callType.HasHandleTime)
            {
                continue;
            }
            var withoutHandleTime = serving.Where(g => !g.HasHandleTime).Select(g => g.Spec.Name).ToList();
            if (withoutHandleTime.Count > 0)
            {
                Error(callType.Node, Join(callType.Path, "handleTime"),
                    $"missing: call type '{callType.Spec.Name}' has no handle time and group{(withoutHandleTime.Count > 1 ? "s" : "")} " +
                    $"{Names(withoutHandleTime.Select(n => "'" + n + "'"))} serving it {(withoutHandleTime.Count > 1 ? "have" : "has")} none either");
            }
        }
    }

    /// <param name="OnCallNode">The value of <c>onCall</c>, when it was read.</param>
    /// <param name="Activatable">The group has <c>activation</c> or <c>onCall</c> (read or not): a rule may activate it.</param>
    private sealed record GroupEntry(
        OperatorGroupSpec Spec,
        YamlNode NameNode,
        string Path,
        IReadOnlyList<(string Name, YamlNode Node, string Path)> Serves,
        bool ServesComplete,
        bool HasHandleTime,
        YamlNode? OnCallNode = null,
        bool Activatable = false);
}
