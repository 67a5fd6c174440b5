using CrisisSim.Model.Recording;
using CrisisSim.Model.Routing;

namespace CrisisSim.Model.Components;

/// <summary>The automatic call distributor: plays each call's <see cref="CallerJourney"/> (<see cref="Switchboard"/>,
/// its steps, <see cref="RedialsAndTransfers"/>) and matches waiting work (<see cref="WaitingQueues"/>,
/// <see cref="CallbackRequests"/>) with operators (<see cref="Operators"/>, on the <see cref="StaffingPlan"/>) as its
/// routing policy decides on the <see cref="RoutingView"/>. It puts an operator to work with a direct call to the
/// operator's group (<see cref="OperatorGroup.Take"/>).</summary>
public sealed class Router : IComponent
{
    private readonly ContactCenterLayout _layout;
    private IRoutingPolicy _policy;
    private readonly Recorder _recorder;
    private readonly double _intervalSeconds;
    private readonly int _intervalCount;
    private readonly double _closeTime;
    private readonly double _horizon;
    private readonly StaffingPlan _plan;
    private readonly OperatorGroup[] _groups;

    // Each call type's journey, step by step; the numbers' lines and opening hours.
    private readonly CallerJourney[] _journeys;
    private readonly Switchboard _switchboard;
    private readonly RedialsAndTransfers _retries;

    private readonly WaitingQueues _waiting;
    private readonly AnnouncedWait _announcedWait;
    private bool _closed;

    // Callback requests; an outbound call type's calls to make wait there too, as requests of their type.
    private readonly CallbackRequests _callbacks;

    // Every operator off duty, idle or busy, and the operator rules.
    private readonly Operators _operators;

    // What the routing policy sees.
    private readonly RoutingView _view;

    // Named in the message of a replication stopped as unstable.
    private readonly string _scenarioName;
    private readonly int _replication;
    private readonly IReadOnlyList<string>? _callTypeNames;

    // Redial timers set and not yet due: callers who will call again, held by the calendar meanwhile.
    private int _redialsPending;

    // Wake-ups delivered at the latest wake-up's instant, bounded by RoutingPolicyException.MaxWakeUpsPerInstant.
    private string _policyName;
    private double _wakeUpInstant = double.NaN;
    private int _wakeUpsAtInstant;

    // The crisis cell's playbook (null: none), and what its actions change: the on-duty target each group's plan gives,
    // the operators an activated group may have on duty (int.MaxValue: no limit), when each activation started, and
    // the outbound campaigns stopped.
    private readonly Playbook? _playbook;
    private readonly int[] _planTarget;
    private readonly int[]? _activated;
    private readonly double[]? _activationStart;
    private readonly bool[]? _campaignStopped;
    private int _evaluations;
    private double _evaluationTime;
    private IOutbox? _evaluationOutbox;
    private readonly Func<int, int> _queueLength;
    private readonly Action<int, int> _fire;

