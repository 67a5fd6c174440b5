namespace CrisisSim.Model.Recording;

/// <summary>The counters (see <see cref="CallCounter"/>) of the calls that arrived in one interval and are of one call
/// type: a view of a row of the recorder's table, or a running sum (<see cref="Sum"/>).</summary>
public readonly struct CallCounters
{
    private readonly double[]? _values;
    private readonly int _offset;

    internal CallCounters(double[]? values, int offset)
    {
        _values = values;
        _offset = offset;
    }

    /// <summary>A fresh, writable row to add others to.</summary>
    public static CallCounters Sum() => new(new double[CallCounter.Count], 0);

    public double this[int counter] => _values is null ? 0 : _values[_offset + counter];

    public long Offered => (long)this[CallCounter.Offered];
    public long Answered => (long)this[CallCounter.Answered];
    public long Abandoned => (long)this[CallCounter.Abandoned];
    public long Unserved => (long)this[CallCounter.Unserved];

    /// <summary>Calls that ended, whatever the outcome.</summary>
    public long Ended
    {
        get
        {
            double ended = 0;
            foreach (var o in CallOutcomes.All)
            {
                ended += this[o.Counter];
            }
            return (long)ended;
        }
    }

    /// <summary>Adds another row to this one (made by <see cref="Sum"/>).</summary>
    public void Add(in CallCounters o)
    {
        var values = _values ?? throw new InvalidOperationException("Only a row made by Sum() can be added to");
        if (o._values is null)
        {
            return;
        }
        for (var i = 0; i < CallCounter.Count; i++)
        {
            values[_offset + i] += o._values[o._offset + i];
        }
    }

    /// <summary>The row's values, in <see cref="CallCounter"/> order.</summary>
    public double[] ToArray()
    {
        var a = new double[CallCounter.Count];
        for (var i = 0; i < a.Length; i++)
        {
            a[i] = this[i];
        }
        return a;
    }
}

/// <summary>Per-interval accumulators written by one component. Call outcomes go to the interval in which the call
/// arrived; queue lengths and operator time go to the interval in which they happened.</summary>
/// <remarks>Memory follows what the component records, never the number of calls (unless the call log is kept): a
/// row of intervals is allocated for a call type or a group only when the component first records something for it
/// (a caller source one call type, an operator group the types it serves, the router all of them), and a wait
/// histogram per interval and call type grows with the distinct waits it holds (see <see cref="WaitHistogram"/>).</remarks>
public sealed class Recorder
{
    private readonly Dictionary<int, CallRow> _callRows = [];
    private readonly Dictionary<int, GroupRow> _groupRows = [];
    private int[]? _maxQueue;
    private int _lastCallType = -1;
    private CallRow? _lastCallRow;
    private int _lastGroup = -1;
    private GroupRow? _lastGroupRow;

