using CrisisSim.Model.Routing;
using CrisisSim.Model.Scenario;
using YamlDotNet.RepresentationModel;

namespace CrisisSim.Scenarios;

/// <summary>The actions of a playbook rule (activating a group, opening or closing a number, lines, hours, routing,
/// recorded messages, callbacks, outbound campaigns), their targets, and the pairs of actions of one rule that contradict
/// each other.</summary>
internal sealed partial class ScenarioReader
{
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

}