    public Router(
        ContactCenterLayout layout,
        IRoutingPolicy policy,
        double intervalSeconds,
        int intervalCount,
        double drainSeconds,
        int[] priorityByCallType,
        int[][] groupsServing,
        int[][] typesServedBy,
        int[][] staffingByGroup,
        OperatorGroup[] operatorGroups,
        Recorder recorder,
        CallerJourney[]? journeys = null,
        int[]? linesByNumber = null,
        OpeningHours?[]? hoursByNumber = null,
        OperatorRules[]? operatorRules = null,
        string scenarioName = "",
        int replication = 0,
        IReadOnlyList<string>? callTypeNames = null,
        Playbook? playbook = null,
        bool[]? closedByNumber = null)
    {
        _layout = layout;
        _scenarioName = scenarioName;
        _replication = replication;
        _callTypeNames = callTypeNames;
        _policy = policy;
        _policyName = policy is IRoutingPolicyGuard guard ? guard.PolicyName : policy.GetType().FullName ?? policy.GetType().Name;
        _recorder = recorder;
        _intervalSeconds = intervalSeconds;
        _intervalCount = intervalCount;
        _horizon = intervalSeconds * intervalCount;
        _closeTime = _horizon + drainSeconds;
        _groups = operatorGroups.Length == layout.GroupCount
            ? operatorGroups
            : throw new ArgumentException($"{operatorGroups.Length} operator groups for a layout of {layout.GroupCount}", nameof(operatorGroups));
        _journeys = journeys ?? [.. Enumerable.Repeat(CallerJourney.Direct, layout.CallTypeCount)];
        _switchboard = new Switchboard([.. _journeys.Select(j => j.Number)], linesByNumber, hoursByNumber, closedByNumber);
        _retries = new RedialsAndTransfers(_journeys, _horizon, layout.Router, recorder);

        var types = layout.CallTypeCount;
        _waiting = new WaitingQueues(types);
        _callbacks = new CallbackRequests(types);

        var groups = layout.GroupCount;
        var rules = operatorRules ?? [.. Enumerable.Repeat(OperatorRules.Plain, groups)];
        _plan = new StaffingPlan(staffingByGroup, rules);
        _operators = new Operators(_plan, rules, typesServedBy, recorder);
        _view = new RoutingView(layout, _closeTime, priorityByCallType, groupsServing, typesServedBy, _waiting, _operators);
        _announcedWait = new AnnouncedWait(_view, _operators, _waiting);

        _planTarget = new int[groups];
        _playbook = playbook;
        _queueLength = t => t < 0 ? _waiting.Total : _waiting.Length(t);
        _fire = Fire;
        if (playbook is not null)
        {
            if (playbook.Activations.Any(a => a is not null))
            {
                _activated = [.. playbook.Activations.Select(a => a is null ? int.MaxValue : 0)];
                _activationStart = [.. playbook.Activations.Select(_ => double.NaN)];
            }
            if (playbook.CampaignStartsStopped.Any(stopped => stopped))
            {
                _campaignStopped = [.. playbook.CampaignStartsStopped];
            }
        }
    }

    /// <summary>What the routing policy sees of this router.</summary>
    public IRoutingView View => _view;

    public void Start(IOutbox outbox)
    {
        outbox.SetTimer(0, Message.StaffingChangeTimer(_layout.Router, 0));
        if (_plan.ChangeCount > 0)
        {
            outbox.SetTimer(_plan.ChangeTime(0), Message.ScheduleChangeTimer(_layout.Router, 0));
        }
        outbox.SetTimer(_closeTime, new Message(MessageKind.Close, _layout.Router));
        if (_playbook is not null && _playbook.NextEvaluation(0) is var first && first < double.PositiveInfinity)
        {
            outbox.SetTimer(first, new Message(MessageKind.PlaybookCheck, _layout.Router));
        }
        for (var n = 0; n < _switchboard.NumberCount; n++)
        {
            if (_switchboard.FirstCallBackClosing(n) is var closing && closing < _closeTime)
            {
                outbox.SetTimer(closing, Message.NumberClosingTimer(_layout.Router, n));
            }
        }
    }

    public void Handle(in Message message, double now, IOutbox outbox)
    {
        _view.Deciding(now, outbox);
        switch (message.Kind)
        {
            case MessageKind.CallOffered when _journeys[message.CallType].IsOutbound:
                CreateOutbound(message, now, outbox);
                break;
            case MessageKind.CallOffered:
                Offer(message, now, outbox);
                break;
            case MessageKind.ServiceDone:
                ReleaseLine(message.CallType);
                MaybeTransfer(message, now, outbox);
                TalkDone(message, now, outbox);
                break;
            case MessageKind.PatienceExpired:
                PatienceExpired(message, now, outbox);
                break;
            case MessageKind.StaffingChange:
                StaffingChange(message.Interval, now, outbox);
                break;
            case MessageKind.Redial:
                Redial(message, now, outbox);
                break;
            case MessageKind.RecordedMessageEnded:
                RecordedMessageEnded(message, now, outbox);
                break;
            case MessageKind.Close:
                Close(now);
                break;
            case MessageKind.CallbackDone:
            case MessageKind.OutboundDone:
                TalkDone(message, now, outbox);
                break;
            case MessageKind.AfterCallWorkDone:
                OperatorDone(message.Group, message.Operator, now, outbox);
                break;
            case MessageKind.ScheduleChange:
                ScheduleChange(message.ScheduleIndex, now, outbox);
                break;
            case MessageKind.NumberClosing:
                NumberClosing(message, now, outbox);
                break;
            case MessageKind.RoutingWakeUp:
                WakeUp(now, outbox);
                break;
            case MessageKind.PlaybookCheck:
                EvaluatePlaybook(now, outbox);
                break;
            case MessageKind.PlaybookEffect:
                TakeEffect(message.Rule, now, outbox);
                break;
            case MessageKind.ActivationStep:
                ActivationStep(message.Group, message.Step, now, outbox);
                break;
            default:
                throw new InvalidOperationException($"Router cannot handle {message.Kind}");
        }
    }

