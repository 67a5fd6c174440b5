using CrisisSim.Model.Routing;
using CrisisSim.Model.Scenario;
using YamlDotNet.RepresentationModel;

namespace CrisisSim.Scenarios;

/// <summary>The crisis playbook (<c>playbook</c>, <c>playbookEvery</c>): its rules, their conditions and actions, and the
/// checks that need the rest of the scenario: the names of call types, numbers, groups and rules, the on-call groups
/// and closed numbers that a rule must bring in, and the bounds on firings and evaluations over the horizon.</summary>
internal sealed partial class ScenarioReader
{
    /// <summary>The window of a measured condition without <c>window</c> (at least the evaluation period).</summary>
    private const double DefaultWindowSeconds = 30 * 60;

    /// <summary>The evaluation period, read before the rules (windows and cooldowns are checked against it); null while
    /// it is not known (a wrong <c>playbookEvery</c>: no check against it then).</summary>
    private double? _playbookEvery = PlaybookSpec.DefaultEvaluateEverySeconds;

    /// <summary>Names of call types, numbers, groups and rules that the rules use, checked once every list is read.</summary>
    private readonly List<PlaybookReference> _playbookReferences = [];

    /// <summary>The routing actions, whose policies are constructed once the call types and groups are known.</summary>
    private readonly List<(RoutingEntry Routing, string Path)> _playbookRoutings = [];

    /// <summary>Every rule name read, even of a rule with a mistake elsewhere, so that <c>fired</c> is checked once.</summary>
    private readonly HashSet<string> _playbookRuleNames = new(StringComparer.Ordinal);

    /// <summary><c>playbookEvery</c> and <c>playbook</c>: the rules read in full, and whether every rule was.</summary>
    private PlaybookEntry ReadPlaybook(FieldSet fields)
    {
        var everyNode = fields.Get("playbookEvery");
        if (everyNode is not null)
        {
            _playbookEvery = BoundedDuration(fields, "playbookEvery", "");
        }
        var node = fields.Get("playbook");
        if (node is null || IsNull(node))
        {
            return new PlaybookEntry([], Complete: true);
        }
        if (node is YamlSequenceNode sequence && !WithinMostItems(node, "playbook", sequence.Children.Count, fields.KeyFormat("playbook")))
        {
            return new PlaybookEntry([], Complete: false);
        }

        var horizon = _intervalSeconds * _intervalCount;
        if (horizon > 0 && _playbookEvery is { } every)
        {
            var evaluations = Math.Floor(horizon / every + 1e-9);
            if (evaluations > ScenarioLimits.MaxPlaybookEvaluations)
            {
                var shortest = Math.Ceiling(horizon / ScenarioLimits.MaxPlaybookEvaluations * 1000) / 1000;
                Error(everyNode ?? node, everyNode is null ? "playbook" : "playbookEvery", Inv(
                    $"the playbook would be evaluated {evaluations:N0} times over the horizon ({FormatSeconds(horizon)}, every {FormatSeconds(every)}); the limit is {ScenarioLimits.MaxPlaybookEvaluations:N0}: make playbookEvery at least {FormatSeconds(shortest)}"));
            }
        }

        var rules = ReadList(node, "playbook", "playbook rule", ReadRule);
        if (horizon > 0 && _playbookEvery is { } period
            && Math.Floor(horizon / period + 1e-9) * _playbookConditions is var work && work > ScenarioLimits.MaxPlaybookConditionEvaluations)
        {
            Error(everyNode ?? node, everyNode is null ? "playbook" : "playbookEvery", Inv(
                $"its {_playbookConditions:N0} conditions would be evaluated {work:N0} times in all over the horizon (conditions x evaluations, every {FormatSeconds(period)}); the limit is {ScenarioLimits.MaxPlaybookConditionEvaluations:N0}: make playbookEvery longer or the rules fewer"));
        }
        if (_playbookWindowPeriods > ScenarioLimits.MaxPlaybookWindowPeriodsTotal)
        {
            Error(node, "playbook", Inv(
                $"its sliding windows span {_playbookWindowPeriods:N0} evaluation periods in all (each windowed condition's window / playbookEvery, rounded up); the limit is {ScenarioLimits.MaxPlaybookWindowPeriodsTotal:N0}: use shorter windows, fewer windowed conditions or a longer playbookEvery"));
        }
        return new PlaybookEntry(rules, node is YamlSequenceNode s && s.Children.Count == rules.Count);
    }

