using System.Numerics;
using System.Runtime.CompilerServices;
using CrisisSim.Model.Components;

namespace CrisisSim.Engine;

/// <summary>The event calendar: messages and timers delivered in (time, sequence) order, the sequence being the order in
/// which they were posted. Every host drives its components from this class, so they all see the same order.</summary>
/// <remarks>A message sent now, or a timer due now, goes to a FIFO: whatever the timers hold for the same instant was
/// posted earlier (at an earlier time), so draining those first and then the FIFO is exactly (time, sequence) order.
/// A timer set in turn (<see cref="SetTimerInTurn"/>) waits in the FIFO as the message that would have set it, and is
/// posted when it reaches the front, with the sequence it would have had; it is not a delivery.
/// <para>Timers are kept by bucket of time (a calendar queue): bucket i holds the timers whose time x
/// <see cref="_inverseWidth"/> truncates to i, a non-decreasing function of the time, so every timer of a bucket comes
/// before every timer of a later one. The current bucket is a small binary heap in (time, sequence) order; the next
/// <see cref="RingSize"/> buckets are unordered lists in a ring (with a bitmap of those holding any); later timers wait
/// in an overflow heap, moved into the ring as it reaches them. The order is exactly (time, sequence) whatever the
/// width, which is only tuned, from time to time, so that a bucket holds a few timers.</para></remarks>
public sealed class Calendar : IOutbox
{
    private struct Entry
    {
        public double Time;
        public long Sequence;
        public int Slot;
    }

    /// <summary>A timer in a bucket of the ring, by its payload slot: its time, sequence and the next slot of the
    /// bucket's list.</summary>
    private struct Node
    {
        public double Time;
        public long Sequence;
        public int Next;
    }

    private const int RingSize = 4096;
    private const int RingMask = RingSize - 1;
    private const double MaxIndex = 1L << 60;
    private readonly int _tuneEvery;

    // The current bucket: a binary heap.
    private Entry[] _heap = new Entry[64];
    private int _heapCount;
    private long _current;

    // The ring: per bucket, a list linked through the timers' slots (-1 ends it).
    private readonly int[] _ringHead = new int[RingSize];
    private readonly ulong[] _ringBits = new ulong[RingSize / 64];
    private int _ringCount;
    private Node[] _nodes = new Node[256];

    // Timers beyond the ring: a binary heap.
    private Entry[] _overflow = new Entry[64];
    private int _overflowCount;

    private double _inverseWidth = 1;
    private int _advances;
    private long _poppedAtTune;
    private long _overflowPosts;
    private long _posts;

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
    private long _popped;
    private double _time;
    private long _delivered;

    public Calendar()
        : this(1, 4096)
    {
    }

