namespace CrisisSim.Model.Components;

/// <summary>The callers waiting, one queue per call type in arrival order. Waiting calls live in slots; a queue is a
/// ring of slots, and an abandoned call stays in its queue as a dead slot until it reaches the front, so the front of a
/// queue is always a call still waiting.</summary>
public sealed class WaitingQueues
{
    private long[] _slotCall = new long[64];
    private double[] _slotArrival = new double[64];
    private bool[] _slotLive = new bool[64];
    private readonly IntDeque _freeSlots = new();
    private int _slotsUsed;
    private readonly IntDeque[] _queue;
    private readonly int[] _length;

    public WaitingQueues(int callTypeCount)
    {
        _queue = new IntDeque[callTypeCount];
        _length = new int[callTypeCount];
        for (var t = 0; t < callTypeCount; t++)
        {
            _queue[t] = new IntDeque();
        }
    }

    public int CallTypeCount => _queue.Length;

    /// <summary>Callers waiting, over all call types.</summary>
    public int Total { get; private set; }

    /// <summary>Callers of the type waiting.</summary>
    public int Length(int callType) => _length[callType];

    /// <summary>When the type's longest waiting caller arrived; +inf when none waits.</summary>
    public double OldestArrival(int callType) =>
        _length[callType] == 0 ? double.PositiveInfinity : _slotArrival[_queue[callType].PeekFront()];

    /// <summary>The call joins the back of its type's queue; returns its slot (the patience timer names it).</summary>
    public int Add(long callId, int callType, double arrival)
    {
        var slot = TakeSlot();
        _slotCall[slot] = callId;
        _slotArrival[slot] = arrival;
        _slotLive[slot] = true;
        _queue[callType].PushBack(slot);
        _length[callType]++;
        Total++;
        return slot;
    }

    /// <summary>The caller in the slot hangs up, if the slot still holds this call waiting; false: answered already
    /// (the slot may hold another call by now).</summary>
    public bool TryAbandon(int slot, long callId, int callType)
    {
        if (!_slotLive[slot] || _slotCall[slot] != callId)
        {
            return false;
        }
        _slotLive[slot] = false;
        _length[callType]--;
        Total--;
        DropDeadFront(callType);
        return true;
    }

    /// <summary>Takes the type's longest waiting caller out; one must wait.</summary>
    public (long CallId, double Arrival) TakeOldest(int callType)
    {
        var slot = _queue[callType].PopFront();
        _length[callType]--;
        Total--;
        _slotLive[slot] = false;
        var call = (_slotCall[slot], _slotArrival[slot]);
        _freeSlots.PushBack(slot);
        DropDeadFront(callType);
        return call;
    }

    /// <summary>Takes the type's longest waiting caller out, if any (the queue closes).</summary>
    public bool TryTakeOldest(int callType, out long callId, out double arrival)
    {
        var queue = _queue[callType];
        while (queue.Count > 0)
        {
            var slot = queue.PopFront();
            _freeSlots.PushBack(slot);
            if (_slotLive[slot])
            {
                _slotLive[slot] = false;
                _length[callType]--;
                Total--;
                callId = _slotCall[slot];
                arrival = _slotArrival[slot];
                return true;
            }
        }
        callId = -1;
        arrival = 0;
        return false;
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
