namespace CrisisSim.Model.Recording;

/// <summary>Counters of the calls that arrived in one interval and are of one call type.</summary>
public struct CallCounters
{
    public long Offered;
    public long Answered;
    public long AnsweredWithinThreshold;
    public long Abandoned;
    public long AbandonedWithinThreshold;
    public long Unserved;
    public double AnsweredWaitSum;
    public double AbandonedWaitSum;
    public double UnservedWaitSum;
    public double HandleTimeSum;

    public readonly long Ended => Answered + Abandoned + Unserved;

    public void Add(in CallCounters o)
    {
        Offered += o.Offered;
        Answered += o.Answered;
        AnsweredWithinThreshold += o.AnsweredWithinThreshold;
        Abandoned += o.Abandoned;
        AbandonedWithinThreshold += o.AbandonedWithinThreshold;
        Unserved += o.Unserved;
        AnsweredWaitSum += o.AnsweredWaitSum;
        AbandonedWaitSum += o.AbandonedWaitSum;
        UnservedWaitSum += o.UnservedWaitSum;
        HandleTimeSum += o.HandleTimeSum;
    }
}

/// <summary>Per-interval accumulators written by one component. Call outcomes go to the interval in which the call
/// arrived; queue lengths and operator time go to the interval in which they happened. Memory depends on the number
/// of intervals, call types and groups, never on the number of calls (unless the call log is kept).</summary>
public sealed class Recorder
{
    private readonly CallCounters[] _calls;
    private readonly WaitHistogram?[] _waits;
    private readonly int[] _maxQueue;
    private readonly double[] _busySeconds;
    private readonly double[] _staffedSeconds;

    public Recorder(int intervalCount, double intervalSeconds, int callTypeCount, int groupCount, double thresholdSeconds, bool keepCallLog)
    {
        IntervalCount = intervalCount;
        IntervalSeconds = intervalSeconds;
        CallTypeCount = callTypeCount;
        GroupCount = groupCount;
        ThresholdSeconds = thresholdSeconds;
        _calls = new CallCounters[intervalCount * callTypeCount];
        _waits = new WaitHistogram?[intervalCount * callTypeCount];
        _maxQueue = new int[intervalCount];
        _busySeconds = new double[intervalCount * groupCount];
        _staffedSeconds = new double[intervalCount * groupCount];
        CallLog = keepCallLog ? [] : null;
    }

    public int IntervalCount { get; }
    public double IntervalSeconds { get; }
    public int CallTypeCount { get; }
    public int GroupCount { get; }
    public double ThresholdSeconds { get; }

    /// <summary>Every call's record, in the order they ended, when the log was requested; otherwise null.</summary>
    public List<CallRecord>? CallLog { get; }

    public int IntervalOf(double time)
    {
        var k = (int)(time / IntervalSeconds);
        return k < 0 ? 0 : k >= IntervalCount ? IntervalCount - 1 : k;
    }

    public ref readonly CallCounters Calls(int interval, int callType) => ref _calls[interval * CallTypeCount + callType];

    public WaitHistogram? Waits(int interval, int callType) => _waits[interval * CallTypeCount + callType];

    public int MaxQueueLength(int interval) => _maxQueue[interval];

    public double BusySeconds(int interval, int group) => _busySeconds[interval * GroupCount + group];

    public double StaffedSeconds(int interval, int group) => _staffedSeconds[interval * GroupCount + group];

    public void Offered(int callType, double arrivalTime) => _calls[IntervalOf(arrivalTime) * CallTypeCount + callType].Offered++;

    public void Answered(long callId, int callType, double arrivalTime, double answerTime, double handleTime, int group, int op)
    {
        var cell = IntervalOf(arrivalTime) * CallTypeCount + callType;
        var wait = answerTime - arrivalTime;
        ref var c = ref _calls[cell];
        c.Answered++;
        if (wait <= ThresholdSeconds)
        {
            c.AnsweredWithinThreshold++;
        }
        c.AnsweredWaitSum += wait;
        c.HandleTimeSum += handleTime;
        WaitsOf(cell).Add(wait);
        CallLog?.Add(new CallRecord(callId, callType, arrivalTime, CallOutcome.Answered, answerTime, answerTime + handleTime, group, op));
    }

    public void Abandoned(long callId, int callType, double arrivalTime, double hangUpTime)
    {
        var cell = IntervalOf(arrivalTime) * CallTypeCount + callType;
        var wait = hangUpTime - arrivalTime;
        ref var c = ref _calls[cell];
        c.Abandoned++;
        if (wait <= ThresholdSeconds)
        {
            c.AbandonedWithinThreshold++;
        }
        c.AbandonedWaitSum += wait;
        WaitsOf(cell).Add(wait);
        CallLog?.Add(new CallRecord(callId, callType, arrivalTime, CallOutcome.Abandoned, hangUpTime, hangUpTime, -1, -1));
    }