    /// <param name="inverseWidth">Buckets per second to start with.</param>
    /// <param name="tuneEvery">Buckets between two looks at the width.</param>
    internal Calendar(double inverseWidth, int tuneEvery = 4096)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inverseWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tuneEvery);
        _inverseWidth = inverseWidth;
        _tuneEvery = tuneEvery;
        Array.Fill(_ringHead, -1);
    }

    /// <summary>Time of the last message handed out.</summary>
    public double Now => _time;

    public long Delivered => _delivered;

    public void Send(in Message message) => PushNow(double.NaN, message);

    public void SetTimerInTurn(double at, in Message message)
    {
        if (double.IsNaN(at))
        {
            throw new InvalidOperationException($"A timer was set at NaN for {message.Kind}");
        }
        PushNow(at, message);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
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
        if (!(at > _time))
        {
            if (at < _time || double.IsNaN(at))
            {
                throw new InvalidOperationException($"A timer was set in the past ({at} < {_time}) for {message.Kind}");
            }
            Send(message);
            return;
        }
        Post(at, message);
    }

    /// <summary>Posts a timer due strictly after now, with the next sequence.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Post(double at, in Message message)
    {
        var slot = TakePayload();
        _payload[slot] = message;
        Place(at, _sequence++, slot);
    }

    /// <summary>Puts a timer in its bucket: the current one, one of the ring or the overflow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Place(double at, long sequence, int slot)
    {
        _posts++;
        var scaled = at * _inverseWidth;
        if (scaled < MaxIndex)
        {
            var index = (long)scaled;
            if (index <= _current)
            {
                PushHeap(ref _heap, ref _heapCount, at, sequence, slot);
                return;
            }
            if (index - _current <= RingSize)
            {
                var bucket = (int)(index & RingMask);
                ref var node = ref _nodes[slot];
                node.Time = at;
                node.Sequence = sequence;
                node.Next = _ringHead[bucket];
                _ringHead[bucket] = slot;
                _ringBits[bucket >> 6] |= 1UL << bucket;
                _ringCount++;
                return;
            }
        }
        else if (_current == long.MaxValue)
        {
            // The current bucket already holds timers too far to number: later ones join it.
            PushHeap(ref _heap, ref _heapCount, at, sequence, slot);
            return;
        }
        _overflowPosts++;
        PushHeap(ref _overflow, ref _overflowCount, at, sequence, slot);
    }

    /// <summary>The next message in (time, sequence) order, if any.</summary>
    public bool TryNext(out double time, out Message message)
    {
        while (true)
        {
            if (_heapCount > 0 && (_nowCount == 0 || _heap[0].Time <= _time))
            {
                var heap = _heap;
                var top = heap[0];
                var count = --_heapCount;
                if (count > 0)
                {
                    SiftDown(heap, count, heap[count]);
                }
                var slot = top.Slot;
                message = _payload[slot];
                _freePayload[_freePayloadCount++] = slot;
                _time = top.Time;
                _popped++;
            }
            else if (_nowCount > 0)
            {
                var head = _nowHead;
                var at = _nowAt[head];
                _nowHead = (head + 1) & (_now.Length - 1);
                _nowCount--;
                if (!double.IsNaN(at))
                {
                    // Its turn: posted now, as the message's receiver would have posted it.
                    if (at > _time)
                    {
                        Post(at, _now[head]);
                    }
                    else
                    {
                        SetTimer(at, _now[head]);
                    }
                    continue;
                }
                message = _now[head];
            }
            else if (Advance())
            {
                continue;
            }
            else
            {
                time = _time;
                message = default;
                return false;
            }
            time = _time;
            _delivered++;
            return true;
        }
    }

    /// <summary>The current bucket is empty: the next bucket holding timers becomes the current one. False: no timer is
    /// left.</summary>
    private bool Advance()
    {
        if (_ringCount == 0)
        {
            if (_overflowCount == 0)
            {
                return false;
            }
            // Nothing in the ring: it moves on to the earliest timer beyond it.
            var scaled = _overflow[0].Time * _inverseWidth;
            if (!(scaled < MaxIndex))
            {
                // Timers too far to number: they come out of the overflow heap in order, as the last bucket.
                _current = long.MaxValue;
                while (_overflowCount > 0)
                {
                    var e = PopHeap(_overflow, ref _overflowCount);
                    PushHeap(ref _heap, ref _heapCount, e.Time, e.Sequence, e.Slot);
                }
                return true;
            }
            _current = (long)scaled - 1;
            PullOverflow();
        }
        if (++_advances >= _tuneEvery && Tune())
        {
            return true;
        }
        _current = NextBucket();
        var bucket = (int)(_current & RingMask);
        _ringBits[bucket >> 6] &= ~(1UL << bucket);
        for (var slot = _ringHead[bucket]; slot >= 0;)
        {
            ref readonly var node = ref _nodes[slot];
            PushHeap(ref _heap, ref _heapCount, node.Time, node.Sequence, slot);
            _ringCount--;
            slot = node.Next;
        }
        _ringHead[bucket] = -1;
        // Then the ring reaches one bucket further, in the list just emptied.
        PullOverflow();
        return true;
    }

    /// <summary>The index of the first bucket after the current one that holds timers (the ring holds some).</summary>
    private long NextBucket()
    {
        var start = (int)((_current + 1) & RingMask);
        var word = start >> 6;
        var bits = _ringBits[word] & (ulong.MaxValue << start);
        var scanned = 0;
        while (bits == 0)
        {
            word = (word + 1) & (RingSize / 64 - 1);
            bits = _ringBits[word];
            if (++scanned > RingSize / 64)
            {
                throw new InvalidOperationException("The event calendar's ring lost its timers");
            }
        }
        var bucket = (word << 6) | BitOperations.TrailingZeroCount(bits);
        return _current + 1 + ((bucket - start) & RingMask);
    }

    /// <summary>Moves the overflow timers the ring now reaches into it (or into the current bucket).</summary>
    private void PullOverflow()
    {
        while (_overflowCount > 0)
        {
            var scaled = _overflow[0].Time * _inverseWidth;
            if (!(scaled < MaxIndex) || (long)scaled - _current > RingSize)
            {
                return;
            }
            var e = PopHeap(_overflow, ref _overflowCount);
            _posts--;
            _overflowPosts--;
            Place(e.Time, e.Sequence, e.Slot);
        }
    }

    /// <summary>Every few thousand buckets, the width is halved when a bucket holds many timers, or doubled when many
    /// timers go beyond the ring while buckets hold few; then every timer is placed again. Only speed depends on it.</summary>
    private bool Tune()
    {
        var perBucket = (double)(_popped - _poppedAtTune) / _advances;
        var overflowShare = _posts == 0 ? 0 : (double)_overflowPosts / _posts;
        _advances = 0;
        _poppedAtTune = _popped;
        _posts = 0;
        _overflowPosts = 0;
        double factor;
        if (perBucket > 6 && _inverseWidth < 1e6)
        {
            factor = 2;
        }
        else if (perBucket < 1.5 && overflowShare > 0.05 && _inverseWidth > 1e-6)
        {
            factor = 0.5;
        }
        else
        {
            return false;
        }
        // Every timer out, then placed again from the bucket of now.
        var all = new List<Entry>(_heapCount + _ringCount + _overflowCount);
        for (var i = 0; i < _heapCount; i++)
        {
            all.Add(_heap[i]);
        }
        for (var bucket = 0; bucket < RingSize; bucket++)
        {
            for (var slot = _ringHead[bucket]; slot >= 0; slot = _nodes[slot].Next)
            {
                all.Add(new Entry { Time = _nodes[slot].Time, Sequence = _nodes[slot].Sequence, Slot = slot });
            }
            _ringHead[bucket] = -1;
        }
        for (var i = 0; i < _overflowCount; i++)
        {
            all.Add(_overflow[i]);
        }
        Array.Clear(_ringBits);
        _heapCount = 0;
        _ringCount = 0;
        _overflowCount = 0;
        _inverseWidth *= factor;
        var now = _time * _inverseWidth;
        _current = now < MaxIndex ? (long)now : long.MaxValue;
        foreach (var e in all)
        {
            Place(e.Time, e.Sequence, e.Slot);
        }
        _posts = 0;
        _overflowPosts = 0;
        return true;
    }

    private static bool Before(double time, long sequence, in Entry other) =>
        time < other.Time || (time == other.Time && sequence < other.Sequence);

    private static void PushHeap(ref Entry[] heap, ref int count, double time, long sequence, int slot)
    {
        if (count == heap.Length)
        {
            Array.Resize(ref heap, heap.Length * 2);
        }
        var h = heap;
        var index = count++;
        while (index > 0)
        {
            var parent = (index - 1) >> 1;
            if (!Before(time, sequence, h[parent]))
            {
                break;
            }
            h[index] = h[parent];
            index = parent;
        }
        ref var e = ref h[index];
        e.Time = time;
        e.Sequence = sequence;
        e.Slot = slot;
    }

    private static Entry PopHeap(Entry[] heap, ref int count)
    {
        var top = heap[0];
        if (--count > 0)
        {
            SiftDown(heap, count, heap[count]);
        }
        return top;
    }

    /// <summary>Fills the hole at the root of a heap of <paramref name="count"/> entries with <paramref name="entry"/>.</summary>
    private static void SiftDown(Entry[] heap, int count, Entry entry)
    {
        var index = 0;
        while (true)
        {
            var child = 2 * index + 1;
            if (child >= count)
            {
                break;
            }
            if (child + 1 < count && Before(heap[child + 1].Time, heap[child + 1].Sequence, heap[child]))
            {
                child++;
            }
            if (!Before(heap[child].Time, heap[child].Sequence, entry))
            {
                break;
            }
            heap[index] = heap[child];
            index = child;
        }
        heap[index] = entry;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int TakePayload()
    {
        if (_freePayloadCount > 0)
        {
            return _freePayload[--_freePayloadCount];
        }
        if (_payloadUsed == _payload.Length)
        {
            GrowPayload();
        }
        return _payloadUsed++;
    }

    private void GrowPayload()
    {
        var length = _payload.Length * 2;
        Array.Resize(ref _payload, length);
        Array.Resize(ref _freePayload, length);
        Array.Resize(ref _nodes, length);
    }

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
