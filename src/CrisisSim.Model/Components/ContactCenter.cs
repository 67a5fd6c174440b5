using CrisisSim.Model.Arrivals;
using CrisisSim.Model.Distributions;
using CrisisSim.Model.Randomness;
using CrisisSim.Model.Recording;
using CrisisSim.Model.Routing;
using CrisisSim.Model.Scenario;

namespace CrisisSim.Model.Components;

/// <summary>Builds the components of one replication of a scenario. Every host builds them here, component by
/// component, so the inline engine and the grains run exactly the same objects with the same random streams.</summary>
public sealed class ContactCenter
{
    private readonly ScenarioDefinition _scenario;
    private readonly long _seed;
    private readonly int _replication;

    public ContactCenter(ScenarioDefinition scenario, long seed, int replication)
    {
        _scenario = scenario;
        _seed = seed;
        _replication = replication;
        Layout = new ContactCenterLayout(scenario.CallTypes.Count, scenario.Groups.Count);
    }

    public ContactCenterLayout Layout { get; }

    /// <param name="keepCallTypeIntervals">Keep a row of intervals per call type whatever their number (see
    /// <see cref="Recorder.KeepsCallTypeIntervals"/>).</param>
    /// <param name="shareCountsWith">A recorder of the same replication to add call counts to (see <see cref="Recorder"/>).</param>
    public Recorder NewRecorder(bool keepCallLog, bool keepCallTypeIntervals = true, Recorder? shareCountsWith = null) => new(
        _scenario.IntervalCount,
        _scenario.IntervalSeconds,
        _scenario.CallTypes.Count,
        _scenario.Groups.Count,
        _scenario.ServiceLevel.ThresholdSeconds,
        keepCallLog,
        keepCallTypeIntervals,
        Recorder.FirstCountedIntervalOf(_scenario.IntervalCount, _scenario.IntervalSeconds, _scenario.WarmupSeconds),
        shareCountsWith);

    /// <summary>A recorder that streams each call's record to <paramref name="callLog"/> instead of holding the log.</summary>
    public Recorder NewRecorder(ICallLogSink callLog) => new(
        _scenario.IntervalCount,
        _scenario.IntervalSeconds,
        _scenario.CallTypes.Count,
        _scenario.Groups.Count,
        _scenario.ServiceLevel.ThresholdSeconds,
        callLog);

    /// <summary>Stream names: <c>arrivals/TYPE</c>, <c>patience/TYPE</c>, <c>ivr/TYPE</c>, <c>balking/TYPE</c>, <c>redial/TYPE</c>,
    /// <c>callback/TYPE</c>, <c>transfer/TYPE</c>, <c>reach/TYPE</c>, <c>handle/GROUP</c>, <c>callbackHandle/GROUP</c>, <c>outboundHandle/GROUP</c>,
    /// <c>acw/GROUP</c>, <c>busyness/day&lt;d&gt;</c>
    /// (shared by the call types of a day).</summary>
    public RandomStream Stream(string name) => RandomStream.For(_seed, _replication, name);

    /// <summary>Every component of the replication, each recording into the recorder of its address; the router puts
    /// the operator groups built here to work.</summary>
    public IComponent[] CreateComponents(IReadOnlyList<Recorder> recorders)
    {
        var layout = Layout;
        if (recorders.Count != layout.ComponentCount)
        {
            throw new ArgumentException($"{recorders.Count} recorders for {layout.ComponentCount} components", nameof(recorders));
        }
        var components = new IComponent[layout.ComponentCount];
        var groups = new OperatorGroup[layout.GroupCount];
        for (var address = 0; address < components.Length; address++)
        {
            if (address != layout.Router)
            {
                components[address] = CreateComponent(address, recorders[address]);
            }
        }
        for (var g = 0; g < groups.Length; g++)
        {
            groups[g] = (OperatorGroup)components[layout.OperatorGroup(g)];
        }
        components[layout.Router] = CreateRouter(recorders[layout.Router], groups);
        return components;
    }

    /// <summary>The router alone, for a host that runs it apart from the other components: it puts operator groups of
    /// its own to work, the work of group g recorded into <paramref name="groupRecorders"/>[g].</summary>
    public Router CreateRouter(Recorder recorder, IReadOnlyList<Recorder> groupRecorders)
    {
        if (groupRecorders.Count != Layout.GroupCount)
        {
            throw new ArgumentException($"{groupRecorders.Count} recorders for {Layout.GroupCount} operator groups", nameof(groupRecorders));
        }
        return CreateRouter(recorder, [.. groupRecorders.Select((r, g) => CreateOperatorGroup(g, r))]);
    }