    private RuleEntry? ReadRule(YamlNode node, string path)
    {
        var fields = Fields(node, path, "a playbook rule", ScenarioFormat.PlaybookRule);
        if (fields is null)
        {
            return null;
        }
        var nameNode = fields.Get("name");
        var name = Name(fields, "name", path);
        if (name is not null)
        {
            _playbookRuleNames.Add(name);
        }

        var rule = new RuleContext(name);
        PlaybookConditionSpec? when = null;
        if (fields.Get("when") is { } whenNode)
        {
            var whenPath = Join(path, "when");
            when = ReadCondition(whenNode, whenPath, 0, rule);
            _playbookConditions += rule.Conditions;
            if (rule.Conditions > ScenarioLimits.MaxPlaybookConditionsPerRule)
            {
                Error(whenNode, whenPath, Inv(
                    $"holds {rule.Conditions:N0} conditions, counting those within all and any; the limit is {ScenarioLimits.MaxPlaybookConditionsPerRule} per rule"));
                when = null;
            }
        }

        var after = fields.Get("after") is null ? 0 : BoundedDuration(fields, "after", path);

        var actions = ReadActions(fields, path);

        var onceNode = fields.Get("once");
        bool? once = onceNode is null ? true : Boolean(onceNode, Join(path, "once"));
        var cooldownNode = fields.Get("cooldown");
        double? cooldown = null;
        var firingsValid = once is not null;
        if (cooldownNode is not null)
        {
            if (onceNode is not null && once == true)
            {
                Error(cooldownNode, Join(path, "cooldown"), "a rule with once: true fires once: give once: true or a cooldown, not both");
                firingsValid = false;
            }
            else if (BoundedDuration(fields, "cooldown", path) is { } c && CooldownWithinLimits(cooldownNode, Join(path, "cooldown"), c))
            {
                cooldown = c;
            }
            else
            {
                firingsValid = false;
            }
        }
        else if (once == false)
        {
            Error(onceNode!, Join(path, "once"),
                "a rule fires once unless it has a cooldown: give cooldown: DURATION (how long after a firing it may fire again), or leave once out");
            firingsValid = false;
        }

        return name is null || nameNode is null || when is null || after is not { } afterSeconds || actions is null || !firingsValid
            ? null
            : new RuleEntry(
                new PlaybookRuleSpec(name, when, actions.Select(a => a.Spec).ToList().AsReadOnly()) { AfterSeconds = afterSeconds, CooldownSeconds = cooldown },
                nameNode, path);
    }

    /// <summary>A cooldown of at least the evaluation period that lets the rule fire at most the limit of times over the
    /// horizon (once, then once per cooldown).</summary>
    private bool CooldownWithinLimits(YamlNode node, string path, double cooldown)
    {
        if (_playbookEvery is { } every && cooldown < every)
        {
            Error(node, path, Inv($"must be at least playbookEvery ({FormatSeconds(every)}): the rule is evaluated once per period"));
            return false;
        }
        var horizon = _intervalSeconds * _intervalCount;
        if (horizon > 0)
        {
            var firings = Math.Ceiling(horizon / cooldown) + 1;
            if (firings > ScenarioLimits.MaxPlaybookFiringsPerRule)
            {
                var shortest = Math.Ceiling(horizon / (ScenarioLimits.MaxPlaybookFiringsPerRule - 1) * 1000) / 1000;
                Error(node, path, Inv(
                    $"lets the rule fire up to {firings:N0} times over the horizon ({FormatSeconds(horizon)}: once, then once per cooldown); the limit is {ScenarioLimits.MaxPlaybookFiringsPerRule:N0} per rule: make the cooldown at least {FormatSeconds(shortest)}"));
                return false;
            }
        }
        return true;
    }

    // ---- conditions: ScenarioReader.PlaybookConditions.cs; actions: ScenarioReader.PlaybookActions.cs ----

    // ---- checks across the scenario ----

