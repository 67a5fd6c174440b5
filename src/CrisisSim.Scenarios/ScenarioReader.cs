using System.Globalization;
using ModelDistribution = CrisisSim.Model.Distributions.Distribution;
using CrisisSim.Model.Components;
using CrisisSim.Model.Randomness;
using CrisisSim.Model.Scenario;
using YamlDotNet.RepresentationModel;

namespace CrisisSim.Scenarios;

/// <summary>Walks the YAML tree of one scenario file, collecting every error with its position and key.</summary>
/// <remarks>Each read method records what is wrong and returns a fallback value so that reading goes on; the
/// definition is built only when no error was found.</remarks>
internal sealed partial class ScenarioReader
{
    /// <summary>Errors listed at most; a file of a million bad values gets a bounded message.</summary>
    private const int MaxReportedErrors = 100;

    /// <summary>Draws taken from each random distribution to check it gives finite durations >= 0.</summary>
    private const int CheckSamples = 2_000;

    private readonly List<(YamlNode Node, string Path, string From, string To)> _transferTargets = [];

    private readonly string _file;
    private readonly List<ScenarioError> _errors = [];
    private readonly HashSet<DistributionSpec> _sampledSpecs = [];
    private ScenarioError? _firstUnreported;
    private long _unreported;

    // Known once interval and intervals are valid; 0 until then (list lengths and rates are then not checked).
    private double _intervalSeconds;
    private int _intervalCount;
    private double _clockStart;
    private double _onset;
    private long _scheduleChanges;

    // The scenario's busyness (null when it has none); call types opt in with arrivals.busyness: true.
    private (double Alpha, BusynessPeriod Period, YamlNode Node)? _busyness;
    private bool _busynessInvalid;

    // Told of every key the reader looks up in a map of the format (the map's name, the key): tests check that every
    // key of ScenarioFormat is read.
    private readonly Action<string, string>? _keyRead;

    public ScenarioReader(string file, Action<string, string>? keyRead = null)
    {
        _file = file;
        _keyRead = keyRead;
    }

    public ScenarioDefinition Read(YamlStream stream)
    {
        if (stream.Documents.Count > 1)
        {
            Error(stream.Documents[1].RootNode, "", "a scenario file holds one YAML document; found a second one");
        }
        if (stream.Documents.Count == 0 || IsNull(stream.Documents[0].RootNode))
        {
            _errors.Insert(0, new ScenarioError(_file, 1, 1, "",
                "the file is empty: a scenario needs at least " + Enumerate(ScenarioFormat.Scenario.RequiredKeys)));
            throw new ScenarioException(_errors);
        }

        var definition = ReadRoot(stream.Documents[0].RootNode);
        if (_errors.Count > 0 || definition is null)
        {
            var errors = _errors
                .OrderBy(e => e.Line == 0 ? int.MaxValue : e.Line)
                .ThenBy(e => e.Column)
                .ToList();
            if (_firstUnreported is { } first)
            {
                errors.Add(first with
                {
                    Key = "",
                    Reason = Inv($"{_unreported:N0} more error(s) not listed, the first of them here ({first.Key}: {first.Reason})"),
                });
            }
            throw new ScenarioException(errors);
        }
        return definition;
    }

    private ScenarioDefinition? ReadRoot(YamlNode root)
    {
        var fields = Fields(root, "", "the scenario", ScenarioFormat.Scenario);
        if (fields is null)
        {
            return null;
        }

        var name = Name(fields, "name", "");

        var description = "";
        if (fields.Get("description") is { } descriptionNode && !IsNull(descriptionNode))
        {
            description = Text(descriptionNode, "description") ?? "";
        }

        var clockStart = 0.0;
        if (fields.Get("start") is { } startNode && Text(startNode, "start") is { } startText)
        {
            if (ParseClock(startText) is { } startSeconds)
            {
                clockStart = startSeconds;
            }
            else
            {
                Error(startNode, "start", $"must be a time of day HH:MM or HH:MM:SS from 00:00 to 23:59:59, not '{Shorten(startText)}'");
            }
        }

        var intervalSeconds = 0.0;
        if (fields.Get("interval") is { } intervalNode && Duration(intervalNode, "interval") is { } interval)
        {
            if (interval < ScenarioLimits.MinIntervalSeconds)
            {
                Error(intervalNode, "interval", Inv($"must be a duration of at least {ScenarioLimits.MinIntervalSeconds}s"));
            }
            else
            {
                intervalSeconds = interval;
            }
        }

        var intervalCount = 0;
        var countNode = fields.Get("intervals");
        if (countNode is not null && Integer(countNode, "intervals") is { } count)
        {
            if (count < 1)
            {
                Error(countNode, "intervals", "must be an integer >= 1");
            }
            else if (count > ScenarioLimits.MaxIntervals)
            {
                Error(countNode, "intervals", Inv($"is {count:N0}; the limit is {ScenarioLimits.MaxIntervals:N0} intervals"));
            }
            else
            {
                intervalCount = count;
            }
        }

        if (intervalSeconds > 0 && intervalCount > 0)
        {
            if (intervalSeconds * intervalCount > ScenarioLimits.MaxHorizonSeconds)
            {
                Error(countNode!, "intervals",
                    Inv($"the horizon (intervals x interval) is {FormatSeconds(intervalSeconds * intervalCount)}; the limit is {FormatSeconds(ScenarioLimits.MaxHorizonSeconds)} (366 days)"));
            }
            else
            {
                _intervalSeconds = intervalSeconds;
                _intervalCount = intervalCount;
            }
        }
        var horizon = _intervalSeconds * _intervalCount;

        var warmup = 0.0;
        if (fields.Get("warmup") is { } warmupNode && Duration(warmupNode, "warmup") is { } warmupValue)
        {
            if (warmupValue < 0)
            {
                Error(warmupNode, "warmup", "must be a duration >= 0");
            }
            else if (horizon > 0 && warmupValue >= horizon)
            {
                Error(warmupNode, "warmup",
                    Inv($"must be shorter than the horizon ({FormatSeconds(horizon)} = intervals x interval)"));
            }
            else if (horizon > 0 && Math.Ceiling(warmupValue / _intervalSeconds - 1e-9) >= _intervalCount)
            {
                // The overall KPIs start at the first whole interval after the warm-up: there must be one.
                Error(warmupNode, "warmup",
                    Inv($"leaves no whole interval to count: the warm-up is rounded up to whole intervals and ends in the last one (interval {_intervalCount}, from {FormatSeconds(_intervalSeconds * (_intervalCount - 1))}); make it at most {FormatSeconds(_intervalSeconds * (_intervalCount - 1))}"));
            }
            else
            {
                warmup = warmupValue;
            }
        }

        var drain = 4 * 3600.0;
        if (fields.Get("drain") is { } drainNode && Duration(drainNode, "drain") is { } drainValue)
        {
            if (drainValue < 0)
            {
                Error(drainNode, "drain", "must be a duration >= 0");
            }
            else if (drainValue > ScenarioLimits.MaxDrainSeconds)
            {
                Error(drainNode, "drain",
                    Inv($"is {FormatSeconds(drainValue)}; the limit is {FormatSeconds(ScenarioLimits.MaxDrainSeconds)} (7 days)"));
            }
            else
            {
                drain = drainValue;
            }
        }

        var serviceLevel = fields.Get("serviceLevel") is { } serviceLevelNode
            ? ReadServiceLevel(serviceLevelNode)
            : null;

        var routing = fields.Get("routing") is { } routingNode
            ? ReadRouting(routingNode, fields.Keys.First(k => k.Key == "routing").KeyNode)
            : null;

        _clockStart = clockStart;
        if (fields.Get("onset") is { } onsetNode && Duration(onsetNode, "onset") is { } onset)
        {
            if (onset is < 0 or > ScenarioLimits.MaxHorizonSeconds)
            {
                Error(onsetNode, "onset", Inv($"must be a duration from 0 to {FormatSeconds(ScenarioLimits.MaxHorizonSeconds)} (366 days)"));
            }
            else
            {
                _onset = onset;
            }
        }
        if (fields.Get("busyness") is { } busynessNode)
        {
            ReadBusyness(busynessNode);
        }

        var numbersNode = fields.Get("numbers");
        var numbers = numbersNode is null || IsNull(numbersNode) || !WithinCount(numbersNode, "numbers", "numbers", ScenarioLimits.MaxNumbers)
            ? []
            : ReadList(numbersNode, "numbers", "entry number", ReadNumber);
        var numbersComplete = numbersNode is null || IsNull(numbersNode)
            || (numbersNode is YamlSequenceNode ns && ns.Children.Count == numbers.Count);

        var callTypesNode = fields.Get("callTypes");
        var callTypes = callTypesNode is null || !WithinCount(callTypesNode, "callTypes", "call types", ScenarioLimits.MaxCallTypes)
            ? []
            : ReadList(callTypesNode, "callTypes", "call type", ReadCallType);
        var groupsNode = fields.Get("groups");
        var groups = groupsNode is null || !WithinCount(groupsNode, "groups", "groups", ScenarioLimits.MaxGroups)
            ? []
            : ReadList(groupsNode, "groups", "operator group", ReadGroup);
        if (callTypesNode is not null && callTypes.Count > 0)
        {
            CheckExpectedCalls(callTypesNode, callTypes);
        }
        if (groupsNode is not null && groups.Count > 0)
        {
            CheckOperatorsOnDuty(groupsNode, groups);
        }

        // Cross-references are checked only between entries read in full, so that one mistake is reported once.
        var callTypesComplete = callTypesNode is YamlSequenceNode { Children.Count: > 0 } c && c.Children.Count == callTypes.Count;
        var groupsComplete = groupsNode is YamlSequenceNode { Children.Count: > 0 } g && g.Children.Count == groups.Count
            && groups.All(group => group.ServesComplete);
        CheckReferences(callTypes, groups, callTypesComplete, groupsComplete);
        CheckNumbers(numbers, callTypes, numbersComplete);
        CheckTransfers(callTypes);
        if (routing is not null && callTypesComplete && groupsComplete)
        {
            CheckRouting(routing, callTypes.Select(c => c.Spec).ToList(), groups.Select(g => g.Spec).ToList());
        }

        if (_errors.Count > 0 || name is null || serviceLevel is null)
        {
            return null;
        }
        return new ScenarioDefinition
        {
            Name = name,
            Description = description,
            ClockStartSeconds = clockStart,
            IntervalSeconds = intervalSeconds,
            IntervalCount = intervalCount,
            WarmupSeconds = warmup,
            DrainSeconds = drain,
            ServiceLevel = serviceLevel,
            Routing = routing?.Spec ?? RoutingSpec.Fifo,
            OnsetSeconds = _onset,
            CallTypes = callTypes.Select(c => c.Spec).ToList().AsReadOnly(),
            Groups = groups.Select(g => g.Spec).ToList().AsReadOnly(),
            Numbers = numbers.Select(n => n.Spec).ToList().AsReadOnly(),
        };
    }

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