    /// <summary>A caller source or an operator group. The router is built with its operator groups
    /// (<see cref="CreateComponents"/>, <see cref="CreateRouter(Recorder, IReadOnlyList{Recorder})"/>).</summary>
    public IComponent CreateComponent(int address, Recorder recorder)
    {
        var layout = Layout;
        if (address < layout.CallTypeCount)
        {
            var type = _scenario.CallTypes[address];
            return new CallerSource(
                address,
                layout,
                type.Arrivals.CreateProcess(new ArrivalContext(ArrivalGrid.Of(_scenario), Stream)),
                type.Patience is null ? null : Distribution.From(type.Patience),
                Stream("arrivals/" + type.Name),
                Stream("patience/" + type.Name),
                recorder,
                Factors(type),
                outbound: type.Outbound is not null,
                recorded: RecordedCalls.Of(type.Arrivals));
        }
        if (address == layout.Router)
        {
            throw new ArgumentException("The router is built with the operator groups it puts to work: use CreateComponents or CreateRouter", nameof(address));
        }
        var g = address - layout.CallTypeCount - 1;
        if (g < 0 || g >= layout.GroupCount)
        {
            throw new ArgumentOutOfRangeException(nameof(address), address, "No component has this address");
        }
        return CreateOperatorGroup(g, recorder);
    }

    private OperatorGroup CreateOperatorGroup(int g, Recorder recorder)
    {
        var layout = Layout;
        var group = _scenario.Groups[g];
        var handle = new Dictionary<int, Distribution>();
        var recorded = new Dictionary<int, RecordedCalls>();
        foreach (var typeName in group.Serves)
        {
            var t = _scenario.CallTypeIndex(typeName);
            var spec = group.HandleTime ?? _scenario.CallTypes[t].HandleTime
                ?? throw new InvalidOperationException($"No handle time for call type '{typeName}' in group '{group.Name}'");
            handle[t] = Distribution.From(spec);
            if (RecordedCalls.Of(_scenario.CallTypes[t].Arrivals) is { HasHandleTimes: true } calls)
            {
                recorded[t] = calls; // a recorded talk time replaces the group's or the type's handle time
            }
        }
        var callbacks = group.Serves.Any(n => _scenario.CallTypes[_scenario.CallTypeIndex(n)].Callbacks is not null || PlaybookOffersCallbacks(n));
        var outbound = group.Serves.Any(n => _scenario.CallTypes[_scenario.CallTypeIndex(n)].Outbound is not null);
        return new OperatorGroup(
            g,
            layout,
            new ByServedCallType<Distribution>(handle),
            Stream("handle/" + group.Name),
            recorder,
            callbacks ? Stream("callbackHandle/" + group.Name) : null,
            outbound ? Stream("outboundHandle/" + group.Name) : null,
            group.AfterCallWork is null ? null : Distribution.From(group.AfterCallWork),
            group.AfterCallWork is null ? null : Stream("acw/" + group.Name),
            recorded.Count == 0 ? null : new ByServedCallType<RecordedCalls>(recorded));
    }

    private PatienceFactors? Factors(CallTypeSpec type) =>
        type.PatienceFactors is null ? null : new PatienceFactors(type.PatienceFactors, _scenario.IntervalSeconds);