    public void Unserved(long callId, int callType, double arrivalTime, double closeTime)
    {
        var cell = IntervalOf(arrivalTime) * CallTypeCount + callType;
        var wait = closeTime - arrivalTime;
        ref var c = ref _calls[cell];
        c.Unserved++;
        c.UnservedWaitSum += wait;
        WaitsOf(cell).Add(wait);
        CallLog?.Add(new CallRecord(callId, callType, arrivalTime, CallOutcome.Unserved, closeTime, closeTime, -1, -1));
    }

    /// <summary>Notes a queue length seen in the interval containing <paramref name="time"/> (before the horizon only).</summary>
    public void QueueLength(double time, int length)
    {
        var k = (int)(time / IntervalSeconds);
        if (k < IntervalCount && length > _maxQueue[k])
        {
            _maxQueue[k] = length;
        }
    }

    /// <summary>Adds operator time of a group over [from, to), split across intervals; time past the horizon is not counted.</summary>
    public void OperatorTime(int group, double from, double to, int busy, int staffed)
    {
        while (from < to)
        {
            var k = (int)(from / IntervalSeconds);
            if (k >= IntervalCount)
            {
                return;
            }
            var end = Math.Min(to, (k + 1) * IntervalSeconds);
            var dt = end - from;
            _busySeconds[k * GroupCount + group] += busy * dt;
            _staffedSeconds[k * GroupCount + group] += staffed * dt;
            from = end;
        }
    }

    /// <summary>Adds another component's records. Hosts merge in address order so sums are identical everywhere.</summary>
    public void MergeFrom(Recorder other)
    {
        for (var i = 0; i < _calls.Length; i++)
        {
            _calls[i].Add(other._calls[i]);
            if (other._waits[i] is { } h)
            {
                WaitsOf(i).MergeFrom(h);
            }
        }
        for (var k = 0; k < _maxQueue.Length; k++)
        {
            _maxQueue[k] = Math.Max(_maxQueue[k], other._maxQueue[k]);
        }
        for (var i = 0; i < _busySeconds.Length; i++)
        {
            _busySeconds[i] += other._busySeconds[i];
            _staffedSeconds[i] += other._staffedSeconds[i];
        }
        if (CallLog is not null && other.CallLog is not null)
        {
            CallLog.AddRange(other.CallLog);
        }
    }

    /// <summary>The recorder's content as plain arrays, for hosts that carry it between processes.</summary>
    public RecorderState ToState() => new(
        IntervalCount,
        IntervalSeconds,
        CallTypeCount,
        GroupCount,
        ThresholdSeconds,
        [.. _calls],
        [.. _waits.Select(h => h?.ToCounts())],
        [.. _maxQueue],
        [.. _busySeconds],
        [.. _staffedSeconds],
        CallLog?.ToArray());

    public static Recorder FromState(RecorderState state)
    {
        var r = new Recorder(state.IntervalCount, state.IntervalSeconds, state.CallTypeCount, state.GroupCount, state.ThresholdSeconds, state.CallLog is not null);
        if (state.Calls.Length != r._calls.Length || state.Waits.Length != r._waits.Length || state.MaxQueue.Length != r._maxQueue.Length
            || state.BusySeconds.Length != r._busySeconds.Length || state.StaffedSeconds.Length != r._staffedSeconds.Length)
        {
            throw new ArgumentException("Recorder state arrays do not match its dimensions", nameof(state));
        }
        state.Calls.CopyTo(r._calls, 0);
        for (var i = 0; i < state.Waits.Length; i++)
        {
            r._waits[i] = state.Waits[i] is { } counts ? WaitHistogram.FromCounts(counts) : null;
        }
        state.MaxQueue.CopyTo(r._maxQueue, 0);
        state.BusySeconds.CopyTo(r._busySeconds, 0);
        state.StaffedSeconds.CopyTo(r._staffedSeconds, 0);
        r.CallLog?.AddRange(state.CallLog!);
        return r;
    }

    private WaitHistogram WaitsOf(int cell) => _waits[cell] ??= new WaitHistogram();
}

/// <summary>A <see cref="Recorder"/> as plain arrays (see <see cref="Recorder.ToState"/>).</summary>
public sealed record RecorderState(
    int IntervalCount,
    double IntervalSeconds,
    int CallTypeCount,
    int GroupCount,
    double ThresholdSeconds,
    CallCounters[] Calls,
    long[]?[] Waits,
    int[] MaxQueue,
    double[] BusySeconds,
    double[] StaffedSeconds,
    CallRecord[]? CallLog);
