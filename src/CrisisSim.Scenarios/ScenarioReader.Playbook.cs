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

    // ---- conditions ----

    /// <summary>A condition map at nesting <paramref name="depth"/> (0 for <c>when</c>, 1 for the items of its
    /// <c>all</c> or <c>any</c> …): its conditions, all of which must hold, held for <c>for</c>; null after an error.</summary>
    private PlaybookConditionSpec? ReadCondition(YamlNode node, string path, int depth, RuleContext rule)
    {
        var fields = Fields(node, path, "a condition", ScenarioFormat.PlaybookCondition);
        if (fields is null)
        {
            return null;
        }
        var ok = true;

        var scope = PlaybookScope.All;
        var typeNode = fields.Get("type");
        var numberNode = fields.Get("number");
        if (typeNode is not null && numberNode is not null)
        {
            Error(numberNode, Join(path, "number"), "give the scope as type (a call type) or number (an entry number), not both");
            ok = false;
        }
        else if (typeNode is not null)
        {
            if (Text(typeNode, Join(path, "type")) is { } type)
            {
                scope = new PlaybookScope(CallType: type);
                _playbookReferences.Add(new PlaybookReference(Referent.CallType, type, typeNode, Join(path, "type"), "type"));
            }
            else
            {
                ok = false;
            }
        }
        else if (numberNode is not null)
        {
            if (Text(numberNode, Join(path, "number")) is { } number)
            {
                scope = new PlaybookScope(Number: number);
                _playbookReferences.Add(new PlaybookReference(Referent.Number, number, numberNode, Join(path, "number"), "number"));
            }
            else
            {
                ok = false;
            }
        }

        var window = Math.Max(DefaultWindowSeconds, _playbookEvery ?? 0);
        var windowNode = fields.Get("window");
        if (windowNode is not null)
        {
            if (BoundedDuration(fields, "window", path) is { } w && WindowWithinPeriods(windowNode, Join(path, "window"), w))
            {
                window = w;
            }
            else
            {
                ok = false;
            }
        }

        var conditions = new List<PlaybookConditionSpec>();
        var named = 0;
        var scoped = false;
        var windowed = false;
        foreach (var (key, _) in fields.Keys)
        {
            if (!ScenarioFormat.PlaybookConditionKeys.Contains(key))
            {
                continue;
            }
            named++;
            rule.Conditions++;
            scoped |= ScenarioFormat.PlaybookScopedKeys.Contains(key);
            windowed |= ScenarioFormat.PlaybookWindowKeys.Contains(key);
            if (ReadConditionKey(fields, key, path, scope, window, depth, rule) is { } condition)
            {
                conditions.Add(condition);
            }
            else
            {
                ok = false;
            }
        }

        if (named == 0)
        {
            // A map whose only keys are unknown has been reported already.
            if (fields.Map.Children.Count == fields.Keys.Count)
            {
                Error(node, path, "names no condition; give at least one of " + string.Join(", ", ScenarioFormat.PlaybookConditionKeys));
            }
            return null;
        }
        if (!scoped && (typeNode ?? numberNode) is { } scopeNode)
        {
            Error(scopeNode, Join(path, typeNode is null ? "number" : "type"),
                "scopes the queue and measured conditions of its own map (queueAbove, serviceLevel…, abandonment…, asa…, offered…), and this map has none: give it beside them");
            ok = false;
        }
        if (!windowed && windowNode is not null)
        {
            Error(windowNode, Join(path, "window"),
                "is the window of the measured conditions of its own map (serviceLevel…, abandonment…, asa…, offeredAbove), and this map has none: give it beside them");
            ok = false;
        }

        PlaybookConditionSpec? result = conditions.Count == 1 ? conditions[0] : new AllOfCondition(conditions.AsReadOnly());
        if (fields.Get("for") is not null)
        {
            result = BoundedDuration(fields, "for", path) is { } held ? new HeldForCondition(result, held) : null;
        }
        return ok ? result : null;
    }

    /// <summary>Evaluation periods the playbook's sliding windows span, summed over its windowed conditions: a bound on
    /// the counts a replication keeps for them (40 bytes a period).</summary>
    private double _playbookWindowPeriods;

    /// <summary>Conditions of all the rules, counting those within all and any: each is evaluated at every evaluation.</summary>
    private int _playbookConditions;

    private WindowCondition Counted(WindowCondition condition)
    {
        if (_playbookEvery is { } every && double.IsFinite(condition.WindowSeconds))
        {
            _playbookWindowPeriods += Math.Ceiling(condition.WindowSeconds / every - 1e-9);
        }
        return condition;
    }

    /// <summary>A window of at least one evaluation period and at most the limit of periods.</summary>
    private bool WindowWithinPeriods(YamlNode node, string path, double window)
    {
        if (_playbookEvery is not { } every)
        {
            return true;
        }
        if (window < every)
        {
            Error(node, path, Inv($"must be at least playbookEvery ({FormatSeconds(every)}): a window spans whole evaluation periods"));
            return false;
        }
        var periods = Math.Ceiling(window / every - 1e-9);
        if (periods > ScenarioLimits.MaxPlaybookWindowPeriods)
        {
            Error(node, path, Inv(
                $"spans {periods:N0} evaluation periods (window / playbookEvery, rounded up); the limit is {ScenarioLimits.MaxPlaybookWindowPeriods:N0}: make it at most {FormatSeconds(every * ScenarioLimits.MaxPlaybookWindowPeriods)}"));
            return false;
        }
        return true;
    }

    private PlaybookConditionSpec? ReadConditionKey(FieldSet fields, string key, string path, PlaybookScope scope, double window, int depth, RuleContext rule)
    {
        var keyPath = Join(path, key);
        switch (key)
        {
            case "queueAbove":
                return BoundedInteger(fields, key, path) is { } waiting ? new QueueCondition(scope, waiting) : null;
            case "serviceLevelBelow" or "serviceLevelAbove" or "abandonmentAbove" or "abandonmentBelow":
                var measure = key.StartsWith("serviceLevel", StringComparison.Ordinal) ? WindowMeasure.ServiceLevel : WindowMeasure.Abandonment;
                return BoundedNumber(fields, key, path) is { } share
                    ? Counted(new WindowCondition(scope, measure, key.EndsWith("Above", StringComparison.Ordinal), share, window))
                    : null;
            case "asaAbove" or "asaBelow":
                return BoundedDuration(fields, key, path) is { } wait ? Counted(new WindowCondition(scope, WindowMeasure.Asa, key == "asaAbove", wait, window)) : null;
            case "offeredAbove":
                return BoundedNumber(fields, key, path) is { } offered ? Counted(new WindowCondition(scope, WindowMeasure.Offered, true, offered, window)) : null;
            case "offeredTotalAbove":
                return BoundedNumber(fields, key, path) is { } total
                    ? new WindowCondition(scope, WindowMeasure.Offered, true, total, double.PositiveInfinity)
                    : null;
            case "clock":
                return ClockField(fields, key, path) is { } clock ? new ClockCondition(clock) : null;
            case "sinceOnset":
                return BoundedDuration(fields, key, path) is { } since ? new SinceOnsetCondition(since) : null;
            case "fired":
                var firedNode = fields.Get(key)!;
                if (Text(firedNode, keyPath) is not { } fired)
                {
                    return null;
                }
                if (fired == rule.Name)
                {
                    Error(firedNode, keyPath, $"names its own rule ('{Shorten(fired)}'): fired waits for another rule of the playbook");
                    return null;
                }
                _playbookReferences.Add(new PlaybookReference(Referent.Rule, fired, firedNode, keyPath, key));
                return new FiredCondition(fired);
            case "all" or "any":
                return ReadConditionList(fields, key, path, depth, rule);
            default:
                throw new InvalidOperationException($"the condition key '{key}' has no reading");
        }
    }

    /// <summary><c>all: [maps]</c> or <c>any: [maps]</c>, one level deeper.</summary>
    private PlaybookConditionSpec? ReadConditionList(FieldSet fields, string key, string path, int depth, RuleContext rule)
    {
        var node = fields.Get(key)!;
        var listPath = Join(path, key);
        if (node is not YamlSequenceNode sequence)
        {
            Error(node, listPath, $"expected a list of condition maps such as [{{ queueAbove: 20 }}, {{ clock: \"12:00\" }}], found {Describe(node)}");
            return null;
        }
        if (sequence.Children.Count == 0)
        {
            Error(node, listPath, "must hold at least one condition map");
            return null;
        }
        if (!WithinMostItems(node, listPath, sequence.Children.Count, fields.KeyFormat(key)))
        {
            return null;
        }
        if (depth + 1 > ScenarioLimits.MaxPlaybookConditionDepth)
        {
            Error(node, listPath, Inv($"nests all and any {depth + 1} levels deep; the limit is {ScenarioLimits.MaxPlaybookConditionDepth}"));
            return null;
        }
        var items = new List<PlaybookConditionSpec>(sequence.Children.Count);
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            if (ReadCondition(sequence.Children[i], Inv($"{listPath}[{i}]"), depth + 1, rule) is { } item)
            {
                items.Add(item);
            }
        }
        if (items.Count != sequence.Children.Count)
        {
            return null;
        }
        return key == "all" ? new AllOfCondition(items.AsReadOnly()) : new AnyOfCondition(items.AsReadOnly());
    }

    // ---- actions ----

    /// <summary>The rule's <c>do</c>: 1 to the limit of actions, no two of them contradicting each other; null after an
    /// error.</summary>
    private List<ActionEntry>? ReadActions(FieldSet fields, string path)
    {
        if (fields.Get("do") is not { } node)
        {
            return null;
        }
        var doPath = Join(path, "do");
        if (node is not YamlSequenceNode sequence)
        {
            Error(node, doPath, $"expected a list of actions (items starting with '- ', such as - activate: provider), found {Describe(node)}");
            return null;
        }
        if (sequence.Children.Count == 0)
        {
            Error(node, doPath, "must hold at least one action");
            return null;
        }
        if (!WithinMostItems(node, doPath, sequence.Children.Count, fields.KeyFormat("do")))
        {
            return null;
        }
        var actions = new List<ActionEntry>(sequence.Children.Count);
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            if (ReadAction(sequence.Children[i], Inv($"{doPath}[{i}]"), i) is { } action)
            {
                actions.Add(action);
            }
        }
        var consistent = CheckContradictions(actions);
        return actions.Count == sequence.Children.Count && consistent ? actions : null;
    }

    /// <summary>The actions of one rule take effect at the same instant: two that undo each other on the same target
    /// (open and close a number, switch a message or callbacks on and off, start and stop a campaign) are refused.</summary>
    private bool CheckContradictions(IReadOnlyList<ActionEntry> actions)
    {
        var ok = true;
        var seen = new Dictionary<(string Pair, string Target), ActionEntry>();
        foreach (var action in actions)
        {
            if (Opposite(action.Key) is not { } opposite || action.Target is not { } target)
            {
                continue;
            }
            var pair = string.CompareOrdinal(action.Key, opposite) < 0 ? action.Key : opposite;
            if (seen.TryGetValue((pair, target.Name), out var first) && first.Key != action.Key)
            {
                Error(action.KeyNode, Join(action.Path, action.Key), Inv(
                    $"contradicts do[{first.Index}] ({first.Key}: {Shorten(target.Name)}) of the same rule: a rule's actions take effect at the same instant; give them to two rules"));
                ok = false;
            }
            else
            {
                seen.TryAdd((pair, target.Name), action);
            }
        }
        return ok;
    }

    private static string? Opposite(string key) => key switch
    {
        "openNumber" => "closeNumber",
        "closeNumber" => "openNumber",
        "recordedMessage" => "recordedMessageOff",
        "recordedMessageOff" => "recordedMessage",
        "callbacks" => "callbacksOff",
        "callbacksOff" => "callbacks",
        "startCampaign" => "stopCampaign",
        "stopCampaign" => "startCampaign",
        _ => null,
    };

    /// <summary>One action: a map with exactly one action key.</summary>
    private ActionEntry? ReadAction(YamlNode node, string path, int index)
    {
        var fields = Fields(node, path, "an action", ScenarioFormat.PlaybookAction);
        if (fields is null)
        {
            return null;
        }
        if (fields.Keys.Count == 0)
        {
            if (fields.Map.Children.Count == 0)
            {
                Error(node, path, "names no action; give exactly one of " + string.Join(", ", ScenarioFormat.PlaybookActionKeys));
            }
            return null;
        }
        if (fields.Keys.Count > 1)
        {
            var (extra, extraNode) = fields.Keys[1];
            Error(extraNode, Join(path, extra),
                $"an action holds exactly one action key, and this one holds {fields.Keys[0].Key} already: write each action as its own item of do (- {fields.Keys[0].Key}: …, then - {extra}: …)");
            return null;
        }

        var (key, keyNode) = fields.Keys[0];
        var value = fields.Get(key)!;
        var keyPath = Join(path, key);
        ActionEntry? Entry(PlaybookActionSpec? spec, PlaybookReference? target) =>
            spec is null ? null : new ActionEntry(spec, key, keyNode, path, index, target);
        PlaybookReference? Refer(Referent kind, string? name, YamlNode? at, string atPath)
        {
            if (name is null || at is null)
            {
                return null;
            }
            var reference = new PlaybookReference(kind, name, at, atPath, key);
            _playbookReferences.Add(reference);
            return reference;
        }

        switch (key)
        {
            case "activate":
            {
                var group = Text(value, keyPath);
                return Entry(group is null ? null : new ActivateGroupAction(group), Refer(Referent.Group, group, value, keyPath));
            }
            case "openNumber" or "closeNumber":
            {
                var number = Text(value, keyPath);
                return Entry(number is null ? null : new OpenNumberAction(number, key == "openNumber"), Refer(Referent.Number, number, value, keyPath));
            }
            case "recordedMessageOff" or "callbacksOff":
            {
                var type = Text(value, keyPath);
                PlaybookActionSpec? spec = type is null ? null : key == "recordedMessageOff" ? new RecordedMessageAction(type, null) : new CallbacksAction(type, null);
                return Entry(spec, Refer(Referent.InboundCallType, type, value, keyPath));
            }
            case "startCampaign" or "stopCampaign":
            {
                var type = Text(value, keyPath);
                return Entry(type is null ? null : new CampaignAction(type, key == "startCampaign"), Refer(Referent.OutboundCallType, type, value, keyPath));
            }
            case "routing":
            {
                var routing = ReadActionRouting(value, keyNode, keyPath);
                if (routing is not null)
                {
                    _playbookRoutings.Add((routing, keyPath));
                }
                return Entry(routing is null ? null : new SetRoutingAction(routing.Spec), null);
            }
        }

        // The keys whose value is a map naming its target.
        var what = key switch
        {
            "lines" or "addLines" => "lines",
            "hours" => "opening hours",
            "recordedMessage" => "a recorded message",
            "callbacks" => "callbacks",
            _ => "a priority",
        };
        var map = Fields(value, keyPath, what, (MapFormat)ScenarioFormat.PlaybookAction.Key(key).Format);
        if (map is null)
        {
            return null;
        }
        var targetKey = key is "lines" or "addLines" or "hours" ? "number" : "type";
        var targetNode = map.Get(targetKey);
        var targetPath = Join(keyPath, targetKey);
        var targetName = targetNode is null ? null : Text(targetNode, targetPath);
        var target = Refer(targetKey == "number" ? Referent.Number : Referent.InboundCallType, targetName, targetNode, targetPath);
        switch (key)
        {
            case "lines" or "addLines":
            {
                var lines = BoundedInteger(map, "lines", keyPath);
                return Entry(targetName is null || lines is null ? null : new SetLinesAction(targetName, lines.Value, key == "addLines"), target);
            }
            case "hours":
            {
                var (hours, valid) = ReadActionHours(map, keyPath);
                return Entry(targetName is null || !valid ? null : new SetHoursAction(targetName, hours), target);
            }
            case "recordedMessage":
            {
                var seconds = BoundedDuration(map, "duration", keyPath);
                var satisfies = BoundedNumber(map, "satisfies", keyPath);
                return Entry(targetName is null || seconds is null || satisfies is null
                    ? null
                    : new RecordedMessageAction(targetName, new RecordedMessageSpec(seconds.Value, satisfies.Value)), target);
            }
            case "callbacks":
            {
                var offerAbove = BoundedDuration(map, "offerAbove", keyPath);
                var accept = BoundedNumber(map, "accept", keyPath);
                var deadline = BoundedDuration(map, "deadline", keyPath);
                return Entry(targetName is null || offerAbove is null || accept is null || deadline is null
                    ? null
                    : new CallbacksAction(targetName, new CallbackSpec(offerAbove.Value, accept.Value, deadline.Value)), target);
            }
            default:
            {
                var priority = map.Get("value") is { } priorityNode ? Integer(priorityNode, Join(keyPath, "value")) : null;
                return Entry(targetName is null || priority is null ? null : new SetPriorityAction(targetName, priority.Value), target);
            }
        }
    }

    /// <summary><c>hours: { number, open, close, atClose }</c> (the rules of a number's hours) or
    /// <c>hours: { number, always: true }</c> (null: open at all hours).</summary>
    private (OpeningHoursSpec? Hours, bool Valid) ReadActionHours(FieldSet map, string path)
    {
        var alwaysNode = map.Get("always");
        var openNode = map.Get("open");
        var closeNode = map.Get("close");
        var atCloseNode = map.Get("atClose");
        if (alwaysNode is not null)
        {
            if (new[] { ("open", openNode), ("close", closeNode), ("atClose", atCloseNode) }.FirstOrDefault(k => k.Item2 is not null) is (var other, { } otherNode))
            {
                Error(otherNode, Join(path, other), "give always: true (open at all hours) or open and close, not both");
                return (null, false);
            }
            var always = Boolean(alwaysNode, Join(path, "always"));
            if (always == false)
            {
                Error(alwaysNode, Join(path, "always"), "must be true (open at all hours); for opening hours give open and close instead");
            }
            return (null, always == true);
        }
        if (openNode is null || closeNode is null)
        {
            Error(map.Map, Join(path, openNode is null ? "open" : "close"), openNode is null ? "missing required key (or always: true)" : "missing required key");
            return (null, false);
        }
        var hours = HoursFrom(map, path);
        return (hours, hours is not null);
    }

    /// <summary><c>routing: NAME</c> or <c>routing: { policy: NAME, settings: {...} }</c>: a built-in policy only.</summary>
    private RoutingEntry? ReadActionRouting(YamlNode node, YamlNode keyNode, string path)
    {
        var builtIn = string.Join(", ", PolicyNames);
        if (node is YamlScalarNode)
        {
            if (Text(node, path) is not { } name)
            {
                return null;
            }
            if (!PolicyNames.Contains(name))
            {
                Error(node, path, $"unknown routing policy '{Shorten(name)}'; a rule switches to a built-in policy: {builtIn}");
                return null;
            }
            return new RoutingEntry(RoutingSpec.BuiltIn(name), node, keyNode, new Dictionary<string, YamlNode>(), null);
        }
        if (node is YamlMappingNode mapping)
        {
            foreach (var (k, _) in mapping.Children)
            {
                if (k is YamlScalarNode { Value: { } other } && other is "assembly" or "type" or "service" or "timeout" or "fallback")
                {
                    Error(k, Join(path, other),
                        $"a rule switches to a built-in policy only ({builtIn}): a plug-in (assembly, type) or a routing service (service) may be the scenario's routing, not a rule's");
                    return null;
                }
            }
        }
        var fields = Fields(node, path, "the routing policy", ScenarioFormat.PlaybookRouting);
        if (fields is null)
        {
            return null;
        }
        var (settings, settingNodes, settingsOk) = ReadRoutingSettings(fields.Get("settings"), Join(path, "settings"));
        if (fields.Get("policy") is not { } policyNode || Text(policyNode, Join(path, "policy")) is not { } policy)
        {
            return null;
        }
        if (!PolicyNames.Contains(policy))
        {
            Error(policyNode, Join(path, "policy"), $"unknown routing policy '{Shorten(policy)}'; a rule switches to a built-in policy: {builtIn}");
            return null;
        }
        return settingsOk ? new RoutingEntry(RoutingSpec.BuiltIn(policy, settings), node, keyNode, settingNodes, fields.Get("settings")) : null;
    }

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