    /// <summary>A call type's journey, step by step, each step built from its part of the scenario (null when unused).
    /// The steps a playbook may switch draw from <paramref name="shared"/> streams, which the playbook's own recorded
    /// messages and callback offers of the type use too.</summary>
    private CallerJourney Journey(CallTypeSpec type, Func<string, RandomStream> shared) => new()
    {
        Number = type.Number is null ? -1 : NumberIndex(type.Number),
        RecordedMessage = type.RecordedMessage is { Seconds: > 0 } message
            ? new RecordedMessage(message.Seconds, message.DeflectedShare, shared("ivr/" + type.Name))
            : null,
        Balking = type.BalkingProbability != 0 || type.BalkingQueueAbove is not null || type.BalkingWaitAbove is not null
            ? new Balking(
                type.BalkingProbability,
                type.BalkingQueueAbove ?? int.MaxValue,
                type.BalkingWaitAbove ?? double.PositiveInfinity,
                type.BalkingWaitAbove is null ? 0 : MeanHandleTime(type),
                type.BalkingProbability > 0 ? Stream("balking/" + type.Name) : null)
            : null,
        CallbackOffer = type.Callbacks is { } callbacks
            ? new CallbackOffer(callbacks.OfferAboveSeconds, callbacks.AcceptProbability, callbacks.DeadlineSeconds, MeanHandleTime(type), shared("callback/" + type.Name))
            : null,
        Redials = type.Redials is { } redials
            ? new Redials(
                [.. redials.Probabilities],
                Distribution.From(redials.Delay),
                type.Patience is null ? null : Distribution.From(type.Patience),
                Factors(type),
                Stream("redial/" + type.Name))
            : null,
        Transfers = type.Transfers is { Count: > 0 } transfers
            ? new Transfers([.. transfers.Select(x => CallTypeIndexOf(x.To))], Cumulative(transfers), Stream("transfer/" + type.Name))
            : null,
        TransferLeg = IsTransferTarget(type.Name)
            ? new TransferLeg(type.Patience is null ? null : Distribution.From(type.Patience), Factors(type))
            : null,
        OutboundFollowUp = type.Outbound is { DeadlineSeconds: > 0 } outbound
            ? new OutboundFollowUp(outbound.DeadlineSeconds, outbound.Reach, outbound.NoAnswerSeconds, outbound.Reach < 1 ? Stream("reach/" + type.Name) : null)
            : null,
    };

    private HashSet<string>? _transferTargets;

    private bool IsTransferTarget(string name) =>
        (_transferTargets ??= [.. _scenario.CallTypes.SelectMany(c => c.Transfers ?? []).Select(x => x.To)]).Contains(name);

    private int CallTypeIndexOf(string name) =>
        _scenario.CallTypeIndex(name) is var t and >= 0 ? t : throw new InvalidOperationException($"Undefined call type '{name}'");

    private static double[] Cumulative(IReadOnlyList<TransferSpec> transfers)
    {
        var cumulative = new double[transfers.Count];
        var sum = 0.0;
        for (var i = 0; i < cumulative.Length; i++)
        {
            sum += transfers[i].Share;
            cumulative[i] = sum;
        }
        return cumulative;
    }

    /// <summary>The mean handle time of a call type over the groups serving it.</summary>
    private double MeanHandleTime(CallTypeSpec type) =>
        _scenario.Groups.Where(g => g.Serves.Contains(type.Name)).Select(g => (g.HandleTime ?? type.HandleTime)?.Mean ?? 0).DefaultIfEmpty(0).Average();

    private int NumberIndex(string name) =>
        _scenario.NumberIndex(name) is var n and >= 0 ? n : throw new InvalidOperationException($"Undefined number '{name}'");

    private Router CreateRouter(Recorder recorder, OperatorGroup[] operatorGroups)
    {
        var streams = new Dictionary<string, RandomStream>(StringComparer.Ordinal);
        RandomStream Shared(string name) => streams.TryGetValue(name, out var stream) ? stream : streams[name] = Stream(name);
        var types = _scenario.CallTypes.Count;
        var groups = _scenario.Groups;
        var typesServedBy = new int[groups.Count][];
        var groupsServing = new List<int>[types];
        for (var t = 0; t < types; t++)
        {
            groupsServing[t] = [];
        }
        for (var g = 0; g < groups.Count; g++)
        {
            var served = groups[g].Serves.Select(_scenario.CallTypeIndex).Distinct().Order().ToArray();
            if (served.Any(t => t < 0))
            {
                throw new InvalidOperationException($"Group '{groups[g].Name}' serves an undefined call type");
            }
            typesServedBy[g] = served;
            foreach (var t in served)
            {
                groupsServing[t].Add(g);
            }
        }
        return new Router(
            Layout,
            RoutingPolicies.For(_scenario),
            _scenario.IntervalSeconds,
            _scenario.IntervalCount,
            _scenario.DrainSeconds,
            [.. _scenario.CallTypes.Select(c => c.Priority)],
            [.. groupsServing.Select(l => l.ToArray())],
            typesServedBy,
            [.. groups.Select(g => g.Staffing.ToArray())],
            operatorGroups,
            recorder,
            [.. _scenario.CallTypes.Select(t => Journey(t, Shared))],
            [.. _scenario.Numbers.Select(n => n.Lines)],
            [.. _scenario.Numbers.Select(n => n.Hours is { } h
                ? new OpeningHours(_scenario.ClockStartSeconds, h.OpenSeconds, h.CloseSeconds, h.AtClose == AtCloseKind.CallBack)
                : null)],
            [.. groups.Select((g, i) => Rules(g, typesServedBy[i]))],
            _scenario.Name,
            _replication,
            [.. _scenario.CallTypes.Select(c => c.Name)],
            CreatePlaybook(Shared),
            _scenario.Numbers.Any(n => n.Closed) ? [.. _scenario.Numbers.Select(n => n.Closed)] : null);
    }

