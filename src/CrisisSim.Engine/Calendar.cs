using CrisisSim.Model.Components;

namespace CrisisSim.Engine;

/// <summary>The event calendar: messages and timers delivered in (time, sequence) order, the sequence being the order in
/// which they were posted. Every host drives its components from this class, so they all see the same order.</summary>
/// <remarks>A message sent now, or a timer due now, goes to a FIFO: whatever the heap holds for the same instant was
/// posted earlier (at an earlier time), so draining those first and then the FIFO is exactly (time, sequence) order.
/// A timer set in turn (<see cref="SetTimerInTurn"/>) waits in the FIFO as the message that would have set it, and is
/// posted when it reaches the front, with the sequence it would have had; it is not a delivery.</remarks>
public sealed class Calendar : IOutbox
{
    private struct Entry
    {
        public double Time;
        public long Sequence;
        public int Slot;
    }

    private Entry[] _heap = new Entry[256];
    private int _heapCount;
    private Message[] _payload = new Message[256];
    private int[] _freePayload = new int[256];
    private int _freePayloadCount;
    private int _payloadUsed;

    private Message[] _now = new Message[64];
    // Per FIFO entry: NaN for a message to deliver, else the due time of a timer set in turn.
    private double[] _nowAt = new double[64];
    private int _nowHead;
    private int _nowCount;

    private long _sequence;

    /// <summary>Time of the last message handed out.</summary>
    public double Now { get; private set; }

    public long Delivered { get; private set; }

    public void Send(in Message message) => PushNow(double.NaN, message);

    public void SetTimerInTurn(double at, in Message message)
    {
        if (double.IsNaN(at))
        {
            throw new InvalidOperationException($"A timer was set at NaN for {message.Kind}");
        }
        PushNow(at, message);
    }

    private void PushNow(double at, in Message message)
    {
        _sequence++;
        if (_nowCount == _now.Length)
        {
            GrowNow();
        }
        var tail = (_nowHead + _nowCount) & (_now.Length - 1);
        _now[tail] = message;
        _nowAt[tail] = at;
        _nowCount++;
    }

    public void SetTimer(double at, in Message message)
    {
        if (!(at > Now))
        {
            if (at < Now || double.IsNaN(at))
            {
                throw new InvalidOperationException($"A timer was set in the past ({at} < {Now}) for {message.Kind}");
            }
            Send(message);
            return;
        }
        var slot = TakePayload();
        _payload[slot] = message;
        if (_heapCount == _heap.Length)
        {
            Array.Resize(ref _heap, _heap.Length * 2);
        }
        var entry = new Entry { Time = at, Sequence = _sequence++, Slot = slot };
        SiftUp(_heapCount++, entry);
    }

    /// <summary>The next message in (time, sequence) order, if any.</summary>
    public bool TryNext(out double time, out Message message)
    {
        while (true)
        {
            if (_heapCount > 0 && (_nowCount == 0 || _heap[0].Time <= Now))
            {
                var top = _heap[0];
                _heapCount--;
                if (_heapCount > 0)
                {
                    SiftDown(0, _heap[_heapCount]);
                }
                message = _payload[top.Slot];
                ReleasePayload(top.Slot);
                Now = top.Time;
            }
            else if (_nowCount > 0)
            {
                message = _now[_nowHead];
                var at = _nowAt[_nowHead];
                _nowHead = (_nowHead + 1) & (_now.Length - 1);
                _nowCount--;
                if (!double.IsNaN(at))
                {
                    SetTimer(at, message); // its turn: posted now, as the message's receiver would have posted it
                    continue;
                }
            }
            else
            {
                time = Now;
                message = default;
                return false;
            }
            time = Now;
            Delivered++;
            return true;
        }
    }

    private static bool Before(in Entry a, in Entry b) => a.Time < b.Time || (a.Time == b.Time && a.Sequence < b.Sequence);

    private void SiftUp(int index, Entry entry)
    {
        var heap = _heap;
        while (index > 0)
        {
            var parent = (index - 1) >> 1;
            if (!Before(entry, heap[parent]))
            {
                break;
            }
            heap[index] = heap[parent];
            index = parent;
        }
        heap[index] = entry;
    }

    private void SiftDown(int index, Entry entry)
    {
        var heap = _heap;
        var count = _heapCount;
        while (true)
        {
            var child = 2 * index + 1;
            if (child >= count)
            {
                break;
            }
            if (child + 1 < count && Before(heap[child + 1], heap[child]))
            {
                child++;
            }
            if (!Before(heap[child], entry))
            {
                break;
            }
            heap[index] = heap[child];
            index = child;
        }
        heap[index] = entry;
    }

    private int TakePayload()
    {
        if (_freePayloadCount > 0)
        {
            return _freePayload[--_freePayloadCount];
        }
        if (_payloadUsed == _payload.Length)
        {
            Array.Resize(ref _payload, _payload.Length * 2);
            Array.Resize(ref _freePayload, _payload.Length);
        }
        return _payloadUsed++;
    }

    private void ReleasePayload(int slot) => _freePayload[_freePayloadCount++] = slot;

    private void GrowNow()
    {
        var bigger = new Message[_now.Length * 2];
        var biggerAt = new double[bigger.Length];
        for (var i = 0; i < _nowCount; i++)
        {
            bigger[i] = _now[(_nowHead + i) & (_now.Length - 1)];
            biggerAt[i] = _nowAt[(_nowHead + i) & (_now.Length - 1)];
        }
        _now = bigger;
        _nowAt = biggerAt;
        _nowHead = 0;
    }
}