    private void Offer(in Message call, double now, IOutbox outbox)
    {
        _playbook?.Offered(call.CallType);
        var journey = _journeys[call.CallType];
        var number = journey.Number;
        if (number >= 0)
        {
            if (_switchboard.IsClosed(number, now))
            {
                // A closed message: the caller learns the opening hours and does not redial.
                _recorder.Ended(CallOutcome.Closed, call.CallId, call.CallType, call.ArrivalTime, now, now);
                return;
            }
            if (!_switchboard.TrySeizeLine(number))
            {
                _recorder.Ended(CallOutcome.Blocked, call.CallId, call.CallType, call.ArrivalTime, now, now);
                MaybeRedial(call.CallId, call.CallType, now, outbox);
                return;
            }
        }
        if (journey.RecordedMessage is { } recordedMessage)
        {
            outbox.SetTimer(now + recordedMessage.Seconds, call with { Kind = MessageKind.RecordedMessageEnded, Target = _layout.Router });
            return;
        }
        Enqueue(call, journey, now, outbox);
    }

    /// <summary>After a failed attempt, the caller may try again later (see <see cref="RedialsAndTransfers.TryRedial"/>).</summary>
    private void MaybeRedial(long callId, int callType, double now, IOutbox outbox)
    {
        if (_retries.TryRedial(callId, callType, now, out var at, out var redial))
        {
            outbox.SetTimer(at, redial);
            _redialsPending++;
            CheckWaiting(callType, now);
        }
    }

    /// <summary>After service, the call may go on to another call type's queue (see <see cref="RedialsAndTransfers.TryTransfer"/>).</summary>
    private void MaybeTransfer(in Message call, double now, IOutbox outbox)
    {
        if (_retries.TryTransfer(call, now, out var leg))
        {
            Offer(leg, now, outbox);
        }
    }

    private void Redial(in Message timer, double now, IOutbox outbox)
    {
        _redialsPending--;
        Offer(_retries.Redialled(timer, now), now, outbox);
    }

    private void RecordedMessageEnded(in Message call, double now, IOutbox outbox)
    {
        var journey = _journeys[call.CallType];
        if (journey.RecordedMessage is { } message && message.Deflects()) // switched off meanwhile: heard out, no one deflected
        {
            _recorder.Ended(CallOutcome.Deflected, call.CallId, call.CallType, call.ArrivalTime, now, now);
            ReleaseLine(call.CallType);
            return;
        }
        Enqueue(call, journey, now, outbox);
    }