    /// <summary>The router's rules for a group's operators; <see cref="OperatorRules.Plain"/> when it uses none.</summary>
    private OperatorRules Rules(OperatorGroupSpec group, int[] typesServed)
    {
        if (group.Activation is not null && PlaybookActivates(group.Name))
        {
            group = group with { Activation = null }; // activated by the playbook, not from the onset
        }
        var proficiency = group.Proficiency is { Count: > 0 } p
            ? typesServed.Select(t => p.TryGetValue(_scenario.CallTypes[t].Name, out var m) ? m : 1.0).ToArray()
            : null;
        var rules = new OperatorRules
        {
            OnDuty = group.HasSchedule ? OperatorSchedule.OnDuty(group, _scenario) : null,
            OccupancyCap = group.OccupancyCap,
            Proficiency = proficiency is not null && proficiency.Any(m => m != 1) ? proficiency : null,
            Learning = group.Learning,
        };
        return rules.IsPlain ? OperatorRules.Plain : rules;
    }

    // ---- the playbook ----

    private bool PlaybookActivates(string group) => _scenario.Playbook?.Activates(group) == true;

    private bool PlaybookOffersCallbacks(string callType) =>
        _scenario.Playbook is { } playbook && playbook.Rules.Any(r => r.Do.Any(a => a is CallbacksAction { Callbacks: not null } x && x.CallType == callType));