    public Recorder(int intervalCount, double intervalSeconds, int callTypeCount, int groupCount, double thresholdSeconds, bool keepCallLog)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(intervalCount, 1);
        IntervalCount = intervalCount;
        IntervalSeconds = intervalSeconds;
        CallTypeCount = callTypeCount;
        GroupCount = groupCount;
        ThresholdSeconds = thresholdSeconds;
        CallLog = keepCallLog ? [] : null;
    }

    /// <summary>A recorder that hands each call's record to <paramref name="callLog"/> as the call ends, holding none.</summary>
    public Recorder(int intervalCount, double intervalSeconds, int callTypeCount, int groupCount, double thresholdSeconds, ICallLogSink callLog)
        : this(intervalCount, intervalSeconds, callTypeCount, groupCount, thresholdSeconds, keepCallLog: false)
    {
        CallLogSink = callLog ?? throw new ArgumentNullException(nameof(callLog));
    }

    public int IntervalCount { get; }
    public double IntervalSeconds { get; }
    public int CallTypeCount { get; }
    public int GroupCount { get; }
    public double ThresholdSeconds { get; }

    /// <summary>Every call's record, in the order they ended, when the log was requested; otherwise null.</summary>
    public List<CallRecord>? CallLog { get; }

    /// <summary>Where each call's record goes as it ends, when the host streams the call log; otherwise null.</summary>
    public ICallLogSink? CallLogSink { get; }

    public int IntervalOf(double time)
    {
        var k = (int)(time / IntervalSeconds);
        return k < 0 ? 0 : k >= IntervalCount ? IntervalCount - 1 : k;
    }

    public CallCounters Calls(int interval, int callType) =>
        _callRows.TryGetValue(callType, out var row) ? new CallCounters(row.Counters, interval * CallCounter.Count) : default;

    public WaitHistogram? Waits(int interval, int callType) =>
        _callRows.TryGetValue(callType, out var row) ? row.Waits[interval] : null;

    public int MaxQueueLength(int interval) => _maxQueue?[interval] ?? 0;

    public double BusySeconds(int interval, int group) => _groupRows.TryGetValue(group, out var row) ? row.Busy[interval] : 0;

    public double StaffedSeconds(int interval, int group) => _groupRows.TryGetValue(group, out var row) ? row.Staffed[interval] : 0;

    public void Offered(int callType, double arrivalTime) => CallRowOf(callType).Counters[IntervalOf(arrivalTime) * CallCounter.Count + CallCounter.Offered]++;

    /// <summary>Adds to a counter of the calls of a type that arrived at <paramref name="arrivalTime"/>.</summary>
    public void Count(int counter, int callType, double arrivalTime, double amount = 1) =>
        CallRowOf(callType).Counters[IntervalOf(arrivalTime) * CallCounter.Count + counter] += amount;

    public void Answered(long callId, int callType, double arrivalTime, double answerTime, double handleTime, int group, int op, double afterCallWork = 0)
    {
        var row = Record(CallOutcomes.Of(CallOutcome.Answered), callId, callType, arrivalTime, answerTime, answerTime + handleTime, group, op, CallOutcome.Answered, afterCallWork);
        row.Counters[IntervalOf(arrivalTime) * CallCounter.Count + CallCounter.HandleTimeSum] += handleTime;
    }

    public void Abandoned(long callId, int callType, double arrivalTime, double hangUpTime) =>
        Ended(CallOutcome.Abandoned, callId, callType, arrivalTime, hangUpTime, hangUpTime, -1, -1);

    public void Unserved(long callId, int callType, double arrivalTime, double closeTime) =>
        Ended(CallOutcome.Unserved, callId, callType, arrivalTime, closeTime, closeTime, -1, -1);

    /// <summary>Records how a call ended, as its <see cref="OutcomeDefinition"/> says: its counter, within the threshold,
    /// its wait sum and the wait histogram (queued outcomes), and the call log.</summary>
    public void Ended(CallOutcome outcome, long callId, int callType, double arrivalTime, double waitEnd, double endTime, int group = -1, int op = -1) =>
        _ = Record(CallOutcomes.Of(outcome), callId, callType, arrivalTime, waitEnd, endTime, group, op, outcome, 0);

    private CallRow Record(OutcomeDefinition d, long callId, int callType, double arrivalTime, double waitEnd, double endTime, int group, int op, CallOutcome outcome, double afterCallWork)
    {
        var row = CallRowOf(callType);
        var k = IntervalOf(arrivalTime);
        var wait = waitEnd - arrivalTime;
        var c = row.Counters.AsSpan(k * CallCounter.Count, CallCounter.Count);
        c[d.Counter]++;
        if (d.WithinThresholdCounter >= 0 && wait <= ThresholdSeconds)
        {
            c[d.WithinThresholdCounter]++;
        }
        if (d.WaitSumCounter >= 0)
        {
            c[d.WaitSumCounter] += wait;
        }
        if (d.Queued)
        {
            row.WaitsOf(k).Add(wait);
        }
        if (CallLog is not null || CallLogSink is not null)
        {
            var record = new CallRecord(callId, callType, arrivalTime, outcome, waitEnd, endTime, group, op, endTime + afterCallWork);
            CallLog?.Add(record);
            CallLogSink?.Add(record);
        }
        return row;
    }

    /// <summary>Notes a queue length seen in the interval containing <paramref name="time"/> (before the horizon only).</summary>
    public void QueueLength(double time, int length)
    {
        var k = (int)(time / IntervalSeconds);
        if (k < IntervalCount)
        {
            var max = _maxQueue ??= new int[IntervalCount];
            if (length > max[k])
            {
                max[k] = length;
            }
        }
    }

    /// <summary>Adds operator time of a group over [from, to), split across intervals; time past the horizon is not counted.</summary>
    public void OperatorTime(int group, double from, double to, int busy, int staffed)
    {
        GroupRow? row = null;
        while (from < to)
        {
            var k = (int)(from / IntervalSeconds);
            if (k >= IntervalCount)
            {
                return;
            }
            row ??= GroupRowOf(group);
            var end = Math.Min(to, (k + 1) * IntervalSeconds);
            var dt = end - from;
            row.Busy[k] += busy * dt;
            row.Staffed[k] += staffed * dt;
            from = end;
        }
    }

    /// <summary>Adds another component's records. Hosts merge in address order so sums are identical everywhere.</summary>
    public void MergeFrom(Recorder other)
    {
        foreach (var (t, from) in other._callRows.OrderBy(e => e.Key))
        {
            var row = CallRowOf(t);
            for (var i = 0; i < row.Counters.Length; i++)
            {
                row.Counters[i] += from.Counters[i];
            }
            for (var k = 0; k < IntervalCount; k++)
            {
                if (from.Waits[k] is { } h)
                {
                    row.WaitsOf(k).MergeFrom(h);
                }
            }
        }
        if (other._maxQueue is { } otherMax)
        {
            var max = _maxQueue ??= new int[IntervalCount];
            for (var k = 0; k < max.Length; k++)
            {
                max[k] = Math.Max(max[k], otherMax[k]);
            }
        }
        foreach (var (g, from) in other._groupRows.OrderBy(e => e.Key))
        {
            var row = GroupRowOf(g);
            for (var k = 0; k < IntervalCount; k++)
            {
                row.Busy[k] += from.Busy[k];
                row.Staffed[k] += from.Staffed[k];
            }
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
        [.. _callRows.OrderBy(e => e.Key).Select(e => new CallRowState(e.Key, [.. e.Value.Counters], [.. e.Value.Waits.Select(h => h?.ToPairs())]))],
        [.. _groupRows.OrderBy(e => e.Key).Select(e => new GroupRowState(e.Key, [.. e.Value.Busy], [.. e.Value.Staffed]))],
        _maxQueue is null ? null : [.. _maxQueue],
        CallLog?.ToArray());

    public static Recorder FromState(RecorderState state)
    {
        var r = new Recorder(state.IntervalCount, state.IntervalSeconds, state.CallTypeCount, state.GroupCount, state.ThresholdSeconds, state.CallLog is not null);
        foreach (var callRow in state.CallRows)
        {
            if (callRow.CallType < 0 || callRow.CallType >= r.CallTypeCount || r._callRows.ContainsKey(callRow.CallType)
                || callRow.Counters.Length != r.IntervalCount * CallCounter.Count || callRow.Waits.Length != r.IntervalCount)
            {
                throw new ArgumentException($"Recorder state: bad row for call type {callRow.CallType}", nameof(state));
            }
            var row = r.CallRowOf(callRow.CallType);
            callRow.Counters.CopyTo(row.Counters, 0);
            for (var k = 0; k < r.IntervalCount; k++)
            {
                row.Waits[k] = callRow.Waits[k] is { } pairs ? WaitHistogram.FromPairs(pairs) : null;
            }
        }
        foreach (var groupRow in state.GroupRows)
        {
            if (groupRow.Group < 0 || groupRow.Group >= r.GroupCount || r._groupRows.ContainsKey(groupRow.Group)
                || groupRow.Busy.Length != r.IntervalCount || groupRow.Staffed.Length != r.IntervalCount)
            {
                throw new ArgumentException($"Recorder state: bad row for group {groupRow.Group}", nameof(state));
            }
            var row = r.GroupRowOf(groupRow.Group);
            groupRow.Busy.CopyTo(row.Busy, 0);
            groupRow.Staffed.CopyTo(row.Staffed, 0);
        }
        if (state.MaxQueue is { } maxQueue)
        {
            if (maxQueue.Length != r.IntervalCount)
            {
                throw new ArgumentException("Recorder state: queue lengths do not match the intervals", nameof(state));
            }
            r._maxQueue = [.. maxQueue];
        }
        r.CallLog?.AddRange(state.CallLog!);
        return r;
    }

    private CallRow CallRowOf(int callType)
    {
        if (callType == _lastCallType)
        {
            return _lastCallRow!;
        }
        if ((uint)callType >= (uint)CallTypeCount)
        {
            throw new ArgumentOutOfRangeException(nameof(callType), callType, "No such call type");
        }
        if (!_callRows.TryGetValue(callType, out var row))
        {
            row = new CallRow(IntervalCount);
            _callRows.Add(callType, row);
        }
        _lastCallType = callType;
        _lastCallRow = row;
        return row;
    }

    private GroupRow GroupRowOf(int group)
    {
        if (group == _lastGroup)
        {
            return _lastGroupRow!;
        }
        if ((uint)group >= (uint)GroupCount)
        {
            throw new ArgumentOutOfRangeException(nameof(group), group, "No such group");
        }
        if (!_groupRows.TryGetValue(group, out var row))
        {
            row = new GroupRow(IntervalCount);
            _groupRows.Add(group, row);
        }
        _lastGroup = group;
        _lastGroupRow = row;
        return row;
    }

    private sealed class CallRow(int intervals)
    {
        // The counter table: CallCounter.Count values per interval, interval after interval.
        public readonly double[] Counters = new double[intervals * CallCounter.Count];
        public readonly WaitHistogram?[] Waits = new WaitHistogram?[intervals];

        public WaitHistogram WaitsOf(int interval) => Waits[interval] ??= new WaitHistogram();
    }

    private sealed class GroupRow(int intervals)
    {
        public readonly double[] Busy = new double[intervals];
        public readonly double[] Staffed = new double[intervals];
    }
}

/// <summary>A <see cref="Recorder"/> as plain arrays (see <see cref="Recorder.ToState"/>): only the rows recorded.</summary>
public sealed record RecorderState(
    int IntervalCount,
    double IntervalSeconds,
    int CallTypeCount,
    int GroupCount,
    double ThresholdSeconds,
    CallRowState[] CallRows,
    GroupRowState[] GroupRows,
    int[]? MaxQueue,
    CallRecord[]? CallLog);

/// <summary>One call type's counters (<see cref="CallCounter.Count"/> values per interval, interval after interval), and
/// its wait histograms as (bin, count) pairs per interval (null: no wait).</summary>
public sealed record CallRowState(int CallType, double[] Counters, int[]?[] Waits);

/// <summary>One group's busy and on-duty operator seconds per interval.</summary>
public sealed record GroupRowState(int Group, double[] Busy, double[] Staffed);
