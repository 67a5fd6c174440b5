using CrisisSim.Model.Scenario;
using YamlDotNet.RepresentationModel;

namespace CrisisSim.Scenarios;

/// <summary>The caller journey of a call type: entry numbers and their lines, balking, redials, callbacks, patience
/// factors, recorded message, transfers and outbound follow-up.</summary>
internal sealed partial class ScenarioReader
{
    private readonly List<(YamlNode Node, string Path, string From, string To)> _transferTargets = [];

    /// <summary><c>balking: p</c>, or <c>balking: { probability: p, queueAbove: N, waitAbove: duration }</c>.</summary>
    private (double Probability, int? QueueAbove, double? WaitAbove) ReadBalking(YamlNode node, string path)
    {
        double? Probability(YamlNode valueNode, string valuePath)
        {
            return Number(valueNode, valuePath) is { } value && WithinBounds(valueNode, valuePath, value, ScenarioFormat.Balking.Key("probability").Format)
                ? value
                : null;
        }
        if (node is not YamlMappingNode)
        {
            return (Probability(node, path) ?? 0, null, null);
        }
        var fields = Fields(node, path, "balking", ScenarioFormat.Balking);
        if (fields is null)
        {
            return (0, null, null);
        }
        var waitAbove = BoundedDuration(fields, "waitAbove", path);
        var probability = fields.Get("probability") is { } probabilityNode ? Probability(probabilityNode, Join(path, "probability")) ?? 0 : 0;
        var queueAbove = BoundedInteger(fields, "queueAbove", path);
        return (probability, queueAbove, waitAbove);
    }

