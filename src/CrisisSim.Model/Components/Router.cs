using CrisisSim.Model.Recording;
using CrisisSim.Model.Routing;

namespace CrisisSim.Model.Components;

/// <summary>The automatic call distributor: one queue per call type, the state of every operator (off duty, idle,
/// busy), the staffing schedule, and the routing policy that matches calls and operators.</summary>
public sealed class Router : IComponent, IRoutingView
{
    private readonly ContactCenterLayout _layout;
    private readonly IRoutingPolicy _policy;
    private readonly Recorder _recorder;
    private readonly double _intervalSeconds;
    private readonly int _intervalCount;
    private readonly double _closeTime;
    private readonly double _horizon;
    private readonly int[] _priority;
    private readonly int[][] _groupsServing;
    private readonly int[][] _typesServedBy;
    private readonly int[][] _staffing;

    // Each call type's journey before the queue; each number's lines and the calls holding one now.
    private readonly CallerJourney[] _journeys;
    private readonly int[] _lines;
    private readonly int[] _inSystem;
    private readonly OpeningHours?[] _hours;

    // Waiting calls live in slots; each call type's queue is a ring of slots in arrival order.
    // An abandoned call stays in its queue as a dead slot until it reaches the front.
    private long[] _slotCall = new long[64];
    private double[] _slotArrival = new double[64];
    private bool[] _slotLive = new bool[64];
    private readonly IntDeque _freeSlots = new();
    private int _slotsUsed;
    private readonly IntDeque[] _queue;
    private readonly int[] _queueLength;
    private int _totalQueued;
    private bool _closed;