    /// <summary>The names the rules use, the routing actions' policies, duplicate rule names, and the on-call groups and
    /// closed numbers that no rule brings in. Names are checked against a list only when it was read in full.</summary>
    private void CheckPlaybook(
        PlaybookEntry playbook, IReadOnlyList<CallTypeEntry> callTypes, IReadOnlyList<GroupEntry> groups, IReadOnlyList<NumberEntry> numbers,
        bool callTypesComplete, bool groupsComplete, bool numbersComplete)
    {
        var rules = new Dictionary<string, RuleEntry>(StringComparer.Ordinal);
        foreach (var rule in playbook.Rules)
        {
            if (!rules.TryAdd(rule.Spec.Name, rule))
            {
                Error(rule.NameNode, Join(rule.Path, "name"),
                    Inv($"duplicate rule name '{rule.Spec.Name}' (first defined on line {Line(rules[rule.Spec.Name].NameNode)})"));
            }
        }

        var types = new Dictionary<string, CallTypeSpec>(StringComparer.Ordinal);
        foreach (var callType in callTypes)
        {
            types.TryAdd(callType.Spec.Name, callType.Spec);
        }
        var groupEntries = new Dictionary<string, GroupEntry>(StringComparer.Ordinal);
        foreach (var group in groups)
        {
            groupEntries.TryAdd(group.Spec.Name, group);
        }
        var numberNames = numbers.Select(n => n.Spec.Name).ToHashSet(StringComparer.Ordinal);

        foreach (var reference in _playbookReferences)
        {
            var (kind, name, node, path, key) = reference;
            switch (kind)
            {
                case Referent.CallType or Referent.InboundCallType or Referent.OutboundCallType when callTypesComplete:
                    if (!types.TryGetValue(name, out var type))
                    {
                        Error(node, path, $"unknown call type '{Shorten(name)}' (defined: {Names(types.Keys)})");
                    }
                    else if (kind == Referent.InboundCallType && type.Outbound is not null)
                    {
                        Error(node, path, $"'{Shorten(name)}' is an outbound call type: {key} does not apply to it (its calls are made by operators: no recorded message, callbacks or priority)");
                    }
                    else if (kind == Referent.OutboundCallType && type.Outbound is null)
                    {
                        Error(node, path, $"'{Shorten(name)}' is not an outbound call type: {key} applies to the calls an outbound call type (one with outbound) makes");
                    }
                    break;
                case Referent.Number when numbersComplete:
                    if (!numberNames.Contains(name))
                    {
                        var known = numberNames.Count == 0 ? "none is defined under numbers" : "defined: " + Names(numberNames);
                        Error(node, path, $"unknown number '{Shorten(name)}' ({known})");
                    }
                    break;
                case Referent.Group when groupsComplete:
                    if (!groupEntries.TryGetValue(name, out var group))
                    {
                        Error(node, path, $"unknown group '{Shorten(name)}' (defined: {Names(groupEntries.Keys)})");
                    }
                    else if (!group.Activatable)
                    {
                        Error(node, path, $"group '{Shorten(name)}' has neither activation nor onCall: a rule activates an outsourced provider or an on-call pool");
                    }
                    break;
                case Referent.Rule:
                    if (!_playbookRuleNames.Contains(name))
                    {
                        Error(node, path, $"unknown rule '{Shorten(name)}' (defined: {Names(_playbookRuleNames)})");
                    }
                    break;
            }
        }

        if (callTypesComplete && groupsComplete)
        {
            var callTypeSpecs = callTypes.Select(c => c.Spec).ToList();
            var groupList = groups.Select(g => g.Spec).ToList();
            foreach (var (routing, path) in _playbookRoutings)
            {
                CheckRouting(routing, callTypeSpecs, groupList, path);
            }
        }

        if (!playbook.Complete)
        {
            return;
        }
        var actions = playbook.Rules.SelectMany(r => r.Spec.Do).ToList();
        var activated = actions.OfType<ActivateGroupAction>().Select(a => a.Group).ToHashSet(StringComparer.Ordinal);
        var opened = actions.OfType<OpenNumberAction>().Where(a => a.Open).Select(a => a.Number).ToHashSet(StringComparer.Ordinal);
        foreach (var group in groups)
        {
            if (group.OnCallNode is { } onCallNode && !activated.Contains(group.Spec.Name))
            {
                Error(onCallNode, Join(group.Path, "onCall"),
                    $"group '{group.Spec.Name}' never comes on duty: no playbook rule activates it (add a rule with activate: {group.Spec.Name})");
            }
        }
        foreach (var number in numbers)
        {
            if (number.ClosedNode is { } closedNode && !opened.Contains(number.Spec.Name))
            {
                Error(closedNode, Join(number.Path, "closed"),
                    $"number '{number.Spec.Name}' is closed from the start and no playbook rule opens it (add a rule with openNumber: {number.Spec.Name})");
            }
        }
    }

    /// <summary>What a name in a rule refers to.</summary>
    private enum Referent
    {
        CallType,
        /// <summary>A call type that must be inbound (recorded message, callbacks, priority).</summary>
        InboundCallType,
        /// <summary>A call type that must be outbound (campaigns).</summary>
        OutboundCallType,
        Number,
        Group,
        Rule,
    }

    /// <summary>A name a rule uses, where, and under which key (for the message).</summary>
    private sealed record PlaybookReference(Referent Kind, string Name, YamlNode Node, string Path, string Key);

    /// <summary>Counts the conditions of one rule as they are read.</summary>
    private sealed class RuleContext(string? name)
    {
        public string? Name { get; } = name;

        public int Conditions { get; set; }
    }

    /// <param name="Path">The path of the action's map (<c>playbook[0].do[1]</c>).</param>
    /// <param name="Index">Its index in the rule's <c>do</c>.</param>
    /// <param name="Target">The name it acts on, or null (a routing action).</param>
    private sealed record ActionEntry(PlaybookActionSpec Spec, string Key, YamlNode KeyNode, string Path, int Index, PlaybookReference? Target);

    private sealed record RuleEntry(PlaybookRuleSpec Spec, YamlNode NameNode, string Path);

    /// <param name="Complete">Every rule was read in full (or there is none): then the checks that need every action
    /// (on-call groups and closed numbers brought in by some rule) apply.</param>
    private sealed record PlaybookEntry(IReadOnlyList<RuleEntry> Rules, bool Complete);
}
