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
            if (Number(valueNode, valuePath) is not { } value)
            {
                return null;
            }
            if (value is < 0 or > 1)
            {
                Error(valueNode, valuePath, "must be a probability from 0 to 1");
                return null;
            }
            return value;
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
        double? waitAbove = null;
        if (fields.Get("waitAbove") is { } waitNode && Duration(waitNode, Join(path, "waitAbove")) is { } wait)
        {
            if (wait is < 0 or > ScenarioLimits.MaxDurationSeconds)
            {
                Error(waitNode, Join(path, "waitAbove"), Inv($"must be a duration from 0 to {FormatSeconds(ScenarioLimits.MaxDurationSeconds)}"));
            }
            else
            {
                waitAbove = wait;
            }
        }
        var probability = fields.Get("probability") is { } probabilityNode ? Probability(probabilityNode, Join(path, "probability")) ?? 0 : 0;
        int? queueAbove = null;
        if (fields.Get("queueAbove") is { } queueNode && Integer(queueNode, Join(path, "queueAbove")) is { } limit)
        {
            if (limit < 0 || limit > ScenarioLimits.MaxBalkingQueue)
            {
                Error(queueNode, Join(path, "queueAbove"), Inv($"must be an integer from 0 to {ScenarioLimits.MaxBalkingQueue:N0} (waiting callers of the type)"));
            }
            else
            {
                queueAbove = limit;
            }
        }
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
        if (sequence.Children.Count > ScenarioLimits.MaxTransfersPerCallType)
        {
            Error(node, path, Inv($"has {sequence.Children.Count} transfers; the limit is {ScenarioLimits.MaxTransfersPerCallType}"));
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
            double? share = null;
            if (fields.Get("share") is { } shareNode && Number(shareNode, Join(itemPath, "share")) is { } value)
            {
                if (value is <= 0 or > 1)
                {
                    Error(shareNode, Join(itemPath, "share"), "must be a share of the answered calls above 0 and at most 1");
                }
                else
                {
                    share = value;
                }
            }
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
        double? deadline = null;
        if (fields.Get("deadline") is { } deadlineNode && Duration(deadlineNode, Join(path, "deadline")) is { } d)
        {
            if (d is <= 0 or > ScenarioLimits.MaxOutboundDeadlineSeconds)
            {
                Error(deadlineNode, Join(path, "deadline"), Inv($"must be a duration above 0 and at most {FormatSeconds(ScenarioLimits.MaxOutboundDeadlineSeconds)}"));
            }
            else
            {
                deadline = d;
            }
        }
        double? reach = 1;
        if (fields.Get("reach") is { } reachNode)
        {
            reach = Number(reachNode, Join(path, "reach"));
            if (reach is < 0 or > 1)
            {
                Error(reachNode, Join(path, "reach"), "must be a share of attempts from 0 to 1");
                reach = null;
            }
        }
        double? noAnswer = 30;
        if (fields.Get("noAnswerTime") is { } noAnswerNode)
        {
            noAnswer = Duration(noAnswerNode, Join(path, "noAnswerTime"));
            if (noAnswer is <= 0 or > ScenarioLimits.MaxNoAnswerSeconds)
            {
                Error(noAnswerNode, Join(path, "noAnswerTime"), Inv($"must be a duration above 0 and at most {FormatSeconds(ScenarioLimits.MaxNoAnswerSeconds)}"));
                noAnswer = null;
            }
        }
        return deadline is { } dl && reach is { } r && noAnswer is { } na ? new OutboundSpec(dl, r, na) : null;
    }

    private CallbackSpec? ReadCallbacks(YamlNode node, string path)
    {
        var fields = Fields(node, path, "callbacks", ScenarioFormat.Callbacks);
        if (fields is null)
        {
            return null;
        }
        double? offerAbove = null;
        if (fields.Get("offerAbove") is { } offerNode && Duration(offerNode, Join(path, "offerAbove")) is { } offer)
        {
            if (offer is < 0 or > ScenarioLimits.MaxDurationSeconds)
            {
                Error(offerNode, Join(path, "offerAbove"), Inv($"must be a duration from 0 to {FormatSeconds(ScenarioLimits.MaxDurationSeconds)}"));
            }
            else
            {
                offerAbove = offer;
            }
        }
        double? accept = null;
        if (fields.Get("accept") is { } acceptNode && Number(acceptNode, Join(path, "accept")) is { } p)
        {
            if (p is < 0 or > 1)
            {
                Error(acceptNode, Join(path, "accept"), "must be a probability from 0 to 1");
            }
            else
            {
                accept = p;
            }
        }
        double? deadline = null;
        if (fields.Get("deadline") is { } deadlineNode && Duration(deadlineNode, Join(path, "deadline")) is { } d)
        {
            if (d is <= 0 or > ScenarioLimits.MaxCallbackDeadlineSeconds)
            {
                Error(deadlineNode, Join(path, "deadline"), Inv($"must be a duration above 0 and at most {FormatSeconds(ScenarioLimits.MaxCallbackDeadlineSeconds)}"));
            }
            else
            {
                deadline = d;
            }
        }
        return offerAbove is { } o && accept is { } a && deadline is { } dl ? new CallbackSpec(o, a, dl) : null;
    }

    /// <summary>One factor per interval, or one for every interval; each above 0 and at most the limit.</summary>
    private IReadOnlyList<double>? ReadPatienceFactors(YamlNode node, string path)
    {
        bool Valid(YamlNode valueNode, string valuePath, out double factor)
        {
            factor = 0;
            if (Number(valueNode, valuePath) is not { } value)
            {
                return false;
            }
            if (value is <= 0 or > ScenarioLimits.MaxPatienceFactor)
            {
                Error(valueNode, valuePath, Inv($"must be a factor above 0 and at most {ScenarioLimits.MaxPatienceFactor:0}"));
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
        return Valid(node, path, out var single) ? Enumerable.Repeat(single, Math.Max(1, _intervalCount)).ToList().AsReadOnly() : null;
    }

    private RecordedMessageSpec? ReadRecordedMessage(YamlNode node, string path)
    {
        var fields = Fields(node, path, "a recorded message", ScenarioFormat.RecordedMessage);
        if (fields is null)
        {
            return null;
        }
        double? seconds = null;
        if (fields.Get("duration") is { } durationNode && Duration(durationNode, Join(path, "duration")) is { } duration)
        {
            if (duration is <= 0 or > ScenarioLimits.MaxRecordedMessageSeconds)
            {
                Error(durationNode, Join(path, "duration"), Inv($"must be a duration above 0 and at most {FormatSeconds(ScenarioLimits.MaxRecordedMessageSeconds)}"));
            }
            else
            {
                seconds = duration;
            }
        }
        double? share = null;
        if (fields.Get("satisfies") is { } shareNode && Number(shareNode, Join(path, "satisfies")) is { } value)
        {
            if (value is < 0 or > 1)
            {
                Error(shareNode, Join(path, "satisfies"), "must be a share of callers from 0 to 1");
            }
            else
            {
                share = value;
            }
        }
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
            else if (sequence.Children.Count > ScenarioLimits.MaxRedials)
            {
                Error(listNode, listPath, Inv($"has {sequence.Children.Count} values; the limit is {ScenarioLimits.MaxRedials} redials"));
            }
            else
            {
                probabilities = [];
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    var itemPath = Inv($"{listPath}[{i}]");
                    if (Number(sequence.Children[i], itemPath) is not { } p)
                    {
                        probabilities = null;
                        break;
                    }
                    if (p is < 0 or > 1)
                    {
                        Error(sequence.Children[i], itemPath, "must be a probability from 0 to 1");
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
        int? lines = null;
        if (fields.Get("lines") is { } linesNode && Integer(linesNode, Join(path, "lines")) is { } value)
        {
            if (value < 1 || value > ScenarioLimits.MaxLinesPerNumber)
            {
                Error(linesNode, Join(path, "lines"), Inv($"must be an integer from 1 to {ScenarioLimits.MaxLinesPerNumber:N0}"));
            }
            else
            {
                lines = value;
            }
        }
        OpeningHoursSpec? hours = null;
        var hoursValid = true;
        if (fields.Get("hours") is { } hoursNode)
        {
            hours = ReadHours(hoursNode, Join(path, "hours"));
            hoursValid = hours is not null;
        }
        return name is null || nameNode is null || lines is null || !hoursValid
            ? null
            : new NumberEntry(new EntryNumberSpec(name, lines.Value) { Hours = hours }, nameNode, path);
    }

    private OpeningHoursSpec? ReadHours(YamlNode node, string path)
    {
        var fields = Fields(node, path, "opening hours", ScenarioFormat.OpeningHours);
        if (fields is null)
        {
            return null;
        }
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
                    Error(atCloseNode, Join(path, "atClose"), $"unknown value '{Shorten(atCloseName)}'; allowed: {string.Join(", ", Choices(ScenarioFormat.OpeningHours, "atClose"))}");
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

    private sealed record NumberEntry(EntryNumberSpec Spec, YamlNode NameNode, string Path);
}