    // Operators: ids 0..max staffing-1 per group.
    private readonly IntDeque[] _idle;
    private readonly double[][] _idleSince;
    private readonly IntDeque[] _offDuty;
    private readonly int[] _onDuty;
    private readonly int[] _busy;
    private readonly int[] _target;
    private readonly double[] _lastOperatorChange;

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
        Recorder recorder,
        CallerJourney[]? journeys = null,
        int[]? linesByNumber = null,
        OpeningHours?[]? hoursByNumber = null)
    {
        _layout = layout;
        _policy = policy;
        _recorder = recorder;
        _intervalSeconds = intervalSeconds;
        _intervalCount = intervalCount;
        _horizon = intervalSeconds * intervalCount;
        _closeTime = _horizon + drainSeconds;
        _priority = priorityByCallType;
        _groupsServing = groupsServing;
        _typesServedBy = typesServedBy;
        _staffing = staffingByGroup;
        _journeys = journeys ?? [.. Enumerable.Repeat(CallerJourney.Direct, layout.CallTypeCount)];
        _lines = linesByNumber ?? [];
        _inSystem = new int[_lines.Length];
        _hours = hoursByNumber ?? new OpeningHours?[_lines.Length];

        var types = layout.CallTypeCount;
        _queue = new IntDeque[types];
        _queueLength = new int[types];
        for (var t = 0; t < types; t++)
        {
            _queue[t] = new IntDeque();
        }

        var groups = layout.GroupCount;
        _idle = new IntDeque[groups];
        _idleSince = new double[groups][];
        _offDuty = new IntDeque[groups];
        _onDuty = new int[groups];
        _busy = new int[groups];
        _target = new int[groups];
        _lastOperatorChange = new double[groups];
        for (var g = 0; g < groups; g++)
        {
            var capacity = staffingByGroup[g].Length == 0 ? 0 : staffingByGroup[g].Max();
            _idle[g] = new IntDeque();
            _idleSince[g] = new double[capacity];
            _offDuty[g] = new IntDeque();
            for (var op = capacity - 1; op >= 0; op--)
            {
                _offDuty[g].PushBack(op);
            }
        }
    }

    public int CallTypeCount => _layout.CallTypeCount;

    public int GroupCount => _layout.GroupCount;

    public ReadOnlySpan<int> GroupsServing(int callType) => _groupsServing[callType];

    public ReadOnlySpan<int> CallTypesServedBy(int group) => _typesServedBy[group];

    public int IdleOperators(int group) => _idle[group].Count;

    public double LongestIdleSince(int group) =>
        _idle[group].Count == 0 ? double.PositiveInfinity : _idleSince[group][_idle[group].PeekFront()];

    public int QueueLength(int callType) => _queueLength[callType];

    public double OldestWaitingArrival(int callType) =>
        _queueLength[callType] == 0 ? double.PositiveInfinity : _slotArrival[_queue[callType].PeekFront()];

    public int Priority(int callType) => _priority[callType];

    public void Start(IOutbox outbox)
    {
        outbox.SetTimer(0, new Message(MessageKind.StaffingChange, _layout.Router, Operator: 0));
        outbox.SetTimer(_closeTime, new Message(MessageKind.Close, _layout.Router));
        for (var n = 0; n < _hours.Length; n++)
        {
            if (_hours[n] is { CallBackAtClose: true } hours && hours.FirstClosing < _closeTime)
            {
                outbox.SetTimer(hours.FirstClosing, new Message(MessageKind.NumberClosing, _layout.Router, Operator: n));
            }
        }
    }

    public void Handle(in Message message, double now, IOutbox outbox)
    {
        switch (message.Kind)
        {
            case MessageKind.CallOffered:
                Offer(message, now, outbox);
                break;
            case MessageKind.ServiceDone:
                ReleaseLine(message.CallType);
                OperatorDone(message.Group, message.Operator, now, outbox);
                break;
            case MessageKind.PatienceExpired:
                PatienceExpired(message, now, outbox);
                break;
            case MessageKind.StaffingChange:
                StaffingChange(message.Operator, now, outbox);
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
            case MessageKind.NumberClosing:
                NumberClosing(message, now, outbox);
                break;
            default:
                throw new InvalidOperationException($"Router cannot handle {message.Kind}");
        }
    }

    private void Offer(in Message call, double now, IOutbox outbox)
    {
        var journey = _journeys[call.CallType];
        var number = journey.Number;
        if (number >= 0)
        {
            if (_hours[number] is { } hours && !hours.IsOpen(now))
            {
                // A closed message: the caller learns the opening hours and does not redial.
                _recorder.Ended(CallOutcome.Closed, call.CallId, call.CallType, call.ArrivalTime, now, now);
                return;
            }
            if (_inSystem[number] >= _lines[number])
            {
                _recorder.Ended(CallOutcome.Blocked, call.CallId, call.CallType, call.ArrivalTime, now, now);
                MaybeRedial(call.CallId, call.CallType, now, outbox);
                return;
            }
            _inSystem[number]++;
        }
        if (journey.MessageSeconds > 0)
        {
            outbox.SetTimer(now + journey.MessageSeconds, call with { Kind = MessageKind.RecordedMessageEnded, Target = _layout.Router });
            return;
        }
        Enqueue(call, journey, now, outbox);
    }

    /// <summary>After a failed attempt, the caller may try again later: a timer of the router, never of the caller
    /// source (whose grain plays its own arrivals ahead).</summary>
    private void MaybeRedial(long callId, int callType, double now, IOutbox outbox)
    {
        var journey = _journeys[callType];
        var attempt = CallIds.Attempt(callId);
        if (attempt > journey.RedialProbabilities.Length || !(journey.Redial!.NextDouble() < journey.RedialProbabilities[attempt - 1]))
        {
            return;
        }
        var at = now + journey.RedialDelay!.Sample(journey.Redial);
        if (at < _horizon)
        {
            outbox.SetTimer(at, new Message(MessageKind.Redial, _layout.Router, CallIds.NextAttempt(callId), callType));
        }
    }

    private void Redial(in Message timer, double now, IOutbox outbox)
    {
        var journey = _journeys[timer.CallType];
        var patience = journey.RedialPatience?.Sample(journey.Redial!) ?? double.PositiveInfinity;
        if (journey.PatienceFactors is { } factors)
        {
            patience = factors.Apply(patience, now);
        }
        _recorder.Offered(timer.CallType, now);
        _recorder.Count(CallCounter.Redials, timer.CallType, now);
        Offer(new Message(MessageKind.CallOffered, _layout.Router, timer.CallId, timer.CallType, ArrivalTime: now, Value: patience), now, outbox);
    }

    private void RecordedMessageEnded(in Message call, double now, IOutbox outbox)
    {
        var journey = _journeys[call.CallType];
        if (journey.Ivr!.NextDouble() < journey.DeflectedShare)
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
        if (journey.Number >= 0 && _hours[journey.Number] is { CallBackAtClose: true } hours && !hours.IsOpen(now))
        {
            // The recorded message outlasted the opening hours: the caller is told to call back.
            _recorder.Ended(CallOutcome.Closed, call.CallId, call.CallType, call.ArrivalTime, now, now);
            ReleaseLine(call.CallType);
            MaybeRedial(call.CallId, call.CallType, now, outbox);
            return;
        }
        var group = _policy.SelectGroup(call.CallType, this);
        if (group >= 0)
        {
            Answer(group, _idle[group].PopFront(), call.CallId, call.CallType, call.ArrivalTime, now, outbox);
            return;
        }
        // The queue limit first, without a draw: the probability's draws are the same with or without a limit.
        if (_queueLength[call.CallType] >= journey.BalkingQueueAbove
            || journey.BalkingProbability > 0 && journey.Balking!.NextDouble() < journey.BalkingProbability)
        {
            _recorder.Ended(CallOutcome.Balked, call.CallId, call.CallType, call.ArrivalTime, now, now);
            ReleaseLine(call.CallType);
            MaybeRedial(call.CallId, call.CallType, now, outbox);
            return;
        }
        var slot = TakeSlot();
        _slotCall[slot] = call.CallId;
        _slotArrival[slot] = call.ArrivalTime;
        _slotLive[slot] = true;
        _queue[call.CallType].PushBack(slot);
        _queueLength[call.CallType]++;
        _totalQueued++;
        _recorder.QueueLength(now, _totalQueued);
        if (!double.IsPositiveInfinity(call.Value))
        {
            outbox.SetTimer(now + call.Value, new Message(MessageKind.PatienceExpired, _layout.Router, call.CallId, call.CallType, Operator: slot, ArrivalTime: call.ArrivalTime));
        }
    }

    private void Answer(int group, int op, long callId, int callType, double arrival, double now, IOutbox outbox)
    {
        AccrueOperatorTime(group, now);
        _busy[group]++;
        outbox.Send(new Message(MessageKind.StartService, _layout.OperatorGroup(group), callId, callType, group, op, arrival));
    }

    private void PatienceExpired(in Message timer, double now, IOutbox outbox)
    {
        var slot = timer.Operator;
        if (!_slotLive[slot] || _slotCall[slot] != timer.CallId)
        {
            return; // answered already (the slot may hold another call by now)
        }
        _slotLive[slot] = false;
        _queueLength[timer.CallType]--;
        _totalQueued--;
        _recorder.Abandoned(timer.CallId, timer.CallType, timer.ArrivalTime, now);
        ReleaseLine(timer.CallType);
        DropDeadFront(timer.CallType);
        MaybeRedial(timer.CallId, timer.CallType, now, outbox);
    }

    private void OperatorDone(int group, int op, double now, IOutbox outbox)
    {
        AccrueOperatorTime(group, now);
        _busy[group]--;
        if (_onDuty[group] > _target[group])
        {
            _onDuty[group]--; // the shift has ended: leaves after the call
            _offDuty[group].PushBack(op);
            return;
        }
        OperatorAvailable(group, op, now, outbox);
    }

    private void OperatorAvailable(int group, int op, double now, IOutbox outbox)
    {
        var callType = _policy.SelectCallType(group, this);
        if (callType < 0)
        {
            _idleSince[group][op] = now;
            _idle[group].PushBack(op);
            return;
        }
        var slot = _queue[callType].PopFront();
        _queueLength[callType]--;
        _totalQueued--;
        _slotLive[slot] = false;
        var callId = _slotCall[slot];
        var arrival = _slotArrival[slot];
        _freeSlots.PushBack(slot);
        DropDeadFront(callType);
        Answer(group, op, callId, callType, arrival, now, outbox);
    }

    private void StaffingChange(int interval, double now, IOutbox outbox)
    {
        for (var g = 0; g < _layout.GroupCount; g++)
        {
            AccrueOperatorTime(g, now);
        }
        if (interval >= _intervalCount)
        {
            return; // the horizon: operator time has been accrued up to it; staffing stays as it is for the drain
        }
        _recorder.QueueLength(now, _totalQueued);
        for (var g = 0; g < _layout.GroupCount; g++)
        {
            SetStaffing(g, _staffing[g][interval], now, outbox);
        }
        outbox.SetTimer((interval + 1) * _intervalSeconds, new Message(MessageKind.StaffingChange, _layout.Router, Operator: interval + 1));
    }

    private void SetStaffing(int group, int target, double now, IOutbox outbox)
    {
        _target[group] = target;
        // Operators still busy beyond the target leave when their call ends (see OperatorDone).
        while (_onDuty[group] > target && _idle[group].Count > 0)
        {
            _offDuty[group].PushBack(_idle[group].PopBack());
            _onDuty[group]--;
        }
        while (_onDuty[group] < target)
        {
            var op = _offDuty[group].PopBack();
            _onDuty[group]++;
            OperatorAvailable(group, op, now, outbox);
        }
    }

    private void Close(double now)
    {
        _closed = true;
        for (var t = 0; t < _queue.Length; t++)
        {
            var queue = _queue[t];
            while (queue.Count > 0)
            {
                var slot = queue.PopFront();
                if (_slotLive[slot])
                {
                    _slotLive[slot] = false;
                    _recorder.Unserved(_slotCall[slot], t, _slotArrival[slot], now);
                    ReleaseLine(t);
                }
                _freeSlots.PushBack(slot);
            }
            _queueLength[t] = 0;
        }
        _totalQueued = 0;
    }

    /// <summary>A number with <c>atClose: callBack</c> closes: its callers still waiting are told to call back (closed),
    /// and may redial.</summary>
    private void NumberClosing(in Message timer, double now, IOutbox outbox)
    {
        var number = timer.Operator;
        for (var t = 0; t < _queue.Length; t++)
        {
            if (_journeys[t].Number != number)
            {
                continue;
            }
            var queue = _queue[t];
            while (queue.Count > 0)
            {
                var slot = queue.PopFront();
                _freeSlots.PushBack(slot);
                if (_slotLive[slot])
                {
                    _slotLive[slot] = false;
                    var callId = _slotCall[slot];
                    _recorder.Ended(CallOutcome.Closed, callId, t, _slotArrival[slot], now, now);
                    ReleaseLine(t);
                    MaybeRedial(callId, t, now, outbox);
                }
            }
            _totalQueued -= _queueLength[t];
            _queueLength[t] = 0;
        }
        _recorder.QueueLength(now, _totalQueued);
        var next = now + OpeningHours.Day;
        if (next < _closeTime)
        {
            outbox.SetTimer(next, timer);
        }
    }

    private void ReleaseLine(int callType)
    {
        var number = _journeys[callType].Number;
        if (number >= 0)
        {
            _inSystem[number]--;
        }
    }

    private void AccrueOperatorTime(int group, double now)
    {
        var last = _lastOperatorChange[group];
        if (now > last)
        {
            _recorder.OperatorTime(group, last, now, _busy[group], _onDuty[group]);
            _lastOperatorChange[group] = now;
        }
    }

    private void DropDeadFront(int callType)
    {
        var queue = _queue[callType];
        while (queue.Count > 0 && !_slotLive[queue.PeekFront()])
        {
            _freeSlots.PushBack(queue.PopFront());
        }
    }

    private int TakeSlot()
    {
        if (_freeSlots.Count > 0)
        {
            return _freeSlots.PopBack();
        }
        if (_slotsUsed == _slotCall.Length)
        {
            Array.Resize(ref _slotCall, _slotCall.Length * 2);
            Array.Resize(ref _slotArrival, _slotArrival.Length * 2);
            Array.Resize(ref _slotLive, _slotLive.Length * 2);
        }
        return _slotsUsed++;
    }
}