    private void Enqueue(in Message call, CallerJourney journey, double now, IOutbox outbox)
    {
        if (_closed)
        {
            // The recorded message outlasted the drain: the caller reaches a closed queue.
            _recorder.Unserved(call.CallId, call.CallType, call.ArrivalTime, now);
            ReleaseLine(call.CallType);
            return;
        }
        if (journey.Number >= 0 && _switchboard.TellsToCallBack(journey.Number, now))
        {
            // The recorded message outlasted the opening hours: the caller is told to call back.
            _recorder.Ended(CallOutcome.Closed, call.CallId, call.CallType, call.ArrivalTime, now, now);
            ReleaseLine(call.CallType);
            MaybeRedial(call.CallId, call.CallType, now, outbox);
            return;
        }
        var group = _policy.SelectGroup(new OfferedCall(call.CallType, call.ArrivalTime, call.CallId), _view);
        if (group >= 0)
        {
            CheckGroupChoice(group, call.CallType, now);
            Answer(group, _operators.TakeIdle(group), call.CallId, call.CallType, call.ArrivalTime, now, outbox);
            return;
        }
        if (journey.Balking is { } balking && balking.Balks(call.CallType, _announcedWait))
        {
            _recorder.Ended(CallOutcome.Balked, call.CallId, call.CallType, call.ArrivalTime, now, now);
            ReleaseLine(call.CallType);
            MaybeRedial(call.CallId, call.CallType, now, outbox);
            return;
        }
        if (journey.CallbackOffer is { } offer && offer.IsOffered(call.CallType, _announcedWait))
        {
            _recorder.Count(CallCounter.CallbacksOffered, call.CallType, call.ArrivalTime);
            if (offer.Accepts())
            {
                _recorder.Ended(CallOutcome.CallbackAccepted, call.CallId, call.CallType, call.ArrivalTime, now, now);
                ReleaseLine(call.CallType);
                RequestCallback(call.CallId, call.CallType, call.ArrivalTime, now + offer.DeadlineSeconds, now);
                return;
            }
        }
        var slot = _waiting.Add(call.CallId, call.CallType, call.ArrivalTime);
        CheckWaiting(call.CallType, now);
        _recorder.QueueLength(now, _waiting.Total);
        if (!double.IsPositiveInfinity(call.Patience))
        {
            outbox.SetTimer(now + call.Patience, Message.PatienceTimer(_layout.Router, call.CallId, call.CallType, slot, call.ArrivalTime));
        }
    }

    private void RequestCallback(long callId, int callType, double arrival, double deadline, double now)
    {
        _callbacks.Add(callId, callType, arrival, deadline);
        CheckWaiting(callType, now);
    }

    /// <summary>Stops the replication as unstable once more calls wait than <see cref="Scenario.ScenarioLimits.MaxWaitingCalls"/>
    /// (in queue, callbacks and outbound calls to make, redials pending), so that its memory never follows the number of
    /// calls.</summary>
    private void CheckWaiting(int callType, double now)
    {
        var waiting = _waiting.Total + _callbacks.Pending + _redialsPending;
        if (waiting > Scenario.ScenarioLimits.MaxWaitingCalls)
        {
            var name = _callTypeNames is { } names && callType < names.Count ? names[callType] : callType.ToString(System.Globalization.CultureInfo.InvariantCulture);
            throw new UnstableReplicationException(_scenarioName, _replication, now, name, waiting);
        }
    }

    /// <summary>Outbound follow-up: a call to make joins the callback requests of its type (made when no inbound call of
    /// the operator's types waits, earliest deadline first, before inbound calls once past it); an idle operator the
    /// policy gives makes it at once.</summary>
    private void CreateOutbound(in Message call, double now, IOutbox outbox)
    {
        if (_closed)
        {
            _recorder.Count(CallCounter.OutboundMissed, call.CallType, call.ArrivalTime); // created as the run closes
            return;
        }
        RequestCallback(call.CallId, call.CallType, call.ArrivalTime, now + _journeys[call.CallType].OutboundFollowUp!.DeadlineSeconds, now);
        if (_campaignStopped is not null && _campaignStopped[call.CallType])
        {
            return; // the campaign has not started (or was stopped): the call to make waits
        }
        var group = _policy.SelectGroup(new OfferedCall(call.CallType, call.ArrivalTime, call.CallId), _view);
        if (group >= 0)
        {
            CheckGroupChoice(group, call.CallType, now);
            MakeCallback(group, _operators.TakeIdle(group), call.CallType, now, outbox);
        }
    }

    /// <summary>The call type served by the group whose pending callback has the earliest deadline, or -1.</summary>
    private int EarliestCallback(int group) => _campaignStopped is null
        ? _callbacks.Earliest(_view.CallTypesServedBy(group))
        : _callbacks.Earliest(_view.CallTypesServedBy(group), _campaignStopped);