    /// <summary><c>[{ to: TYPE, share: 0.1 }, …]</c>: at most the limit, shares above 0 summing to at most 1.</summary>
    private IReadOnlyList<TransferSpec>? ReadTransfers(YamlNode node, string path, string? from)
    {
        if (node is not YamlSequenceNode sequence || sequence.Children.Count == 0)
        {
            Error(node, path, $"expected a list of transfers such as - {{ to: emergency, share: 0.1 }}, found {Describe(node)}");
            return null;
        }
        if (!WithinMostItems(node, path, sequence.Children.Count, ScenarioFormat.CallType.Key("transfers").Format))
        {
            return null;
        }
        var transfers = new List<TransferSpec>();
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var itemPath = Inv($"{path}[{i}]");
            var fields = Fields(sequence.Children[i], itemPath, "a transfer", ScenarioFormat.Transfer);
            if (fields is null)
            {
                continue;
            }
            string? to = null;
            if (fields.Get("to") is { } toNode && Text(toNode, Join(itemPath, "to")) is { } toName)
            {
                to = toName;
                if (from is not null)
                {
                    _transferTargets.Add((toNode, Join(itemPath, "to"), from, toName));
                }
            }
            var share = BoundedNumber(fields, "share", itemPath);
            if (to is not null && share is { } sh)
            {
                transfers.Add(new TransferSpec(to, sh));
            }
        }
        if (transfers.Count != sequence.Children.Count)
        {
            return null;
        }
        var total = transfers.Sum(x => x.Share);
        if (total > 1 + 1e-9)
        {
            Error(node, path, Inv($"the shares sum to {total:0.######}; they must sum to at most 1 (the rest is not transferred)"));
            return null;
        }
        return transfers.AsReadOnly();
    }

    private void CheckTransfers(IReadOnlyList<CallTypeEntry> callTypes)
    {
        var names = callTypes.Select(c => c.Spec.Name).ToHashSet(StringComparer.Ordinal);
        var outbound = callTypes.Where(c => c.Spec.Outbound is not null).Select(c => c.Spec.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (node, path, from, to) in _transferTargets)
        {
            if (to == from)
            {
                Error(node, path, $"a call type cannot transfer to itself ('{Shorten(to)}')");
            }
            else if (outbound.Contains(to))
            {
                Error(node, path, $"cannot transfer to '{Shorten(to)}', an outbound call type (its calls are made by operators, not received)");
            }
            else if (!names.Contains(to))
            {
                Error(node, path, $"unknown call type '{Shorten(to)}' (defined: {Names(names)})");
            }
        }
    }

    /// <summary><c>outbound: { deadline, reach, noAnswerTime }</c>: the call type's arrivals are calls to make.</summary>
    private OutboundSpec? ReadOutbound(YamlNode node, string path)
    {
        var fields = Fields(node, path, "outbound", ScenarioFormat.Outbound);
        if (fields is null)
        {
            return null;
        }
        var deadline = BoundedDuration(fields, "deadline", path);
        var reach = fields.Get("reach") is null ? 1 : BoundedNumber(fields, "reach", path);
        var noAnswer = fields.Get("noAnswerTime") is null ? 30 : BoundedDuration(fields, "noAnswerTime", path);
        return deadline is { } dl && reach is { } r && noAnswer is { } na ? new OutboundSpec(dl, r, na) : null;
    }

    private CallbackSpec? ReadCallbacks(YamlNode node, string path)
    {
        var fields = Fields(node, path, "callbacks", ScenarioFormat.Callbacks);
        if (fields is null)
        {
            return null;
        }
        var offerAbove = BoundedDuration(fields, "offerAbove", path);
        var accept = BoundedNumber(fields, "accept", path);
        var deadline = BoundedDuration(fields, "deadline", path);
        return offerAbove is { } o && accept is { } a && deadline is { } dl ? new CallbackSpec(o, a, dl) : null;
    }

    /// <summary>One factor per interval, or one for every interval; each above 0 and at most the limit.</summary>
    private IReadOnlyList<double>? ReadPatienceFactors(YamlNode node, string path)
    {
        bool Valid(YamlNode valueNode, string valuePath, out double factor)
        {
            factor = 0;
            if (Number(valueNode, valuePath) is not { } value || !WithinBounds(valueNode, valuePath, value, ScenarioFormat.PatienceFactor))
            {
                return false;
            }
            factor = value;
            return true;
        }
        if (node is YamlSequenceNode sequence)
        {
            if (_intervalCount > 0 && sequence.Children.Count != _intervalCount)
            {
                Error(node, path, Inv($"has {sequence.Children.Count} values; expected exactly one per interval ({_intervalCount}, the value of intervals), or a single number"));
                return null;
            }
            var factors = new List<double>(sequence.Children.Count);
            var ok = true;
            for (var i = 0; i < sequence.Children.Count; i++)
            {
                ok &= Valid(sequence.Children[i], Inv($"{path}[{i}]"), out var f);
                factors.Add(f);
            }
            return ok ? factors.AsReadOnly() : null;
        }
        return Valid(node, path, out var single) ? new SameEachInterval<double>(single, Math.Max(1, _intervalCount)) : null;
    }

    private RecordedMessageSpec? ReadRecordedMessage(YamlNode node, string path)
    {
        var fields = Fields(node, path, "a recorded message", ScenarioFormat.RecordedMessage);
        if (fields is null)
        {
            return null;
        }
        var seconds = BoundedDuration(fields, "duration", path);
        var share = BoundedNumber(fields, "satisfies", path);
        return seconds is { } s && share is { } p ? new RecordedMessageSpec(s, p) : null;
    }

    private RedialSpec? ReadRedials(YamlNode node, string path)
    {
        var fields = Fields(node, path, "redials", ScenarioFormat.Redials);
        if (fields is null)
        {
            return null;
        }
        List<double>? probabilities = null;
        if (fields.Get("probabilities") is { } listNode)
        {
            var listPath = Join(path, "probabilities");
            if (listNode is not YamlSequenceNode sequence || sequence.Children.Count == 0)
            {
                Error(listNode, listPath, "must be a list of 1 or more probabilities, one per redial (p1 after the first attempt, p2 after the second …)");
            }
            else if (WithinMostItems(listNode, listPath, sequence.Children.Count, fields.KeyFormat("probabilities")))
            {
                probabilities = [];
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    var itemPath = Inv($"{listPath}[{i}]");
                    if (Number(sequence.Children[i], itemPath) is not { } p
                        || !WithinBounds(sequence.Children[i], itemPath, p, ((ListFormat)fields.KeyFormat("probabilities")).Item))
                    {
                        probabilities = null;
                        break;
                    }
                    probabilities.Add(p);
                }
            }
        }
        DistributionSpec? delay = null;
        if (fields.Get("delay") is { } delayNode)
        {
            delay = Distribution(delayNode, Join(path, "delay"), allowNone: false);
        }
        return probabilities is not null && delay is not null ? new RedialSpec(probabilities.AsReadOnly(), delay) : null;
    }

    private NumberEntry? ReadNumber(YamlNode node, string path)
    {
        var fields = Fields(node, path, "an entry number", ScenarioFormat.EntryNumber);
        if (fields is null)
        {
            return null;
        }
        var nameNode = fields.Get("name");
        var name = Name(fields, "name", path);
        var lines = BoundedInteger(fields, "lines", path);
        OpeningHoursSpec? hours = null;
        var hoursValid = true;
        if (fields.Get("hours") is { } hoursNode)
        {
            hours = ReadHours(hoursNode, Join(path, "hours"));
            hoursValid = hours is not null;
        }
        var closedNode = fields.Get("closed");
        var closed = closedNode is not null && Boolean(closedNode, Join(path, "closed")) == true;
        return name is null || nameNode is null || lines is null || !hoursValid
            ? null
            : new NumberEntry(new EntryNumberSpec(name, lines.Value) { Hours = hours, Closed = closed }, nameNode, path, closed ? closedNode : null);
    }

    private OpeningHoursSpec? ReadHours(YamlNode node, string path)
    {
        var fields = Fields(node, path, "opening hours", ScenarioFormat.OpeningHours);
        return fields is null ? null : HoursFrom(fields, path);
    }

    /// <summary>The keys <c>open</c>, <c>close</c> and <c>atClose</c> of <paramref name="fields"/> (a number's hours, or
    /// a playbook action's).</summary>
    private OpeningHoursSpec? HoursFrom(FieldSet fields, string path)
    {
        double? Clock(string key)
        {
            if (fields.Get(key) is not { } clockNode || Text(clockNode, Join(path, key)) is not { } text)
            {
                return null;
            }
            if (ParseClock(text) is { } seconds && seconds < ScenarioLimits.SecondsPerDay)
            {
                return seconds;
            }
            Error(clockNode, Join(path, key), $"must be a time of day HH:MM or HH:MM:SS from 00:00 to 23:59:59, not '{Shorten(text)}'");
            return null;
        }
        var open = Clock("open");
        var close = Clock("close");
        if (open is { } o && close is { } c && o == c)
        {
            Error(fields.Get("close")!, Join(path, "close"), "must differ from open (leave hours out for a number that never closes)");
            open = null;
        }
        var atClose = AtCloseKind.Serve;
        var atCloseValid = true;
        if (fields.Get("atClose") is { } atCloseNode && Text(atCloseNode, Join(path, "atClose")) is { } atCloseName)
        {
            switch (atCloseName)
            {
                case "serve":
                    atClose = AtCloseKind.Serve;
                    break;
                case "callBack":
                    atClose = AtCloseKind.CallBack;
                    break;
                default:
                    Error(atCloseNode, Join(path, "atClose"), $"unknown value '{Shorten(atCloseName)}'; allowed: {string.Join(", ", Choices(fields.Format!, "atClose"))}");
                    atCloseValid = false;
                    break;
            }
        }
        return open is { } openSeconds && close is { } closeSeconds && atCloseValid ? new OpeningHoursSpec(openSeconds, closeSeconds, atClose) : null;
    }

    private void CheckNumbers(IReadOnlyList<NumberEntry> numbers, IReadOnlyList<CallTypeEntry> callTypes, bool numbersComplete)
    {
        var seen = new Dictionary<string, NumberEntry>(StringComparer.Ordinal);
        foreach (var number in numbers)
        {
            if (!seen.TryAdd(number.Spec.Name, number))
            {
                Error(number.NameNode, Join(number.Path, "name"),
                    Inv($"duplicate number name '{number.Spec.Name}' (first defined on line {Line(seen[number.Spec.Name].NameNode)})"));
            }
        }
        if (!numbersComplete)
        {
            return;
        }
        foreach (var callType in callTypes)
        {
            if (callType.Spec.Number is { } name && !seen.ContainsKey(name) && callType.NumberNode is { } node)
            {
                var known = seen.Count == 0 ? "none is defined under numbers" : "defined: " + Names(seen.Keys);
                Error(node, Join(callType.Path, "number"), $"unknown number '{Shorten(name)}' ({known})");
            }
        }
    }

    private CallTypeEntry? ReadCallType(YamlNode node, string path)
    {
        var fields = Fields(node, path, "a call type", ScenarioFormat.CallType);
        if (fields is null)
        {
            return null;
        }

        var nameNode = fields.Get("name");
        var name = Name(fields, "name", path);

        var priority = 0;
        if (fields.Get("priority") is { } priorityNode && Integer(priorityNode, Join(path, "priority")) is { } priorityValue)
        {
            priority = priorityValue;
        }

        ArrivalSpec arrivals = new PoissonArrivalSpec([]);
        if (fields.Get("arrivals") is { } arrivalsNode)
        {
            arrivals = ReadArrivals(arrivalsNode, Join(path, "arrivals")) ?? arrivals;
        }

        string? number = null;
        var numberNode = fields.Get("number");
        if (numberNode is not null)
        {
            number = Text(numberNode, Join(path, "number"));
        }

        RecordedMessageSpec? recordedMessage = null;
        if (fields.Get("recordedMessage") is { } messageNode)
        {
            recordedMessage = ReadRecordedMessage(messageNode, Join(path, "recordedMessage"));
        }

        var balking = 0.0;
        int? queueAbove = null;
        double? waitAbove = null;
        if (fields.Get("balking") is { } balkingNode)
        {
            (balking, queueAbove, waitAbove) = ReadBalking(balkingNode, Join(path, "balking"));
        }

        CallbackSpec? callbacks = null;
        if (fields.Get("callbacks") is { } callbacksNode)
        {
            callbacks = ReadCallbacks(callbacksNode, Join(path, "callbacks"));
        }

        IReadOnlyList<TransferSpec>? transfers = null;
        if (fields.Get("transfers") is { } transfersNode)
        {
            transfers = ReadTransfers(transfersNode, Join(path, "transfers"), name);
        }

        IReadOnlyList<double>? patienceFactors = null;
        if (fields.Get("patienceFactors") is { } factorsNode)
        {
            patienceFactors = ReadPatienceFactors(factorsNode, Join(path, "patienceFactors"));
        }

        RedialSpec? redials = null;
        if (fields.Get("redials") is { } redialsNode)
        {
            redials = ReadRedials(redialsNode, Join(path, "redials"));
        }

        DistributionSpec? patience = null;
        if (fields.Get("patience") is { } patienceNode)
        {
            patience = Distribution(patienceNode, Join(path, "patience"), allowNone: true);
        }

        DistributionSpec? handleTime = null;
        var handleTimeNode = fields.Get("handleTime");
        if (handleTimeNode is not null)
        {
            handleTime = Distribution(handleTimeNode, Join(path, "handleTime"), allowNone: false);
        }

        OutboundSpec? outbound = null;
        if (fields.Get("outbound") is { } outboundNode)
        {
            outbound = ReadOutbound(outboundNode, Join(path, "outbound"));
            var inboundOnly = ScenarioFormat.CallType.Rules.OfType<KeyExcludes>().Single(r => r.Key == "outbound").Others;
            foreach (var (key, keyNode) in fields.Keys.Where(k => inboundOnly.Contains(k.Key)))
            {
                Error(keyNode, Join(path, key), "does not apply to an outbound call type (its calls are made by operators: no priority, number, "
                    + "recorded message, patience, patience factors, balking, redials, callbacks or transfers); remove it or the outbound key");
            }
        }

        return name is null || nameNode is null
            ? null
            : new CallTypeEntry(new CallTypeSpec(name, arrivals, patience, handleTime, priority) { Number = number, RecordedMessage = recordedMessage, BalkingProbability = balking, BalkingQueueAbove = queueAbove, BalkingWaitAbove = waitAbove, PatienceFactors = patienceFactors, Redials = redials, Callbacks = callbacks, Transfers = transfers, Outbound = outbound }, (YamlMappingNode)node,
                nameNode, path, handleTimeNode is not null, numberNode);
    }

    private sealed record CallTypeEntry(CallTypeSpec Spec, YamlMappingNode Node, YamlNode NameNode, string Path, bool HasHandleTime, YamlNode? NumberNode = null);

    private sealed record NumberEntry(EntryNumberSpec Spec, YamlNode NameNode, string Path, YamlNode? ClosedNode = null);
}
