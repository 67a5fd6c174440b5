namespace CrisisSim.Model.Components;

/// <summary>The callbacks callers accepted and the outbound calls to make, per call type in request order: a type's
/// deadline is the same for each request, so the front has the earliest deadline. A request leaves only from the front
/// (made, or missed at close), so its index is reused.</summary>
public sealed class CallbackRequests
{
    private long[] _call = new long[16];
    private double[] _arrival = new double[16];
    private double[] _deadline = new double[16];
    private readonly IntDeque _free = new();
    private int _used;
    private readonly IntDeque[] _byCallType;

    public CallbackRequests(int callTypeCount)
    {
        _byCallType = new IntDeque[callTypeCount];
        for (var t = 0; t < callTypeCount; t++)
        {
            _byCallType[t] = new IntDeque();
        }
    }

    /// <summary>Requests waiting, over all call types.</summary>
    public int Pending { get; private set; }

    public void Add(long callId, int callType, double arrival, double deadline)
    {
        int index;
        if (_free.Count > 0)
        {
            index = _free.PopBack();
        }
        else
        {
            if (_used == _call.Length)
            {
                Array.Resize(ref _call, _call.Length * 2);
                Array.Resize(ref _arrival, _arrival.Length * 2);
                Array.Resize(ref _deadline, _deadline.Length * 2);
            }
            index = _used++;
        }
        _call[index] = callId;
        _arrival[index] = arrival;
        _deadline[index] = deadline;
        _byCallType[callType].PushBack(index);
        Pending++;
    }

    /// <summary>The deadline of the type's oldest request; the type must have one.</summary>
    public double FrontDeadline(int callType) => _deadline[_byCallType[callType].PeekFront()];

    /// <summary>Of the call types given, the one whose oldest request has the earliest deadline, or -1.</summary>
    public int Earliest(ReadOnlySpan<int> callTypes)
    {
        var best = -1;
        var bestDeadline = double.PositiveInfinity;
        foreach (var t in callTypes)
        {
            if (_byCallType[t].Count > 0 && _deadline[_byCallType[t].PeekFront()] < bestDeadline)
            {
                best = t;
                bestDeadline = _deadline[_byCallType[t].PeekFront()];
            }
        }
        return best;
    }

    /// <summary>Of the call types given and not <paramref name="excluded"/>, the one whose oldest request has the earliest
    /// deadline, or -1.</summary>
    public int Earliest(ReadOnlySpan<int> callTypes, bool[] excluded)
    {
        var best = -1;
        var bestDeadline = double.PositiveInfinity;
        foreach (var t in callTypes)
        {
            if (!excluded[t] && _byCallType[t].Count > 0 && _deadline[_byCallType[t].PeekFront()] < bestDeadline)
            {
                best = t;
                bestDeadline = _deadline[_byCallType[t].PeekFront()];
            }
        }
        return best;
    }

    /// <summary>Takes the type's oldest request out; the type must have one.</summary>
    public (long CallId, double Arrival, double Deadline) TakeFront(int callType)
    {
        var index = _byCallType[callType].PopFront();
        Pending--;
        _free.PushBack(index);
        return (_call[index], _arrival[index], _deadline[index]);
    }

    /// <summary>Takes the type's oldest request out, if any, giving its arrival.</summary>
    public bool TryTakeFront(int callType, out double arrival)
    {
        if (_byCallType[callType].Count == 0)
        {
            arrival = 0;
            return false;
        }
        arrival = TakeFront(callType).Arrival;
        return true;
    }
}
