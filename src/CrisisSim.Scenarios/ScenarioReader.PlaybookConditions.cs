using CrisisSim.Model.Routing;
using CrisisSim.Model.Scenario;
using YamlDotNet.RepresentationModel;

namespace CrisisSim.Scenarios;

/// <summary>The conditions of a playbook rule: measured ones over a window, thresholds held for a while, counts since
/// the start, chained rules, and their <c>all</c>/<c>any</c>/<c>not</c> combinations, with the bounds on their number and
/// on the window periods evaluated over the horizon.</summary>
internal sealed partial class ScenarioReader
{
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
}