    /// <summary>The playbook of this replication, its conditions compiled and its actions resolved to indices and to the
    /// objects they put in place; null without one.</summary>
    private Playbook? CreatePlaybook(Func<string, RandomStream> shared)
    {
        if (_scenario.Playbook is not { Rules.Count: > 0 } spec)
        {
            return null;
        }
        var period = spec.EvaluateEverySeconds;
        var scopes = new List<int[]>();
        var scopeIndex = new Dictionary<PlaybookScope, int>();
        int[] TypesOf(PlaybookScope scope) =>
            scope.CallType is { } type ? [CallTypeIndexOf(type)]
            : scope.Number is { } number ? [.. Enumerable.Range(0, _scenario.CallTypes.Count).Where(t => _scenario.CallTypes[t].Number == number)]
            : [.. Enumerable.Range(0, _scenario.CallTypes.Count).Where(t => _scenario.CallTypes[t].Outbound is null)];
        int ScopeOf(PlaybookScope scope)
        {
            if (!scopeIndex.TryGetValue(scope, out var index))
            {
                index = scopes.Count;
                scopes.Add(TypesOf(scope));
                scopeIndex.Add(scope, index);
            }
            return index;
        }
        Playbook.Node Compile(PlaybookConditionSpec condition) => condition switch
        {
            AllOfCondition all => new Playbook.AllNode([.. all.Conditions.Select(Compile)]),
            AnyOfCondition any => new Playbook.AnyNode([.. any.Conditions.Select(Compile)]),
            HeldForCondition held => new Playbook.HeldForNode(Compile(held.Condition), held.Seconds),
            QueueCondition queue => new Playbook.QueueNode(queue.Scope.IsAll ? null : TypesOf(queue.Scope), queue.AtLeast),
            WindowCondition window => new Playbook.WindowNode(
                ScopeOf(window.Scope),
                window.Measure,
                window.Above,
                window.Value,
                double.IsPositiveInfinity(window.WindowSeconds) ? 0 : Math.Max(1, (int)Math.Ceiling(window.WindowSeconds / period - 1e-9))),
            ClockCondition clock => new Playbook.TimeNode(((clock.ClockSeconds - _scenario.ClockStartSeconds) % OpeningHours.Day + OpeningHours.Day) % OpeningHours.Day),
            SinceOnsetCondition since => new Playbook.TimeNode(_scenario.OnsetSeconds + since.Seconds),
            FiredCondition fired => new Playbook.FiredNode(spec.RuleIndex(fired.Rule) is var r and >= 0 ? r : throw new InvalidOperationException($"Undefined playbook rule '{fired.Rule}'")),
            _ => throw new InvalidOperationException($"Unknown playbook condition {condition.GetType().Name}"),
        };
        var policies = new Dictionary<RoutingSpec, Routing.IRoutingPolicy>();
        PlaybookAction Resolve(PlaybookActionSpec action) => action switch
        {
            ActivateGroupAction activate => new(PlaybookActionKind.Activate, GroupIndexOf(activate.Group)),
            SetLinesAction lines => new(lines.Add ? PlaybookActionKind.AddLines : PlaybookActionKind.SetLines, NumberIndex(lines.Number), lines.Lines),
            OpenNumberAction open => new(open.Open ? PlaybookActionKind.OpenNumber : PlaybookActionKind.CloseNumber, NumberIndex(open.Number)),
            SetHoursAction hours => new(PlaybookActionKind.SetHours, NumberIndex(hours.Number), 0, hours.Hours is { } h
                ? new OpeningHours(_scenario.ClockStartSeconds, h.OpenSeconds, h.CloseSeconds, h.AtClose == AtCloseKind.CallBack)
                : null),
            RecordedMessageAction message => new(PlaybookActionKind.RecordedMessage, CallTypeIndexOf(message.CallType), 0, message.Message is { Seconds: > 0 } m
                ? new RecordedMessage(m.Seconds, m.DeflectedShare, shared("ivr/" + message.CallType))
                : null),
            CallbacksAction callbacks => new(PlaybookActionKind.Callbacks, CallTypeIndexOf(callbacks.CallType), 0, callbacks.Callbacks is { } c
                ? new CallbackOffer(c.OfferAboveSeconds, c.AcceptProbability, c.DeadlineSeconds, MeanHandleTime(_scenario.CallTypes[CallTypeIndexOf(callbacks.CallType)]), shared("callback/" + callbacks.CallType))
                : null),
            SetPriorityAction priority => new(PlaybookActionKind.SetPriority, CallTypeIndexOf(priority.CallType), priority.Priority),
            SetRoutingAction routing => new(PlaybookActionKind.SetRouting, -1, 0, policies.TryGetValue(routing.Routing, out var policy) ? policy
                : policies[routing.Routing] = RoutingPolicies.Create(routing.Routing, new RoutingSetup(
                    routing.Routing.Name,
                    routing.Routing.Settings,
                    [.. _scenario.CallTypes.Select(c => c.Name)],
                    [.. _scenario.CallTypes.Select(c => c.Priority)],
                    [.. _scenario.Groups.Select(g => g.Name)]))),
            CampaignAction campaign => new(campaign.Start ? PlaybookActionKind.StartCampaign : PlaybookActionKind.StopCampaign, CallTypeIndexOf(campaign.CallType)),
            _ => throw new InvalidOperationException($"Unknown playbook action {action.GetType().Name}"),
        };
        var rules = spec.Rules.Select(rule => new Playbook.RuleDefinition(
            Compile(rule.When), [.. rule.Do.Select(Resolve)], rule.AfterSeconds, rule.CooldownSeconds)).ToList();
        var activations = new PlaybookActivation?[_scenario.Groups.Count];
        for (var g = 0; g < activations.Length; g++)
        {
            var group = _scenario.Groups[g];
            if (PlaybookActivates(group.Name))
            {
                activations[g] = group.OnCall is { } onCall ? new PlaybookActivation(onCall.DelaySeconds, 0, int.MaxValue)
                    : group.Activation is { } a ? new PlaybookActivation(a.DelaySeconds, 3600 / a.PerHour, a.Max)
                    : new PlaybookActivation(0, 0, int.MaxValue);
            }
        }
        var startsStopped = new bool[_scenario.CallTypes.Count];
        foreach (var action in spec.Rules.SelectMany(r => r.Do).OfType<CampaignAction>().Where(a => a.Start))
        {
            startsStopped[CallTypeIndexOf(action.CallType)] = true;
        }
        return new Playbook(period, _scenario.HorizonSeconds, _scenario.ServiceLevel.ThresholdSeconds, _scenario.CallTypes.Count, rules, scopes, activations, startsStopped);
    }

    private int GroupIndexOf(string name) =>
        _scenario.GroupIndex(name) is var g and >= 0 ? g : throw new InvalidOperationException($"Undefined group '{name}'");
}