    private void MakeCallback(int group, int op, int callType, double now, IOutbox outbox)
    {
        var (callId, arrival, deadline) = _callbacks.TakeFront(callType);
        var inTime = now <= deadline;
        _operators.StartWork(group, now);
        if (_journeys[callType].OutboundFollowUp is not { } outbound)
        {
            _recorder.Count(inTime ? CallCounter.CallbacksInTime : CallCounter.CallbacksLate, callType, arrival);
            _groups[group].Take(Message.Work(MessageKind.StartCallback, group, _layout.OperatorGroup(group), op, callId, callType, arrival, _operators.HandleTimeMultiplier(group, op, callType, now)), now, outbox);
            return;
        }
        if (!outbound.Reaches())
        {
            // One attempt only: nobody answers, the operator is free again after the ringing.
            _recorder.Count(CallCounter.OutboundUnreached, callType, arrival);
            outbox.SetTimer(now + outbound.NoAnswerSeconds, new Message(MessageKind.OutboundDone, _layout.Router, callId, callType, group, op, arrival));
            return;
        }
        _recorder.Count(inTime ? CallCounter.OutboundInTime : CallCounter.OutboundLate, callType, arrival);
        _groups[group].Take(Message.Work(MessageKind.StartOutbound, group, _layout.OperatorGroup(group), op, callId, callType, arrival, _operators.HandleTimeMultiplier(group, op, callType, now)), now, outbox);
    }

    private void Answer(int group, int op, long callId, int callType, double arrival, double now, IOutbox outbox)
    {
        _playbook?.Answered(callType, now - arrival);
        _operators.StartWork(group, now);
        if (callId >= 1L << 56)
        {
            _recorder.Count(CallCounter.TransferLegsAnswered, callType, arrival); // a leg after the first
        }
        _groups[group].Take(Message.Work(MessageKind.StartService, group, _layout.OperatorGroup(group), op, callId, callType, arrival, _operators.HandleTimeMultiplier(group, op, callType, now)), now, outbox);
    }

    /// <summary>The talk (or callback) ends: the operator is free now, or after its after-call work.</summary>
    private void TalkDone(in Message message, double now, IOutbox outbox)
    {
        if (message.AfterCallWork > 0)
        {
            outbox.SetTimer(now + message.AfterCallWork, new Message(MessageKind.AfterCallWorkDone, _layout.Router, message.CallId, message.CallType, message.Group, message.Operator));
            return;
        }
        OperatorDone(message.Group, message.Operator, now, outbox);
    }

    private void PatienceExpired(in Message timer, double now, IOutbox outbox)
    {
        if (!_waiting.TryAbandon(timer.Slot, timer.CallId, timer.CallType))
        {
            return; // answered already (the slot may hold another call by now)
        }
        _recorder.Abandoned(timer.CallId, timer.CallType, timer.ArrivalTime, now);
        _playbook?.Abandoned(timer.CallType);
        ReleaseLine(timer.CallType);
        MaybeRedial(timer.CallId, timer.CallType, now, outbox);
    }

    private void OperatorDone(int group, int op, double now, IOutbox outbox)
    {
        if (!_operators.FinishWork(group, op, now))
        {
            if (_operators.IsCapped(group))
            {
                DispatchIdle(group, now, outbox); // one less busy: the cap may leave room
            }
            return;
        }
        OperatorAvailable(group, op, now, outbox);
    }

    /// <summary>Under an occupancy cap, idle operators may wait while calls do: when the cap leaves room again without
    /// an operator being freed (a busy one left), the longest idle take the waiting work.</summary>
    private void DispatchIdle(int group, double now, IOutbox outbox)
    {
        while (_operators.Idle(group) > 0 && _operators.HasRoom(group))
        {
            var op = _operators.TakeIdle(group); // not idle while the policy decides, as when an operator becomes free
            if (!TakeWork(group, op, now, outbox))
            {
                _operators.PutBackIdle(group, op);
                return;
            }
        }
    }

    private void OperatorAvailable(int group, int op, double now, IOutbox outbox)
    {
        // Under an occupancy cap that is reached, the operator waits idle, and calls wait.
        if ((_operators.IsCapped(group) && !_operators.HasRoom(group)) || !TakeWork(group, op, now, outbox))
        {
            _operators.BecomeIdle(group, op, now);
        }
    }