    /// <summary>Seconds after midnight of a time of day written HH:MM or HH:MM:SS; null when it is not one.</summary>
    private static double? ParseClock(string text)
    {
        var parts = text.Split(':');
        if (parts.Length is < 2 or > 3 || parts.Any(p => p.Length != 2 || !p.All(char.IsAsciiDigit)))
        {
            return null;
        }
        var h = int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
        var m = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        var sec = parts.Length == 3 ? int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture) : 0;
        return h < 24 && m < 60 && sec < 60 ? h * 3600 + m * 60 + sec : null;
    }

    private ServiceLevelSpec? ReadServiceLevel(YamlNode node)
    {
        const string Path = "serviceLevel";
        var fields = Fields(node, Path, "the service level", ScenarioFormat.ServiceLevel);
        if (fields is null)
        {
            return null;
        }

        double? threshold = null;
        if (fields.Get("threshold") is { } thresholdNode && Duration(thresholdNode, "serviceLevel.threshold") is { } value)
        {
            if (value < 0 || value > ScenarioLimits.MaxDurationSeconds)
            {
                Error(thresholdNode, "serviceLevel.threshold", Inv($"must be a duration from 0 to {FormatSeconds(ScenarioLimits.MaxDurationSeconds)}"));
            }
            else
            {
                threshold = value;
            }
        }

        var target = 0.8;
        if (fields.Get("target") is { } targetNode && Number(targetNode, "serviceLevel.target") is { } targetValue)
        {
            if (targetValue is <= 0 or > 1)
            {
                Error(targetNode, "serviceLevel.target", "must be a fraction in (0, 1], such as 0.8 for 80 %");
            }
            else
            {
                target = targetValue;
            }
        }

        return threshold is { } t ? new ServiceLevelSpec(t, target) : null;
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

    /// <summary>The arrival process of a call type: one baseline (callsPerInterval, callsPerHour, profile or csv), then
    /// optional surges, busyness and self-exciting waves. The expected calls of the result are within the limit.</summary>
    private ArrivalSpec? ReadArrivals(YamlNode node, string path)
    {
        var fields = Fields(node, path, "the arrivals", ScenarioFormat.Arrivals);
        if (fields is null)
        {
            return null;
        }

        var baselineKeys = ScenarioFormat.Arrivals.Rule<ExactlyOneOf>().Keys;
        var baselines = baselineKeys.Where(k => fields.Get(k) is not null).ToList();
        if (baselines.Count > 1)
        {
            Error(node, path, $"give exactly one of {string.Join(", ", baselineKeys)}; found {string.Join(" and ", baselines)}");
            return null;
        }
        if (baselines.Count == 0)
        {
            Error(node, path, "missing: give one of callsPerInterval (calls in each interval), callsPerHour (hourly rate), profile (hour-of-day rates repeated every day) or csv (a rate table)");
            return null;
        }
        var key = baselines[0];
        var baselineNode = fields.Get(key)!;
        var surgesNode = fields.Get("surges");
        IReadOnlyList<SurgeSpec> surges = [];
        if (surgesNode is not null)
        {
            if (key == "csv")
            {
                Error(surgesNode, Join(path, "surges"), "surges apply to a callsPerInterval, callsPerHour or profile baseline, not to a csv table");
                return null;
            }
            surges = ReadSurges(surgesNode, Join(path, "surges")) ?? [];
        }

        IntensitySpec? spec = key switch
        {
            "callsPerInterval" or "callsPerHour" => PerInterval(Rates(baselineNode, Join(path, key), key == "callsPerHour" ? _intervalSeconds / 3600.0 : 1.0), surgesNode is not null, surges),
            "profile" => ReadProfile(baselineNode, Join(path, "profile")) is { } profile ? new SurgeArrivalSpec(profile, surges) : null,
            _ => ReadCsv(baselineNode, Join(path, "csv")),
        };

        if (fields.Get("busyness") is { } busyNode && Boolean(busyNode, Join(path, "busyness")) is true && spec is not null)
        {
            if (_busyness is { } b)
            {
                spec = new BusyArrivalSpec(spec, b.Alpha, b.Period);
            }
            else
            {
                if (!_busynessInvalid)
                {
                    Error(busyNode, Join(path, "busyness"), "the scenario defines no busyness: add busyness: { alpha: 10, per: day } at the top level");
                }
                spec = null;
            }
        }

        ArrivalSpec? result = spec;
        if (fields.Get("hawkes") is { } hawkesNode)
        {
            var hawkes = ReadHawkes(hawkesNode, Join(path, "hawkes"));
            result = spec is not null && hawkes is { } h ? new HawkesArrivalSpec(spec, h.Branching, h.Decay) : null;
        }

        if (result is not null && _intervalCount > 0)
        {
            var expected = result.ExpectedCalls(new ArrivalGrid(_intervalSeconds, _intervalCount, _clockStart));
            if (!(expected <= ScenarioLimits.MaxExpectedCallsPerReplication))
            {
                Error(node, path, TooManyCalls(Count(expected), $" ({result.Describe()})"));
                return null;
            }
        }
        return result;
    }

    private IntensitySpec? PerInterval(IReadOnlyList<double> values, bool withSurges, IReadOnlyList<SurgeSpec> surges) =>
        values.Count == 0 ? null
        : withSurges ? new SurgeArrivalSpec(new PerIntervalBaseline(values), surges)
        : new PoissonArrivalSpec(values);

    private void ReadBusyness(YamlNode node)
    {
        const string Path = "busyness";
        _busynessInvalid = true;
        var fields = Fields(node, Path, "the busyness", ScenarioFormat.Busyness);
        if (fields is null)
        {
            return;
        }
        double? alpha = null;
        if (fields.Get("alpha") is { } alphaNode && Number(alphaNode, "busyness.alpha") is { } a)
        {
            if (a < ScenarioLimits.MinBusynessAlpha || a > ScenarioLimits.MaxBusynessAlpha)
            {
                Error(alphaNode, "busyness.alpha", Inv(
                    $"must be from {ScenarioLimits.MinBusynessAlpha} to {ScenarioLimits.MaxBusynessAlpha:0} (the factor's variance is 1/alpha: 10 gives a daily factor of 1 ± 0.32)"));
            }
            else
            {
                alpha = a;
            }
        }
        var period = BusynessPeriod.Day;
        var ok = true;
        if (fields.Get("per") is { } perNode && Text(perNode, "busyness.per") is { } per)
        {
            switch (per)
            {
                case "day":
                    break;
                case "replication":
                    period = BusynessPeriod.Replication;
                    break;
                default:
                    Error(perNode, "busyness.per", $"unknown period '{Shorten(per)}'; allowed: {string.Join(", ", Choices(ScenarioFormat.Busyness, "per"))}");
                    ok = false;
                    break;
            }
        }
        if (alpha is { } value && ok)
        {
            _busyness = (value, period, node);
            _busynessInvalid = false;
        }
    }

    private bool? Boolean(YamlNode node, string path)
    {
        if (TryPlain(node, out var text))
        {
            switch (text)
            {
                case "true" or "True" or "TRUE":
                    return true;
                case "false" or "False" or "FALSE":
                    return false;
            }
        }
        Error(node, path, $"expected true or false, found {Describe(node)}");
        return null;
    }

    private (double Branching, double Decay)? ReadHawkes(YamlNode node, string path)
    {
        var fields = Fields(node, path, "the self-exciting waves", ScenarioFormat.Hawkes);
        if (fields is null)
        {
            return null;
        }
        double? branching = null;
        if (fields.Get("branching") is { } nNode && Number(nNode, Join(path, "branching")) is { } n)
        {
            if (n >= 1)
            {
                Error(nNode, Join(path, "branching"), Inv(
                    $"is {n}: with a branching ratio of 1 or more each call triggers at least one more on average, so the wave never dies out (an unstable process); use a value below 1 (at most {ScenarioLimits.MaxBranchingRatio})"));
            }
            else if (n < 0 || n > ScenarioLimits.MaxBranchingRatio)
            {
                Error(nNode, Join(path, "branching"), Inv($"must be from 0 to {ScenarioLimits.MaxBranchingRatio} (the mean number of calls each call triggers)"));
            }
            else
            {
                branching = n;
            }
        }
        double? decay = null;
        if (fields.Get("decay") is { } decayNode && Duration(decayNode, Join(path, "decay")) is { } d)
        {
            if (d < ScenarioLimits.MinHawkesDecaySeconds || d > ScenarioLimits.MaxHawkesDecaySeconds)
            {
                Error(decayNode, Join(path, "decay"), Inv(
                    $"must be a duration from {FormatSeconds(ScenarioLimits.MinHawkesDecaySeconds)} to {FormatSeconds(ScenarioLimits.MaxHawkesDecaySeconds)} (7 days)"));
            }
            else
            {
                decay = d;
            }
        }
        return branching is { } b && decay is { } dd ? (b, dd) : null;
    }

    private DailyProfileBaseline? ReadProfile(YamlNode node, string path)
    {
        var fields = Fields(node, path, "the daily profile", ScenarioFormat.Profile);
        if (fields is null)
        {
            return null;
        }
        var perHour = fields.Get("callsPerHour") is { } hoursNode
            ? FixedList(hoursNode, Join(path, "callsPerHour"), 24, "calls per hour, one for each hour of the day from 00:00", double.MaxValue)
            : null;
        IReadOnlyList<double>? factors = [];
        if (fields.Get("dayFactors") is { } factorsNode)
        {
            factors = FixedList(factorsNode, Join(path, "dayFactors"), 7, "factors, one for each day of the week starting with the first day of the run", ScenarioLimits.MaxDayFactor);
        }
        return perHour is null || factors is null ? null : new DailyProfileBaseline(perHour, factors);
    }

    /// <summary>A list of exactly <paramref name="count"/> numbers from 0 to <paramref name="max"/>.</summary>
    private IReadOnlyList<double>? FixedList(YamlNode node, string path, int count, string what, double max)
    {
        if (node is not YamlSequenceNode sequence || sequence.Children.Count != count)
        {
            Error(node, path, Inv($"expected a list of {count} {what}, found {(node is YamlSequenceNode q ? q.Children.Count + " values" : Describe(node))}"));
            return null;
        }
        var values = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var itemPath = Inv($"{path}[{i}]");
            if (Number(sequence.Children[i], itemPath) is { } v)
            {
                if (v < 0 || v > max)
                {
                    Error(sequence.Children[i], itemPath, max == double.MaxValue ? "must be a number >= 0" : Inv($"must be a number from 0 to {max}"));
                }
                else
                {
                    values.Add(v);
                }
            }
        }
        return values.Count == count ? values.AsReadOnly() : null;
    }

    private IReadOnlyList<SurgeSpec>? ReadSurges(YamlNode node, string path)
    {
        if (node is not YamlSequenceNode sequence)
        {
            Error(node, path, $"expected a list of surges such as - {{ shape: decay, at: 1d, multiplier: 5, halfLife: 12h }}, found {Describe(node)}");
            return null;
        }
        if (sequence.Children.Count > ScenarioLimits.MaxSurgesPerCallType)
        {
            Error(node, path, Inv($"holds {sequence.Children.Count} surges; the limit is {ScenarioLimits.MaxSurgesPerCallType} per call type"));
            return null;
        }
        var surges = ReadList(node, path, "surge", ReadSurge);
        return surges.Count == sequence.Children.Count ? surges.AsReadOnly() : null;
    }

    private SurgeSpec? ReadSurge(YamlNode node, string path)
    {
        var shapes = ScenarioFormat.SurgeShapes;
        var raw = Fields(node, path, "a surge", null);
        if (raw is null)
        {
            return null;
        }
        if (Discriminator(raw, shapes, path) is not { } shapeNode || Text(shapeNode, Join(path, shapes.Discriminator)) is not { } shape)
        {
            return null;
        }
        if (shapes.Variant(shape) is not { } variant)
        {
            Error(shapeNode, Join(path, shapes.Discriminator), $"unknown surge shape '{Shorten(shape)}'; allowed: {string.Join(", ", shapes.Names)}");
            return null;
        }
        // The shape's own durations are its required keys beyond shape, at and multiplier; step and ramp may end (until).
        string[] durations = [.. variant.RequiredKeys.Except([shapes.Discriminator, "at", "multiplier"])];
        var mayEnd = variant.Has("until");
        var ok = Restrict(raw, variant, path, $"unknown key for shape {shape}; allowed keys: {string.Join(", ", variant.KeyNames)}", shapes.Discriminator);

        double at = 0;
        if (raw.Get("at") is { } atNode && Duration(atNode, Join(path, "at")) is { } atValue)
        {
            if (Math.Abs(atValue) > ScenarioLimits.MaxHorizonSeconds)
            {
                Error(atNode, Join(path, "at"), Inv($"must be a run time from -366d to 366d (the onset, from the start of the run)"));
                ok = false;
            }
            at = atValue;
        }
        else
        {
            ok = false;
        }

        double multiplier = 1;
        if (raw.Get("multiplier") is { } mNode && Number(mNode, Join(path, "multiplier")) is { } m)
        {
            if (m < 1 || m > ScenarioLimits.MaxSurgeMultiplier)
            {
                Error(mNode, Join(path, "multiplier"), Inv($"must be from 1 to {ScenarioLimits.MaxSurgeMultiplier:0} (the factor on the baseline at the surge's peak)"));
                ok = false;
            }
            multiplier = m;
        }
        else
        {
            ok = false;
        }

        var values = new Dictionary<string, double>();
        foreach (var key in durations)
        {
            if (raw.Get(key) is { } dNode && Duration(dNode, Join(path, key)) is { } d)
            {
                if (d < ScenarioLimits.MinSurgeSeconds || d > ScenarioLimits.MaxSurgeSeconds)
                {
                    Error(dNode, Join(path, key), Inv(
                        $"must be a duration from {FormatSeconds(ScenarioLimits.MinSurgeSeconds)} to {FormatSeconds(ScenarioLimits.MaxSurgeSeconds)} (30 days)"));
                    ok = false;
                }
                values[key] = d;
            }
            else
            {
                ok = false;
            }
        }

        var until = double.PositiveInfinity;
        if (mayEnd && raw.Get("until") is { } untilNode)
        {
            if (Duration(untilNode, Join(path, "until")) is { } u)
            {
                var earliest = at + values.GetValueOrDefault("over");
                if (!(u > earliest))
                {
                    Error(untilNode, Join(path, "until"), Inv($"must be after the onset{(shape == "ramp" ? " plus the ramp" : "")} ({FormatSeconds(earliest)})"));
                    ok = false;
                }
                until = u;
            }
            else
            {
                ok = false;
            }
        }
        if (!ok)
        {
            return null;
        }
        return shape switch
        {
            "step" => new StepSurge(at, multiplier, until),
            "ramp" => new RampSurge(at, multiplier, values["over"], until),
            "decay" => new DecaySurge(at, multiplier, values["halfLife"]),
            _ => new GammaBumpSurge(at, multiplier, values["timeToPeak"], values["decay"]),
        };
    }

    /// <summary>A rate table read from a CSV file next to the scenario: a header <c>time,callsPerHour</c> or
    /// <c>time,calls</c>, then one row per step; errors name the CSV file and line.</summary>
    private RateTableArrivalSpec? ReadCsv(YamlNode node, string path)
    {
        if (Text(node, path) is not { } relative)
        {
            return null;
        }
        var directory = Path.GetDirectoryName(_file);
        string csvPath;
        try
        {
            csvPath = Path.IsPathRooted(relative) || string.IsNullOrEmpty(directory) ? relative : Path.Combine(directory, relative);
        }
        catch (ArgumentException)
        {
            Error(node, path, $"'{Shorten(relative)}' is not a valid file path");
            return null;
        }
        string text;
        try
        {
            if (!File.Exists(csvPath))
            {
                Error(node, path, $"CSV file '{csvPath}' not found (the path is relative to the scenario file)");
                return null;
            }
            if (FileKind.NotRegular(csvPath) is { } kind)
            {
                Error(node, path, $"'{csvPath}' is {kind}, not a regular file");
                return null;
            }
            if (new FileInfo(csvPath).Length > ScenarioLimits.MaxFileBytes)
            {
                Error(node, path, Inv($"CSV file '{csvPath}' is larger than {ScenarioLimits.MaxFileBytes:N0} bytes (16 MiB)"));
                return null;
            }
            text = ScenarioLoader.Decode(File.ReadAllBytes(csvPath), csvPath);
        }
        catch (ScenarioException ex)
        {
            foreach (var e in ex.Errors)
            {
                _errors.Add(e with { Key = path });
            }
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or System.Security.SecurityException)
        {
            Error(node, path, $"cannot read CSV file '{csvPath}': {ex.Message}");
            return null;
        }
        return RateTable.Parse(text, csvPath, relative, path, _intervalCount > 0 ? _intervalSeconds * _intervalCount : double.NaN, CsvError);
    }

    private void CsvError(ScenarioError error)
    {
        if (_errors.Count < MaxReportedErrors)
        {
            _errors.Add(error);
        }
        else
        {
            _firstUnreported ??= error;
            _unreported++;
        }
    }

    /// <summary>A rate per interval: one number for every interval, or a list with one number per interval.</summary>
    /// <remarks>The calls expected in one replication are bounded (<see cref="ScenarioLimits.MaxExpectedCallsPerReplication"/>);
    /// a list over it is returned empty so that no total is counted twice.</remarks>
    private IReadOnlyList<double> Rates(YamlNode node, string path, double toCallsPerInterval)
    {
        if (node is YamlSequenceNode sequence)
        {
            var values = new List<double>(sequence.Children.Count);
            var total = 0.0;
            for (var i = 0; i < sequence.Children.Count; i++)
            {
                if (Rate(sequence.Children[i], Inv($"{path}[{i}]")) is { } rate)
                {
                    values.Add(rate * toCallsPerInterval);
                    total += rate * toCallsPerInterval;
                }
            }
            CheckLength(sequence, path, "values");
            if (!(total <= ScenarioLimits.MaxExpectedCallsPerReplication))
            {
                Error(node, path, TooManyCalls(Count(total)));
                return [];
            }
            return values.AsReadOnly();
        }
        if (Rate(node, path) is { } single)
        {
            var perInterval = single * toCallsPerInterval;
            var intervals = Math.Max(1, _intervalCount);
            if (!(perInterval * intervals <= ScenarioLimits.MaxExpectedCallsPerReplication))
            {
                var each = _intervalCount > 0 ? Inv($" ({Count(single, toCallsPerInterval)} in each of the {_intervalCount:N0} intervals)") : "";
                Error(node, path, TooManyCalls(Count(single, toCallsPerInterval * intervals), each));
                return [];
            }
            if (_intervalCount > 0)
            {
                return Enumerable.Repeat(perInterval, _intervalCount).ToList().AsReadOnly();
            }
        }
        return [];
    }

    private static string TooManyCalls(string expected, string detail = "") =>
        Inv($"expects {expected} calls per replication{detail}; the limit is {ScenarioLimits.MaxExpectedCallsPerReplication:N0}");

    /// <summary>The total expected calls of all call types (each already within the limit) is within the limit too.</summary>
    private void CheckExpectedCalls(YamlNode node, IReadOnlyList<CallTypeEntry> callTypes)
    {
        if (_intervalCount == 0)
        {
            return;
        }
        var grid = new ArrivalGrid(_intervalSeconds, _intervalCount, _clockStart);
        var total = callTypes.Sum(c => c.Spec.Arrivals.ExpectedCalls(grid));
        if (total > ScenarioLimits.MaxExpectedCallsPerReplication)
        {
            Error(node, "callTypes", Inv(
                $"the call types expect {Count(total)} calls per replication in all; the limit is {ScenarioLimits.MaxExpectedCallsPerReplication:N0}"));
        }
    }

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
            foreach (var group in groups)
            {
                onDuty += group.Spec.Staffing[i];
            }
            if (onDuty > ScenarioLimits.MaxOperatorsOnDuty)
            {
                Error(node, "groups", Inv(
                    $"{onDuty:N0} operators are on duty in interval {i} (staffing[{i}], from {FormatSeconds(i * _intervalSeconds)}); the limit is {ScenarioLimits.MaxOperatorsOnDuty:N0} over all groups"));
                return;
            }
        }
    }

    /// <summary>A list of call types or groups within its count limit, and within the per-interval values limit.</summary>
    private bool WithinCount(YamlNode node, string path, string what, int max)
    {
        if (node is not YamlSequenceNode sequence)
        {
            return true;
        }
        var count = sequence.Children.Count;
        if (count > max)
        {
            Error(node, path, Inv($"holds {count:N0} {what}; the limit is {max:N0}"));
            return false;
        }
        if ((long)count * _intervalCount > ScenarioLimits.MaxCells)
        {
            Error(node, path, Inv(
                $"{count:N0} {what} x {_intervalCount:N0} intervals = {(long)count * _intervalCount:N0} per-interval values; the limit is {ScenarioLimits.MaxCells:N0}"));
            return false;
        }
        return true;
    }

    private double? Rate(YamlNode node, string path)
    {
        var value = Number(node, path);
        if (value < 0)
        {
            Error(node, path, "must be a number of calls >= 0");
            return null;
        }
        return value;
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
                    if (Number(valueNode, itemPath, "a proficiency (handle-time multiplier) such as 1.3") is not { } m)
                    {
                        continue;
                    }
                    if (m is < ScenarioLimits.MinProficiency or > ScenarioLimits.MaxProficiency)
                    {
                        Error(valueNode, itemPath, Inv($"is a proficiency (handle-time multiplier) of {m}; it must be from {ScenarioLimits.MinProficiency} to {ScenarioLimits.MaxProficiency}"));
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

        var shrinkage = 0.0;
        if (fields.Get("shrinkage") is { } shrinkageNode && Number(shrinkageNode, Join(path, "shrinkage")) is { } shrink)
        {
            if (shrink is < 0 or >= 1)
            {
                Error(shrinkageNode, Join(path, "shrinkage"), Inv($"must be a share from 0 to below 1, found {shrink}"));
            }
            else
            {
                shrinkage = shrink;
            }
        }

        var occupancyCap = 1.0;
        if (fields.Get("occupancyCap") is { } capNode && Number(capNode, Join(path, "occupancyCap")) is { } cap)
        {
            if (cap is <= 0 or > 1)
            {
                Error(capNode, Join(path, "occupancyCap"), Inv($"must be a share above 0 and at most 1, found {cap}"));
            }
            else
            {
                occupancyCap = cap;
            }
        }

        var costPerHour = 0.0;
        if (fields.Get("costPerHour") is { } costNode && Number(costNode, Join(path, "costPerHour")) is { } cost)
        {
            if (cost is < 0 or > ScenarioLimits.MaxCostPerHour)
            {
                Error(costNode, Join(path, "costPerHour"), Inv($"must be a cost from 0 to {ScenarioLimits.MaxCostPerHour:N0} per operator hour, found {cost}"));
            }
            else
            {
                costPerHour = cost;
            }
        }

        DistributionSpec? afterCallWork = null;
        if (fields.Get("afterCallWork") is { } acwNode)
        {
            afterCallWork = Distribution(acwNode, Join(path, "afterCallWork"), allowNone: true);
        }

        var activation = fields.Get("activation") is { } activationNode ? ReadActivation(activationNode, Join(path, "activation")) : null;
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
                    Learning = learning,
                },
                nameNode, path, serves, servesComplete, handleTimeNode is not null);
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
        if (sequence.Children.Count > ScenarioLimits.MaxShiftsPerGroup)
        {
            Error(node, path, Inv($"holds {sequence.Children.Count:N0} shifts; the limit is {ScenarioLimits.MaxShiftsPerGroup} per group"));
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
            else if (breakList.Children.Count > ScenarioLimits.MaxBreaksPerShift)
            {
                Error(breaksNode, breaksPath, Inv($"holds {breakList.Children.Count} breaks; the limit is {ScenarioLimits.MaxBreaksPerShift} per shift"));
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
        double? delay = null;
        if (fields.Get("delay") is { } delayNode && Duration(delayNode, Join(path, "delay")) is { } d)
        {
            if (d is < 0 or > ScenarioLimits.MaxHorizonSeconds)
            {
                Error(delayNode, Join(path, "delay"), Inv($"must be a duration from 0 to {FormatSeconds(ScenarioLimits.MaxHorizonSeconds)} (366 days)"));
            }
            else
            {
                delay = d;
            }
        }
        double? perHour = null;
        if (fields.Get("perHour") is { } perHourNode && Number(perHourNode, Join(path, "perHour")) is { } rate)
        {
            if (rate is <= 0 or > ScenarioLimits.MaxActivationPerHour)
            {
                Error(perHourNode, Join(path, "perHour"), Inv($"must be a number of operators per hour above 0 and at most {ScenarioLimits.MaxActivationPerHour:N0}, found {rate}"));
            }
            else
            {
                perHour = rate;
            }
        }
        int? max = null;
        if (fields.Get("max") is { } maxNode && Headcount(maxNode, Join(path, "max")) is { } m)
        {
            if (m < 1)
            {
                Error(maxNode, Join(path, "max"), "must be a number of operators >= 1");
            }
            else
            {
                max = m;
            }
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
        double? initial = null;
        if (fields.Get("initial") is { } initialNode && Number(initialNode, Join(path, "initial")) is { } i)
        {
            if (i is < ScenarioLimits.MinProficiency or > ScenarioLimits.MaxLearningInitial)
            {
                Error(initialNode, Join(path, "initial"), Inv($"is a handle-time multiplier of {i}; it must be from {ScenarioLimits.MinProficiency} to {ScenarioLimits.MaxLearningInitial}"));
            }
            else
            {
                initial = i;
            }
        }
        var timeNode = fields.Get("halfLife");
        var callsNode = fields.Get("halfLifeCalls");
        if (timeNode is null == callsNode is null)
        {
            Error(timeNode is null ? fields.Map : callsNode!, Join(path, timeNode is null ? "halfLife" : "halfLifeCalls"),
                "give exactly one of halfLife (a duration) and halfLifeCalls (a number of calls)");
            return null;
        }
        double? halfLife = null;
        double? halfLifeCalls = null;
        if (timeNode is not null && Duration(timeNode, Join(path, "halfLife")) is { } h)
        {
            if (h is <= 0 or > ScenarioLimits.MaxDurationSeconds)
            {
                Error(timeNode, Join(path, "halfLife"), Inv($"must be a duration above 0 and at most {FormatSeconds(ScenarioLimits.MaxDurationSeconds)}"));
            }
            else
            {
                halfLife = h;
            }
        }
        if (callsNode is not null && Number(callsNode, Join(path, "halfLifeCalls")) is { } c)
        {
            if (c is <= 0 or > ScenarioLimits.MaxHalfLifeCalls)
            {
                Error(callsNode, Join(path, "halfLifeCalls"), Inv($"must be a number of calls above 0 and at most {ScenarioLimits.MaxHalfLifeCalls:N0}, found {c}"));
            }
            else
            {
                halfLifeCalls = c;
            }
        }
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
            return Enumerable.Repeat(single, _intervalCount).ToList().AsReadOnly();
        }
        return [];
    }

    private int? Headcount(YamlNode node, string path)
    {
        var value = Integer(node, path, "a number of operators");
        if (value < 0)
        {
            Error(node, path, "must be a number of operators >= 0");
            return null;
        }
        if (value > ScenarioLimits.MaxOperatorsPerGroup)
        {
            Error(node, path, Inv($"is {value:N0} operators; the limit is {ScenarioLimits.MaxOperatorsPerGroup:N0} per group"));
            return null;
        }
        return value;
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

    private List<T> ReadList<T>(YamlNode node, string path, string what, Func<YamlNode, string, T?> readItem)
        where T : class
    {
        var items = new List<T>();
        if (node is not YamlSequenceNode sequence)
        {
            Error(node, path, $"expected a list of {what}s (items starting with '- '), found {Describe(node)}");
            return items;
        }
        if (sequence.Children.Count == 0)
        {
            Error(node, path, $"must hold at least one {what}");
        }
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            if (readItem(sequence.Children[i], Inv($"{path}[{i}]")) is { } item)
            {
                items.Add(item);
            }
        }
        return items;
    }

    private DistributionSpec? Distribution(YamlNode node, string path, bool allowNone)
    {
        if (allowNone && (IsNull(node) || node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: "none" }))
        {
            return null;
        }
        if (node is not YamlMappingNode)
        {
            var example = "{ dist: exponential, mean: 3m }" + (allowNone ? " or none" : "");
            Error(node, path, $"expected a distribution such as {example}, found {Describe(node)}");
            return null;
        }
        var raw = Fields(node, path, "a distribution", null);
        if (raw is null)
        {
            return null;
        }
        var simple = ScenarioFormat.SimpleDistribution;
        var mixtureKey = ScenarioFormat.Mixture.KeyNames.Single();
        if (raw.Get(mixtureKey) is not null && raw.Get(simple.Discriminator) is null)
        {
            return Mixture(raw, path, nested: _inMixture);
        }
        if (Discriminator(raw, simple, path) is not { } distNode || Text(distNode, Join(path, simple.Discriminator)) is not { } dist)
        {
            return null;
        }
        if (simple.Variant(dist) is not { } variant)
        {
            Error(distNode, Join(path, simple.Discriminator), $"unknown distribution '{Shorten(dist)}'; allowed: {string.Join(", ", simple.Names)}");
            return null;
        }

        string[] parameters = [.. variant.KeyNames.Where(k => k != simple.Discriminator)];
        var unknown = !Restrict(raw, variant, path, $"unknown key for dist {dist}; allowed keys: {string.Join(", ", variant.KeyNames)}", simple.Discriminator);

        var values = new Dictionary<string, double>();
        var nodes = new Dictionary<string, YamlNode>();
        foreach (var parameter in parameters.Where(p => p != "values"))
        {
            if (raw.Get(parameter) is { } parameterNode && Duration(parameterNode, Join(path, parameter)) is { } value)
            {
                // A lognormal with sd 0 is a constant; a gamma needs sd > 0 (checked against its mean below).
                if (value < 0 || value == 0 && !(dist == "lognormal" && parameter == "sd"))
                {
                    Error(parameterNode, Join(path, parameter), parameter == "sd" && dist == "lognormal" ? "must be a duration >= 0" : "must be a duration > 0");
                }
                else if (parameter != "sd" && value > ScenarioLimits.MaxDurationSeconds)
                {
                    Error(parameterNode, Join(path, parameter), Inv(
                        $"is {FormatSeconds(value)}; the limit is {FormatSeconds(ScenarioLimits.MaxDurationSeconds)} (30 days)"));
                }
                else
                {
                    values[parameter] = value;
                    nodes[parameter] = parameterNode;
                }
            }
        }
        if (dist == "empirical")
        {
            return Empirical(raw, path);
        }
        if (values.TryGetValue("mean", out var mean) && values.TryGetValue("sd", out var sd))
        {
            if (sd > ScenarioLimits.MaxCoefficientOfVariation * mean)
            {
                Error(nodes["sd"], Join(path, "sd"), Inv(
                    $"must be at most {ScenarioLimits.MaxCoefficientOfVariation:0} x mean ({FormatSeconds(ScenarioLimits.MaxCoefficientOfVariation * mean)}): the coefficient of variation sd/mean is limited to {ScenarioLimits.MaxCoefficientOfVariation:0}"));
                values.Remove("sd");
            }
            else if (dist == "gamma" && sd < ScenarioLimits.MinGammaCoefficientOfVariation * mean)
            {
                Error(nodes["sd"], Join(path, "sd"), Inv(
                    $"must be at least {ScenarioLimits.MinGammaCoefficientOfVariation:0.###} x mean ({FormatSeconds(ScenarioLimits.MinGammaCoefficientOfVariation * mean)}) for a gamma; for a duration that (almost) does not vary use {{ dist: deterministic, value: {FormatSeconds(mean)} }}"));
                values.Remove("sd");
            }
        }
        if (unknown || values.Count != parameters.Length)
        {
            return null;
        }
        DistributionSpec spec = dist switch
        {
            "exponential" => new ExponentialSpec(values["mean"]),
            "lognormal" => new LogNormalSpec(values["mean"], values["sd"]),
            "gamma" => new GammaSpec(values["mean"], values["sd"]),
            _ => new DeterministicSpec(values["value"]),
        };
        return Samples(spec, node, path) ? spec : null;
    }

    /// <summary>Whether a random distribution, as the model builds it, gives finite durations >= 0.</summary>
    /// <remarks>The bounds above should make this always true; the draws are a safety net against a parameter set they
    /// miss (such as a mean so small that mean x mean underflows). A fixed stream keeps the check deterministic.</remarks>
    private bool Samples(DistributionSpec spec, YamlNode node, string path)
    {
        if (spec is DeterministicSpec or EmpiricalSpec || _sampledSpecs.Contains(spec))
        {
            return true;
        }
        string? problem = null;
        switch (spec)
        {
            case LogNormalSpec l:
            {
                var sigma = Math.Sqrt(Math.Log(1 + l.StdDevSeconds * l.StdDevSeconds / (l.MeanSeconds * l.MeanSeconds)));
                var mu = Math.Log(l.MeanSeconds) - sigma * sigma / 2;
                if (!double.IsFinite(mu) || !double.IsFinite(sigma))
                {
                    problem = Inv($"mean and sd give no finite lognormal parameters (mu = {mu}, sigma = {sigma})");
                }
                break;
            }
            case GammaSpec g:
            {
                var shape = g.MeanSeconds * g.MeanSeconds / (g.StdDevSeconds * g.StdDevSeconds);
                var rate = g.MeanSeconds / (g.StdDevSeconds * g.StdDevSeconds);
                if (!double.IsFinite(shape) || !double.IsFinite(rate) || shape <= 0 || rate <= 0)
                {
                    problem = Inv($"mean and sd give no finite gamma parameters (shape = {shape}, rate = {rate})");
                }
                break;
            }
        }
        if (problem is null)
        {
            try
            {
                var distribution = ModelDistribution.From(spec);
                var stream = RandomStream.For(0, 0, "validation");
                for (var i = 0; i < CheckSamples && problem is null; i++)
                {
                    var x = distribution.Sample(stream);
                    if (!double.IsFinite(x) || x < 0)
                    {
                        problem = Inv($"these parameters draw invalid durations ({x})");
                    }
                }
            }
            catch (ArgumentException)
            {
                problem = "these parameters give no valid distribution";
            }
        }
        if (problem is not null)
        {
            Error(node, path, problem + "; use values of a more usual size");
            return false;
        }
        _sampledSpecs.Add(spec);
        return true;
    }

    private bool _inMixture;

    /// <summary><c>{ mixture: [{ share, dist }, …] }</c>: shares above 0 summing to 1, components that are not mixtures.</summary>
    private MixtureSpec? Mixture(FieldSet raw, string parentPath, bool nested)
    {
        var format = ScenarioFormat.Mixture;
        var ok = Restrict(raw, format, parentPath, $"unknown key for a mixture; allowed keys: {string.Join(", ", format.KeyNames)}");
        var node = raw.Get("mixture")!;
        var path = Join(parentPath, "mixture");
        if (nested)
        {
            Error(node, path, "a mixture component cannot itself be a mixture");
            return null;
        }
        if (node is not YamlSequenceNode sequence || sequence.Children.Count == 0)
        {
            Error(node, path, $"expected a list of components such as - {{ share: 0.2, dist: {{ dist: exponential, mean: 10s }} }}, found {Describe(node)}");
            return null;
        }
        if (sequence.Children.Count > ScenarioLimits.MaxMixtureComponents)
        {
            Error(node, path, Inv($"has {sequence.Children.Count} components; the limit is {ScenarioLimits.MaxMixtureComponents}"));
            return null;
        }
        var components = new List<MixtureComponentSpec>();
        _inMixture = true;
        try
        {
            for (var i = 0; i < sequence.Children.Count; i++)
            {
                var itemPath = Inv($"{path}[{i}]");
                var fields = Fields(sequence.Children[i], itemPath, "a mixture component", ScenarioFormat.MixtureComponent);
                if (fields is null)
                {
                    ok = false;
                    continue;
                }
                double? share = null;
                if (fields.Get("share") is { } shareNode && Number(shareNode, Join(itemPath, "share")) is { } value)
                {
                    if (value is <= 0 or > 1)
                    {
                        Error(shareNode, Join(itemPath, "share"), "must be a share above 0 and at most 1");
                    }
                    else
                    {
                        share = value;
                    }
                }
                DistributionSpec? dist = null;
                if (fields.Get("dist") is { } distNode)
                {
                    dist = Distribution(distNode, Join(itemPath, "dist"), allowNone: false);
                }
                if (share is { } sh && dist is not null)
                {
                    components.Add(new MixtureComponentSpec(sh, dist));
                }
                else
                {
                    ok = false;
                }
            }
        }
        finally
        {
            _inMixture = false;
        }
        if (!ok)
        {
            return null;
        }
        var total = components.Sum(c => c.Share);
        if (Math.Abs(total - 1) > 1e-9)
        {
            Error(node, path, Inv($"the shares sum to {total:0.######}; they must sum to 1"));
            return null;
        }
        return new MixtureSpec(components.AsReadOnly());
    }

    private EmpiricalSpec? Empirical(FieldSet raw, string path)
    {
        if (raw.Get("values") is not { } node)
        {
            return null;
        }
        var valuesPath = Join(path, "values");
        if (node is not YamlSequenceNode sequence)
        {
            Error(node, valuesPath, $"expected a list of durations such as [60s, 2m, 5m], found {Describe(node)}");
            return null;
        }
        if (sequence.Children.Count == 0)
        {
            Error(node, valuesPath, "must hold at least one duration");
            return null;
        }
        var values = new List<double>(sequence.Children.Count);
        var ok = true;
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var itemPath = Inv($"{valuesPath}[{i}]");
            if (Duration(sequence.Children[i], itemPath) is not { } value)
            {
                ok = false;
            }
            else if (value < 0)
            {
                Error(sequence.Children[i], itemPath, "must be a duration >= 0");
                ok = false;
            }
            else if (value > ScenarioLimits.MaxDurationSeconds)
            {
                Error(sequence.Children[i], itemPath, Inv(
                    $"is {FormatSeconds(value)}; the limit is {FormatSeconds(ScenarioLimits.MaxDurationSeconds)} (30 days)"));
                ok = false;
            }
            else
            {
                values.Add(value);
            }
        }
        if (!ok)
        {
            return null;
        }
        if (values.Average() <= 0)
        {
            Error(node, valuesPath, "the values must have a mean > 0");
            return null;
        }
        return new EmpiricalSpec(values.AsReadOnly());
    }

    // ---- keys and scalars ----

    /// <summary>The keys of a map, checked against <paramref name="format"/>: unknown keys and missing required keys are
    /// reported. Without a format (a surge or distribution before its variant is known, routing settings) any key is
    /// taken.</summary>
    private FieldSet? Fields(YamlNode node, string path, string what, MapFormat? format)
    {
        if (node is not YamlMappingNode map)
        {
            Error(node, path, $"expected a map of keys for {what}, found {Describe(node)}");
            return null;
        }
        var fields = new FieldSet(map, format, _keyRead);
        foreach (var (keyNode, valueNode) in map.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key } || IsNull(keyNode))
            {
                Error(keyNode, path, $"keys must be plain names, found {Describe(keyNode)}");
                continue;
            }
            if (format is not null && !format.Has(key))
            {
                Error(keyNode, Join(path, key), $"unknown key; allowed keys: {string.Join(", ", format.KeyNames)}");
                continue;
            }
            fields.Add(key, keyNode, valueNode);
        }
        if (format is not null)
        {
            MissingKeys(fields, format, path);
        }
        return fields;
    }

    /// <summary>Narrows a map read without a format to the variant its discriminator names (<paramref name="discriminator"/>,
    /// read already), or to a mixture: reports the keys it does not have with <paramref name="unknownKey"/> and the
    /// required keys missing. False when a key was unknown.</summary>
    private bool Restrict(FieldSet fields, MapFormat format, string path, string unknownKey, string? discriminator = null)
    {
        var ok = true;
        foreach (var (key, keyNode) in fields.Keys)
        {
            if (!format.Has(key))
            {
                Error(keyNode, Join(path, key), unknownKey);
                ok = false;
            }
        }
        fields.Restrict(format);
        if (discriminator is not null)
        {
            _keyRead?.Invoke(format.Name, discriminator);
        }
        MissingKeys(fields, format, path);
        return ok;
    }

    private void MissingKeys(FieldSet fields, MapFormat format, string path)
    {
        foreach (var key in format.RequiredKeys)
        {
            if (!fields.Contains(key))
            {
                Error(fields.Map, Join(path, key), "missing required key");
            }
        }
    }

    /// <summary>The key that selects a map's variant (<c>shape</c>, <c>dist</c>); null, reported, when it is missing.</summary>
    private YamlNode? Discriminator(FieldSet fields, VariantFormat variants, string path)
    {
        var node = fields.Get(variants.Discriminator);
        if (node is null)
        {
            Error(fields.Map, Join(path, variants.Discriminator), "missing required key");
        }
        return node;
    }

    private static IReadOnlyList<string> Choices(MapFormat map, string key) => ((ChoiceFormat)map.Key(key).Format).Names;

    /// <summary><c>a, b and c</c>.</summary>
    private static string Enumerate(IReadOnlyList<string> names) =>
        names.Count <= 1 ? string.Join("", names) : string.Join(", ", names.Take(names.Count - 1)) + " and " + names[^1];

    /// <summary>A name used in folder names, stream names and reports.</summary>
    private string? Name(FieldSet fields, string key, string parentPath)
    {
        var path = Join(parentPath, key);
        if (fields.Get(key) is not { } node || Text(node, path) is not { } name)
        {
            return null;
        }
        if (name.Length == 0 || name.Length > ScenarioFormat.MaxNameLength || !char.IsAsciiLetterOrDigit(name[0])
            || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            Error(node, path, Inv($"'{Shorten(name)}' is not a valid name: use 1 to {ScenarioFormat.MaxNameLength} letters, digits, '.', '_' or '-', starting with a letter or digit"));
            return null;
        }
        return name;
    }

    private string? Text(YamlNode node, string path)
    {
        if (node is YamlScalarNode { Value: { } value } && !IsNull(node))
        {
            return value;
        }
        Error(node, path, $"expected text, found {Describe(node)}");
        return null;
    }

    private double? Number(YamlNode node, string path, string what = "a number")
    {
        if (!TryPlain(node, out var text) || !TryParseNumber(text, out var value))
        {
            Error(node, path, $"expected {what}, found {Describe(node)}");
            return null;
        }
        if (!double.IsFinite(value))
        {
            Error(node, path, $"must be a finite number, found {Describe(node)}");
            return null;
        }
        return value;
    }

    private int? Integer(YamlNode node, string path, string what = "an integer")
    {
        if (!TryPlain(node, out var text))
        {
            Error(node, path, $"expected {what}, found {Describe(node)}");
            return null;
        }
        if (int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }
        if (TryParseNumber(text, out var number))
        {
            // 1e3 or 14.0 name an integer; 14.5 does not.
            if (Math.Floor(number) == number && number is >= int.MinValue and <= int.MaxValue)
            {
                return (int)number;
            }
            var detail = what == "an integer" ? "" : $" ({what})";
            Error(node, path, $"must be an integer{detail}, found {Describe(node)}");
            return null;
        }
        Error(node, path, $"expected {what}, found {Describe(node)}");
        return null;
    }

    /// <summary>A duration in seconds: a plain number of seconds, or a number followed by s, m, h or d.</summary>
    private double? Duration(YamlNode node, string path)
    {
        const string Expected = "expected a duration such as 90s, 3m, 1.5h, 2d or a number of seconds";
        if (node is not YamlScalarNode { Value: { } text } scalar || IsNull(node))
        {
            Error(node, path, $"{Expected}, found {Describe(node)}");
            return null;
        }
        double seconds;
        if (TryPlain(node, out var plain) && TryParseNumber(plain, out var number))
        {
            seconds = number;
        }
        else if (!IsStringTagged(scalar) && Durations.TryParse(text, out var parsed))
        {
            seconds = parsed;
        }
        else
        {
            Error(node, path, $"{Expected}, found {Describe(node)}");
            return null;
        }
        if (!double.IsFinite(seconds))
        {
            Error(node, path, $"must be a finite duration, found {Describe(node)}");
            return null;
        }
        return seconds;
    }

    /// <summary>The text of an untagged plain scalar: the only kind that YAML reads as a number.</summary>
    private static bool TryPlain(YamlNode node, out string text)
    {
        if (node is YamlScalarNode { Value: { } value, Style: YamlDotNet.Core.ScalarStyle.Plain } scalar
            && !IsStringTagged(scalar) && !IsNull(node))
        {
            text = value;
            return true;
        }
        text = "";
        return false;
    }

    internal static bool TryParseNumber(string text, out double value)
    {
        switch (text.Trim())
        {
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF":
                value = double.PositiveInfinity;
                return true;
            case "-.inf" or "-.Inf" or "-.INF":
                value = double.NegativeInfinity;
                return true;
            case ".nan" or ".NaN" or ".NAN":
                value = double.NaN;
                return true;
        }
        // Digits, sign, point and exponent only: the words "Infinity" and "NaN" are not YAML numbers.
        if (text.Any(c => char.IsAsciiLetter(c) && c is not ('e' or 'E')))
        {
            value = 0;
            return false;
        }
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    private static bool IsStringTagged(YamlScalarNode scalar) =>
        !scalar.Tag.IsEmpty && !scalar.Tag.IsNonSpecific && scalar.Tag.Value == "tag:yaml.org,2002:str";

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain or YamlDotNet.Core.ScalarStyle.Any } scalar
        && !IsStringTagged(scalar)
        && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";

    private static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a map",
        YamlSequenceNode => "a list",
        YamlScalarNode scalar when IsNull(scalar) => "an empty value",
        YamlScalarNode { Value: { } value, Style: YamlDotNet.Core.ScalarStyle.Plain } => $"'{Shorten(value)}'",
        YamlScalarNode { Value: { } value, Style: YamlDotNet.Core.ScalarStyle.SingleQuoted or YamlDotNet.Core.ScalarStyle.DoubleQuoted }
            => $"the quoted text '{Shorten(value)}'",
        YamlScalarNode { Value: { } value } => $"the text '{Shorten(value)}'",
        _ => "an alias",
    };

    private static string Shorten(string text)
    {
        var line = (text.Length <= 41 ? text : text[..41]).ReplaceLineEndings(" ");
        return line.Length <= 40 ? line : line[..37] + "...";
    }

    private static string FormatSeconds(double seconds) =>
        seconds < 1e9 ? Inv($"{seconds:0.###}s") : Inv($"{seconds:0.##e0}s");

    /// <summary>A number of calls, invariant culture: <c>50,000,000</c>, <c>1e308</c>; <paramref name="times"/> multiplies
    /// it without overflowing to infinity.</summary>
    private static string Count(double value, double times = 1)
    {
        var product = value * times;
        if (double.IsFinite(product))
        {
            return product < 1e9 ? Inv($"{product:#,0.##}") : Inv($"{product:0.##e0}");
        }
        if (!double.IsFinite(value))
        {
            return "more than 1.8e308";
        }
        var log = Math.Log10(value) + Math.Log10(times);
        var exponent = Math.Floor(log);
        return Inv($"{Math.Pow(10, log - exponent):0.##}e{exponent}");
    }

    /// <summary>At most ten names, then how many more.</summary>
    private static string Names(IEnumerable<string> names)
    {
        var list = names.Take(11).ToList();
        return list.Count <= 10 ? string.Join(", ", list) : string.Join(", ", list.Take(10)) + " …";
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;

    private static int Line(YamlNode node) => ScenarioLoader.Position(node.Start.Line);

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private void Error(YamlNode node, string key, string reason)
    {
        var error = new ScenarioError(_file, Line(node), ScenarioLoader.Position(node.Start.Column), key, reason);
        if (_errors.Count < MaxReportedErrors)
        {
            _errors.Add(error);
        }
        else
        {
            _firstUnreported ??= error;
            _unreported++;
        }
    }

    /// <summary>The valid keys of one map, in file order.</summary>
    /// <remarks>Looking up a key that the map's format does not have is a mistake in the reader, never in the file: it
    /// throws, so that the reader cannot read a key the format (and so the JSON Schema) does not describe.</remarks>
    private sealed class FieldSet(YamlMappingNode map, MapFormat? format, Action<string, string>? keyRead)
    {
        private readonly Dictionary<string, YamlNode> _values = new(StringComparer.Ordinal);
        private readonly List<(string Key, YamlNode KeyNode)> _keys = [];

        public YamlMappingNode Map { get; } = map;

        public MapFormat? Format { get; private set; } = format;

        public void Restrict(MapFormat variant) => Format = variant;

        public bool Contains(string key) => _values.ContainsKey(key);

        public IReadOnlyList<(string Key, YamlNode KeyNode)> Keys => _keys;

        public void Add(string key, YamlNode keyNode, YamlNode value)
        {
            if (_values.TryAdd(key, value))
            {
                _keys.Add((key, keyNode));
            }
        }

        public YamlNode? Get(string key)
        {
            if (Format is { } format)
            {
                if (!format.Has(key))
                {
                    throw new InvalidOperationException($"The reader looks up '{key}' in {format.Name}, which ScenarioFormat does not describe");
                }
                keyRead?.Invoke(format.Name, key);
            }
            return _values.GetValueOrDefault(key);
        }
    }

    private sealed record CallTypeEntry(CallTypeSpec Spec, YamlMappingNode Node, YamlNode NameNode, string Path, bool HasHandleTime, YamlNode? NumberNode = null);

    private sealed record NumberEntry(EntryNumberSpec Spec, YamlNode NameNode, string Path);

    private sealed record GroupEntry(
        OperatorGroupSpec Spec,
        YamlNode NameNode,
        string Path,
        IReadOnlyList<(string Name, YamlNode Node, string Path)> Serves,
        bool ServesComplete,
        bool HasHandleTime);
}