    /// <summary>The operator takes the work due now, if any: a callback or call to make past its deadline, a waiting call
    /// the policy chooses, or else a callback or call to make. False: nothing to do.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private bool TakeWork(int group, int op, double now, IOutbox outbox)
    {
        // Callbacks: past their deadline they go before inbound calls; otherwise only when no inbound call waits.
        var callback = _callbacks.Pending > 0 ? EarliestCallback(group) : -1;
        if (callback >= 0 && _callbacks.FrontDeadline(callback) < now)
        {
            MakeCallback(group, op, callback, now, outbox);
            return true;
        }
        var callType = _policy.SelectCallType(group, _view);
        if (callType < 0)
        {
            if (callback >= 0)
            {
                MakeCallback(group, op, callback, now, outbox);
                return true;
            }
            return false;
        }
        AnswerOldest(group, op, callType, now, outbox);
        return true;
    }

    /// <summary>The operator takes the oldest waiting call of the type the policy chose.</summary>
    private void AnswerOldest(int group, int op, int callType, double now, IOutbox outbox)
    {
        CheckCallTypeChoice(callType, group, now);
        var (callId, arrival) = _waiting.TakeOldest(callType);
        Answer(group, op, callId, callType, arrival, now, outbox);
    }

    /// <summary>A wake-up the policy asked for: the waiting calls are offered again to the idle operators of every group,
    /// group by group, the longest idle first, as long as the policy picks a call type.</summary>
    private void WakeUp(double now, IOutbox outbox)
    {
        // Deterministic guard: a policy asking for a wake-up now at every wake-up would hold time still for ever.
        _wakeUpsAtInstant = now == _wakeUpInstant ? _wakeUpsAtInstant + 1 : 1;
        _wakeUpInstant = now;
        if (_wakeUpsAtInstant > RoutingPolicyException.MaxWakeUpsPerInstant)
        {
            throw new RoutingPolicyException(_policyName, "WakeAt", now, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"it asked for more than {RoutingPolicyException.MaxWakeUpsPerInstant:N0} wake-ups at the same instant (a wake-up asked at every wake-up never lets time move on)"));
        }
        if (_waiting.Total == 0)
        {
            return;
        }
        for (var g = 0; g < _operators.GroupCount; g++)
        {
            while (_operators.Idle(g) > 0 && (!_operators.IsCapped(g) || _operators.HasRoom(g)))
            {
                var op = _operators.TakeIdle(g); // not idle while the policy decides, as when an operator becomes free
                var callType = _policy.SelectCallType(g, _view);
                if (callType < 0)
                {
                    _operators.PutBackIdle(g, op);
                    break;
                }
                AnswerOldest(g, op, callType, now, outbox);
            }
        }
    }

    // An answer the router cannot carry out is the policy's failure, reported as one (the run stops, exit 4 on the CLI).
    private void CheckGroupChoice(int group, int callType, double now)
    {
        if ((uint)group >= (uint)_operators.GroupCount || _operators.Idle(group) == 0 || _view.CallTypesServedBy(group).IndexOf(callType) < 0)
        {
            throw new RoutingPolicyException(_policyName, "SelectGroup", now,
                $"it chose group {group} for a call of type {callType}: the group must serve the type and have an idle operator");
        }
    }

    private void CheckCallTypeChoice(int callType, int group, double now)
    {
        if ((uint)callType >= (uint)_waiting.CallTypeCount || _waiting.Length(callType) == 0 || _view.CallTypesServedBy(group).IndexOf(callType) < 0)
        {
            throw new RoutingPolicyException(_policyName, "SelectCallType", now,
                $"it chose call type {callType} for an operator of group {group}: the group must serve the type and a call of it must wait");
        }
    }

    private void StaffingChange(int interval, double now, IOutbox outbox)
    {
        for (var g = 0; g < _layout.GroupCount; g++)
        {
            _operators.AccrueTime(g, now);
        }
        if (interval >= _intervalCount)
        {
            return; // the horizon: operator time has been accrued up to it; staffing stays as it is for the drain
        }
        _recorder.QueueLength(now, _waiting.Total);
        for (var g = 0; g < _layout.GroupCount; g++)
        {
            if (!_plan.IsScheduled(g))
            {
                SetStaffing(g, _plan.Staffing(g, interval), now, outbox);
            }
        }
        outbox.SetTimer((interval + 1) * _intervalSeconds, Message.StaffingChangeTimer(_layout.Router, interval + 1));
    }

    /// <summary>The scheduled groups' on-duty counts change now: every change at this time, in group order.</summary>
    private void ScheduleChange(int index, double now, IOutbox outbox)
    {
        var t = _plan.ChangeTime(index);
        for (; index < _plan.ChangeCount && _plan.ChangeTime(index) == t; index++)
        {
            var g = _plan.ChangeGroup(index);
            _operators.AccrueTime(g, now);
            SetStaffing(g, _plan.ChangeTarget(index), now, outbox);
        }
        if (index < _plan.ChangeCount)
        {
            outbox.SetTimer(_plan.ChangeTime(index), Message.ScheduleChangeTimer(_layout.Router, index));
        }
    }

    private void SetStaffing(int group, int target, double now, IOutbox outbox)
    {
        _planTarget[group] = target;
        if (_activated is not null)
        {
            target = Math.Min(target, _activated[group]); // a group a playbook activates: as many as activated so far
        }
        _operators.SetTarget(group, target);
        while (_operators.TryComeOnDuty(group, now, out var op))
        {
            OperatorAvailable(group, op, now, outbox);
        }
    }

    private void Close(double now)
    {
        _closed = true;
        for (var t = 0; t < _waiting.CallTypeCount; t++)
        {
            while (_waiting.TryTakeOldest(t, out var callId, out var arrival))
            {
                _recorder.Unserved(callId, t, arrival, now);
                ReleaseLine(t);
            }
        }
        for (var t = 0; t < _journeys.Length; t++)
        {
            while (_callbacks.TryTakeFront(t, out var arrival))
            {
                _recorder.Count(_journeys[t].IsOutbound ? CallCounter.OutboundMissed : CallCounter.CallbacksMissed, t, arrival);
            }
        }
    }

    /// <summary>A number with <c>atClose: callBack</c> closes: its callers still waiting are told to call back (closed),
    /// and may redial.</summary>
    private void NumberClosing(in Message timer, double now, IOutbox outbox)
    {
        var number = timer.Number;
        if (timer.HoursGeneration != _switchboard.HoursGeneration(number))
        {
            return; // a closing of hours the playbook has replaced
        }
        for (var t = 0; t < _waiting.CallTypeCount; t++)
        {
            if (_journeys[t].Number != number)
            {
                continue;
            }
            while (_waiting.TryTakeOldest(t, out var callId, out var arrival))
            {
                _recorder.Ended(CallOutcome.Closed, callId, t, arrival, now, now);
                ReleaseLine(t);
                MaybeRedial(callId, t, now, outbox);
            }
        }
        _recorder.QueueLength(now, _waiting.Total);
        var next = now + OpeningHours.Day;
        if (next < _closeTime)
        {
            outbox.SetTimer(next, timer);
        }
    }

    private void ReleaseLine(int callType) => _switchboard.ReleaseLine(callType);

    // ---- the playbook ----

    /// <summary>An evaluation of the playbook: the rules that fire are recorded, their effects applied now (no
    /// <c>after</c>) or set as timers; the next evaluation is set up to the horizon.</summary>
    private void EvaluatePlaybook(double now, IOutbox outbox)
    {
        var playbook = _playbook!;
        _evaluations++;
        _evaluationTime = now;
        _evaluationOutbox = outbox;
        playbook.Evaluate(now, _queueLength, _fire);
        _evaluationOutbox = null;
        var next = playbook.NextEvaluation(_evaluations);
        if (next < double.PositiveInfinity)
        {
            outbox.SetTimer(next, new Message(MessageKind.PlaybookCheck, _layout.Router));
        }
    }

    private void Fire(int rule, int firing)
    {
        var now = _evaluationTime;
        var outbox = _evaluationOutbox!;
        var after = _playbook!.AfterSeconds(rule);
        var effect = now + after;
        _recorder.PlaybookFired(new PlaybookFiring(rule, firing, now, effect));
        if (after == 0)
        {
            TakeEffect(rule, now, outbox);
        }
        else if (effect < _closeTime)
        {
            outbox.SetTimer(effect, new Message(MessageKind.PlaybookEffect, _layout.Router, Operator: rule));
        }
    }

    /// <summary>A rule's actions take effect now, in their order (a later one overrides an earlier one on the same
    /// target); then idle operators take the waiting work a new policy, priority or campaign gives them.</summary>
    private void TakeEffect(int rule, double now, IOutbox outbox)
    {
        var dispatch = false;
        foreach (var action in _playbook!.Actions(rule))
        {
            switch (action.Kind)
            {
                case PlaybookActionKind.Activate:
                    Activate(action.Target, now, outbox);
                    break;
                case PlaybookActionKind.SetLines:
                    _switchboard.SetLines(action.Target, action.Value);
                    break;
                case PlaybookActionKind.AddLines:
                    _switchboard.SetLines(action.Target, (int)Math.Min(int.MaxValue, (long)_switchboard.Lines(action.Target) + action.Value));
                    break;
                case PlaybookActionKind.OpenNumber:
                    _switchboard.SetShut(action.Target, false);
                    break;
                case PlaybookActionKind.CloseNumber:
                    _switchboard.SetShut(action.Target, true);
                    break;
                case PlaybookActionKind.SetHours:
                    SetHours(action.Target, (OpeningHours?)action.Payload, now, outbox);
                    break;
                case PlaybookActionKind.RecordedMessage:
                    _journeys[action.Target] = _journeys[action.Target].WithRecordedMessage((RecordedMessage?)action.Payload);
                    break;
                case PlaybookActionKind.Callbacks:
                    _journeys[action.Target] = _journeys[action.Target].WithCallbackOffer((CallbackOffer?)action.Payload);
                    break;
                case PlaybookActionKind.SetPriority:
                    _view.SetPriority(action.Target, action.Value);
                    dispatch = true;
                    break;
                case PlaybookActionKind.SetRouting:
                    _policy = (IRoutingPolicy)action.Payload!;
                    _policyName = _policy is IRoutingPolicyGuard guard ? guard.PolicyName : _policy.GetType().FullName ?? _policy.GetType().Name;
                    dispatch = true;
                    break;
                case PlaybookActionKind.StartCampaign:
                case PlaybookActionKind.StopCampaign:
                    if (_campaignStopped is not null)
                    {
                        _campaignStopped[action.Target] = action.Kind == PlaybookActionKind.StopCampaign;
                    }
                    dispatch |= action.Kind == PlaybookActionKind.StartCampaign;
                    break;
                default:
                    throw new InvalidOperationException($"Unknown playbook action {action.Kind}");
            }
        }
        if (dispatch && !_closed)
        {
            for (var g = 0; g < _operators.GroupCount; g++)
            {
                DispatchIdle(g, now, outbox);
            }
        }
    }

    /// <summary>A group is activated now: its first operator comes after its delay, then one more every step (an
    /// on-call pool: all at once). Activating it again does nothing.</summary>
    private void Activate(int group, double now, IOutbox outbox)
    {
        if (_activationStart is null || _playbook!.Activations[group] is not { } activation || !double.IsNaN(_activationStart[group]))
        {
            return;
        }
        var start = now + activation.DelaySeconds;
        _activationStart[group] = start;
        if (start < _horizon)
        {
            outbox.SetTimer(start, new Message(MessageKind.ActivationStep, _layout.Router, Group: group, Operator: activation.Max == int.MaxValue ? int.MaxValue : 1));
        }
    }

    private void ActivationStep(int group, int step, double now, IOutbox outbox)
    {
        _activated![group] = step;
        _operators.AccrueTime(group, now);
        SetStaffing(group, _planTarget[group], now, outbox);
        var activation = _playbook!.Activations[group]!;
        if (step < activation.Max)
        {
            var next = _activationStart![group] + step * activation.StepSeconds;
            if (next < _horizon)
            {
                outbox.SetTimer(next, new Message(MessageKind.ActivationStep, _layout.Router, Group: group, Operator: step + 1));
            }
        }
    }

    private void SetHours(int number, OpeningHours? hours, double now, IOutbox outbox)
    {
        _switchboard.SetHours(number, hours);
        var closing = _switchboard.NextCallBackClosing(number, now);
        if (closing < _closeTime)
        {
            outbox.SetTimer(closing, Message.NumberClosingTimer(_layout.Router, number, _switchboard.HoursGeneration(number)));
        }
    }
}
