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
/// histogram per interval and call type grows with the distinct waits it holds (see <see cref="WaitHistogram"/>).
/// <para>With one call type, or beyond <see cref="MaxCallTypeIntervalCells"/> intervals x call types, a recorder made
/// without <c>keepCallTypeIntervals</c> keeps no per-interval row per call type (<see cref="KeepsCallTypeIntervals"/>
/// false): it keeps each interval's counters over all call types (a column of intervals per counter used) and each
/// call type's totals over the reporting window (from <see cref="FirstCountedInterval"/> on), and the wait histograms
/// likewise, so its memory follows intervals + call types, not their product.</para></remarks>
public sealed class Recorder
{
    /// <summary>Interval x call-type cells up to which every recorder keeps a row of intervals per call type.</summary>
    public const int MaxCallTypeIntervalCells = 50_000;

    private readonly Dictionary<int, CallRow> _callRows = [];
    private readonly IntervalTable? _intervalCounts;
    private readonly IntervalTable? _intervalTimes;
    private readonly Dictionary<int, CallTypeTotal>? _callTypeTotals;
    private readonly Dictionary<int, GroupRow> _groupRows = [];
    private int[]? _maxQueue;
    private List<PlaybookFiring>? _firings;
    private int _lastCallType = -1;
    private CallRow? _lastCallRow;
    private int _lastGroup = -1;
    private GroupRow? _lastGroupRow;

    /// <param name="keepCallTypeIntervals">Keep a row of intervals per call type whatever their number (for consumers of
    /// <see cref="Calls"/>); otherwise only up to <see cref="MaxCallTypeIntervalCells"/>.</param>
    /// <param name="firstCountedInterval">The first interval of the reporting window, over which the call types' totals
    /// are kept when the rows per call type are not.</param>
    /// <param name="shareCountsWith">A recorder of the same replication whose call counts and wait histograms over all
    /// call types this one adds to directly (they are integers, so the sums do not depend on the order); only without
    /// rows per call type.</param>
    public Recorder(
        int intervalCount,
        double intervalSeconds,
        int callTypeCount,
        int groupCount,
        double thresholdSeconds,
        bool keepCallLog,
        bool keepCallTypeIntervals = true,
        int firstCountedInterval = 0,
        Recorder? shareCountsWith = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(intervalCount, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(firstCountedInterval);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(firstCountedInterval, intervalCount);
        IntervalCount = intervalCount;
        IntervalSeconds = intervalSeconds;
        CallTypeCount = callTypeCount;
        GroupCount = groupCount;
        ThresholdSeconds = thresholdSeconds;
        CallLog = keepCallLog ? [] : null;
        FirstCountedInterval = firstCountedInterval;
        KeepsCallTypeIntervals = keepCallTypeIntervals || KeepsCallTypeIntervalsUpToTheLimit(intervalCount, callTypeCount);
        if (!KeepsCallTypeIntervals)
        {
            if (shareCountsWith is not null
                && (shareCountsWith._intervalCounts is null || shareCountsWith.IntervalCount != intervalCount || shareCountsWith.CallTypeCount != callTypeCount))
            {
                throw new ArgumentException("Only a recorder of the same layout can share its counts", nameof(shareCountsWith));
            }
            _intervalCounts = shareCountsWith?._intervalCounts ?? new IntervalTable(intervalCount);
            _intervalTimes = new IntervalTable(intervalCount);
            _callTypeTotals = [];
        }
    }

    /// <summary>A recorder that hands each call's record to <paramref name="callLog"/> as the call ends, holding none.</summary>
    public Recorder(int intervalCount, double intervalSeconds, int callTypeCount, int groupCount, double thresholdSeconds, ICallLogSink callLog)
        : this(intervalCount, intervalSeconds, callTypeCount, groupCount, thresholdSeconds, keepCallLog: false)
    {
        CallLogSink = callLog ?? throw new ArgumentNullException(nameof(callLog));
    }

    /// <summary>Whether a recorder made without <c>keepCallTypeIntervals</c> keeps a row of intervals per call type:
    /// with several call types, up to <see cref="MaxCallTypeIntervalCells"/> (one call type's KPIs are its intervals').</summary>
    public static bool KeepsCallTypeIntervalsUpToTheLimit(int intervalCount, int callTypeCount) =>
        callTypeCount > 1 && (long)intervalCount * callTypeCount <= MaxCallTypeIntervalCells;

    /// <summary>The first interval counted in overall KPIs: the warm-up rounded up to whole intervals.</summary>
    public static int FirstCountedIntervalOf(int intervalCount, double intervalSeconds, double warmupSeconds) =>
        Math.Min(intervalCount - 1, (int)Math.Ceiling(warmupSeconds / intervalSeconds - 1e-9));

    /// <summary>Whether <see cref="Calls"/> and <see cref="Waits"/> are kept for every interval and call type; otherwise
    /// see <see cref="IntervalCalls"/>, <see cref="IntervalWaits"/>, <see cref="CallTypeTotals"/> and
    /// <see cref="CallTypeWaits"/>.</summary>
    public bool KeepsCallTypeIntervals { get; }

    /// <summary>The first interval of the reporting window (see the constructor).</summary>
    public int FirstCountedInterval { get; }

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

    public CallCounters Calls(int interval, int callType)
    {
        RequireCallTypeIntervals();
        return _callRows.TryGetValue(callType, out var row) ? new CallCounters(row.Counters, interval * CallCounter.Count) : default;
    }

    public WaitHistogram? Waits(int interval, int callType)
    {
        RequireCallTypeIntervals();
        return _callRows.TryGetValue(callType, out var row) ? row.Waits[interval] : null;
    }

    /// <summary>The counters of an interval over all call types, when the rows per call type are not kept.</summary>
    public CallCounters IntervalCalls(int interval)
    {
        var (counts, times) = RequireIntervalTables();
        var values = new double[CallCounter.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (counts.Columns[i] ?? times.Columns[i])?[interval] ?? 0;
        }
        return new CallCounters(values, 0);
    }

    /// <summary>The waits of an interval over all call types, when the rows per call type are not kept.</summary>
    public WaitHistogram? IntervalWaits(int interval) => RequireIntervalTables().Counts.Waits?[interval];

    /// <summary>A call type's counters over the reporting window, when the rows per call type are not kept.</summary>
    public CallCounters CallTypeTotals(int callType)
    {
        RequireIntervalTables();
        return _callTypeTotals!.TryGetValue(callType, out var totals) ? new CallCounters(totals.Counters, 0) : default;
    }

    /// <summary>A call type's waits over the reporting window, when the rows per call type are not kept.</summary>
    public WaitHistogram? CallTypeWaits(int callType)
    {
        RequireIntervalTables();
        return _callTypeTotals!.TryGetValue(callType, out var totals) ? totals.Waits : null;
    }

    private void RequireCallTypeIntervals()
    {
        if (!KeepsCallTypeIntervals)
        {
            throw new InvalidOperationException(
                $"This recorder keeps no interval row per call type ({IntervalCount} intervals x {CallTypeCount} call types > {MaxCallTypeIntervalCells})");
        }
    }

    private (IntervalTable Counts, IntervalTable Times) RequireIntervalTables() =>
        _intervalCounts is { } counts && _intervalTimes is { } times
            ? (counts, times)
            : throw new InvalidOperationException("This recorder keeps an interval row per call type");

    public int MaxQueueLength(int interval) => _maxQueue?[interval] ?? 0;

    public double BusySeconds(int interval, int group) => _groupRows.TryGetValue(group, out var row) ? row.Busy[interval] : 0;

    public double StaffedSeconds(int interval, int group) => _groupRows.TryGetValue(group, out var row) ? row.Staffed[interval] : 0;

    /// <summary>The playbook's firings in this replication, in the order they happened (empty without a playbook).</summary>
    public IReadOnlyList<PlaybookFiring> PlaybookFirings => _firings is null ? [] : _firings;

    /// <summary>A playbook rule fired (see <see cref="PlaybookFiring"/>). At most
    /// <see cref="Scenario.ScenarioLimits.MaxPlaybookFiringsPerRule"/> per rule, which the scenario reader ensures.</summary>
    public void PlaybookFired(in PlaybookFiring firing) => (_firings ??= []).Add(firing);

    public void Offered(int callType, double arrivalTime) => Count(CallCounter.Offered, callType, arrivalTime);

    /// <summary>Adds to a counter of the calls of a type that arrived at <paramref name="arrivalTime"/>.</summary>
    public void Count(int counter, int callType, double arrivalTime, double amount = 1)
    {
        if (KeepsCallTypeIntervals)
        {
            CallRowOf(callType).Counters[IntervalOf(arrivalTime) * CallCounter.Count + counter] += amount;
            return;
        }
        var k = IntervalOf(arrivalTime);
        IntervalColumn(counter)[k] += amount;
        if (k >= FirstCountedInterval)
        {
            CallTypeTotalsOf(callType).Counters[counter] += amount;
        }
    }

    public void Answered(long callId, int callType, double arrivalTime, double answerTime, double handleTime, int group, int op, double afterCallWork = 0)
    {
        Record(CallOutcomes.Of(CallOutcome.Answered), callId, callType, arrivalTime, answerTime, answerTime + handleTime, group, op, CallOutcome.Answered, afterCallWork, answered: true, handleTime);
    }

    public void Abandoned(long callId, int callType, double arrivalTime, double hangUpTime) =>
        Ended(CallOutcome.Abandoned, callId, callType, arrivalTime, hangUpTime, hangUpTime, -1, -1);

    public void Unserved(long callId, int callType, double arrivalTime, double closeTime) =>
        Ended(CallOutcome.Unserved, callId, callType, arrivalTime, closeTime, closeTime, -1, -1);

    /// <summary>Records how a call ended, as its <see cref="OutcomeDefinition"/> says: its counter, within the threshold,
    /// its wait sum and the wait histogram (queued outcomes), and the call log.</summary>
    public void Ended(CallOutcome outcome, long callId, int callType, double arrivalTime, double waitEnd, double endTime, int group = -1, int op = -1) =>
        Record(CallOutcomes.Of(outcome), callId, callType, arrivalTime, waitEnd, endTime, group, op, outcome, 0, answered: false, 0);

    /// <param name="answered">Through <see cref="Answered"/>: <paramref name="handleTime"/> is added to
    /// <see cref="CallCounter.HandleTimeSum"/>.</param>
    private void Record(OutcomeDefinition d, long callId, int callType, double arrivalTime, double waitEnd, double endTime, int group, int op, CallOutcome outcome, double afterCallWork, bool answered, double handleTime)
    {
        var k = IntervalOf(arrivalTime);
        var wait = waitEnd - arrivalTime;
        if (KeepsCallTypeIntervals)
        {
            var row = CallRowOf(callType);
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
            if (answered)
            {
                c[CallCounter.HandleTimeSum] += handleTime;
            }
        }
        else
        {
            Count(d.Counter, callType, arrivalTime);
            if (d.WithinThresholdCounter >= 0 && wait <= ThresholdSeconds)
            {
                Count(d.WithinThresholdCounter, callType, arrivalTime);
            }
            if (d.WaitSumCounter >= 0)
            {
                Count(d.WaitSumCounter, callType, arrivalTime, wait);
            }
            if (d.Queued)
            {
                _intervalCounts!.WaitsOf(k).Add(wait);
                if (k >= FirstCountedInterval)
                {
                    CallTypeTotalsOf(callType).WaitsOf().Add(wait);
                }
            }
            if (answered)
            {
                Count(CallCounter.HandleTimeSum, callType, arrivalTime, handleTime);
            }
        }
        if (CallLog is not null || CallLogSink is not null)
        {
            var record = new CallRecord(callId, callType, arrivalTime, outcome, waitEnd, endTime, group, op, endTime + afterCallWork);
            CallLog?.Add(record);
            CallLogSink?.Add(record);
        }
    }

    /// <summary>The column of intervals of a counter over all call types: counts in the table that may be shared, time
    /// sums (whose floating-point sum depends on the order) in this recorder's own.</summary>
    private double[] IntervalColumn(int counter) =>
        (CallCounter.All[counter].Kind == CounterKind.Count ? _intervalCounts! : _intervalTimes!).Column(counter);

    private CallTypeTotal CallTypeTotalsOf(int callType)
    {
        if ((uint)callType >= (uint)CallTypeCount)
        {
            throw new ArgumentOutOfRangeException(nameof(callType), callType, "No such call type");
        }
        if (!_callTypeTotals!.TryGetValue(callType, out var totals))
        {
            totals = new CallTypeTotal();
            _callTypeTotals.Add(callType, totals);
        }
        return totals;
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
        if (other.KeepsCallTypeIntervals != KeepsCallTypeIntervals || other.IntervalCount != IntervalCount || other.CallTypeCount != CallTypeCount
            || other.FirstCountedInterval != FirstCountedInterval)
        {
            throw new ArgumentException("Only recorders of the same layout can be merged", nameof(other));
        }
        if (other._intervalCounts is { } otherCounts && other._intervalCounts != _intervalCounts)
        {
            _intervalCounts!.MergeFrom(otherCounts);
        }
        if (other._intervalTimes is { } otherTimes)
        {
            _intervalTimes!.MergeFrom(otherTimes);
        }
        if (other._callTypeTotals is { } otherTotals)
        {
            foreach (var (t, from) in otherTotals.OrderBy(e => e.Key))
            {
                var totals = CallTypeTotalsOf(t);
                for (var i = 0; i < CallCounter.Count; i++)
                {
                    totals.Counters[i] += from.Counters[i];
                }
                if (from.Waits is { } h)
                {
                    totals.WaitsOf().MergeFrom(h);
                }
            }
        }
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
        if (other._firings is { Count: > 0 } firings)
        {
            (_firings ??= []).AddRange(firings);
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
        CallLog?.ToArray())
    {
        KeepsCallTypeIntervals = KeepsCallTypeIntervals,
        FirstCountedInterval = FirstCountedInterval,
        IntervalColumns = _intervalCounts is { } counts
            ? [.. Enumerable.Range(0, CallCounter.Count).Select(i => (counts.Columns[i] ?? _intervalTimes!.Columns[i])?.ToArray())]
            : null,
        IntervalWaits = _intervalCounts?.Waits?.Select(h => h?.ToPairs()).ToArray(),
        PlaybookFirings = _firings is { Count: > 0 } firings ? [.. firings] : null,
        CallTypeTotals = _callTypeTotals is null ? null
            : [.. _callTypeTotals.OrderBy(e => e.Key).Select(e => new CallTypeTotalsState(e.Key, [.. e.Value.Counters], e.Value.Waits?.ToPairs()))],
    };

    public static Recorder FromState(RecorderState state)
    {
        var r = new Recorder(
            state.IntervalCount, state.IntervalSeconds, state.CallTypeCount, state.GroupCount, state.ThresholdSeconds, state.CallLog is not null,
            state.KeepsCallTypeIntervals, state.FirstCountedInterval);
        if (r.KeepsCallTypeIntervals != state.KeepsCallTypeIntervals)
        {
            throw new ArgumentException("Recorder state: rows per call type are kept up to the limit", nameof(state));
        }
        if (!r.KeepsCallTypeIntervals)
        {
            if (state.CallRows.Length != 0)
            {
                throw new ArgumentException("Recorder state: rows per call type in a recorder that keeps none", nameof(state));
            }
            r.RestoreIntervalTables(state);
        }
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
        if (state.PlaybookFirings is { Length: > 0 } firings)
        {
            r._firings = [.. firings];
        }
        return r;
    }

    private void RestoreIntervalTables(RecorderState state)
    {
        var columns = state.IntervalColumns ?? new double[]?[CallCounter.Count];
        if (columns.Length != CallCounter.Count)
        {
            throw new ArgumentException($"Recorder state: {columns.Length} interval columns, not {CallCounter.Count}", nameof(state));
        }
        for (var i = 0; i < columns.Length; i++)
        {
            if (columns[i] is { } column)
            {
                if (column.Length != IntervalCount)
                {
                    throw new ArgumentException($"Recorder state: interval column {i} does not match the intervals", nameof(state));
                }
                column.CopyTo(IntervalColumn(i), 0);
            }
        }
        if (state.IntervalWaits is { } waits)
        {
            if (waits.Length != IntervalCount)
            {
                throw new ArgumentException("Recorder state: interval waits do not match the intervals", nameof(state));
            }
            for (var k = 0; k < waits.Length; k++)
            {
                if (waits[k] is { } pairs)
                {
                    _intervalCounts!.WaitsOf(k).MergeFrom(WaitHistogram.FromPairs(pairs));
                }
            }
        }
        foreach (var totals in state.CallTypeTotals ?? [])
        {
            if (totals.CallType < 0 || totals.CallType >= CallTypeCount || _callTypeTotals!.ContainsKey(totals.CallType) || totals.Counters.Length != CallCounter.Count)
            {
                throw new ArgumentException($"Recorder state: bad totals for call type {totals.CallType}", nameof(state));
            }
            var own = CallTypeTotalsOf(totals.CallType);
            totals.Counters.CopyTo(own.Counters, 0);
            own.Waits = totals.Waits is { } pairs ? WaitHistogram.FromPairs(pairs) : null;
        }
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

    /// <summary>Counters over all call types, a column of intervals per counter, allocated when first used (a caller
    /// source uses one), and a wait histogram per interval.</summary>
    private sealed class IntervalTable(int intervals)
    {
        public readonly double[]?[] Columns = new double[]?[CallCounter.Count];
        public WaitHistogram?[]? Waits;

        public double[] Column(int counter) => Columns[counter] ??= new double[intervals];

        public WaitHistogram WaitsOf(int interval) => (Waits ??= new WaitHistogram?[intervals])[interval] ??= new WaitHistogram();

        public void MergeFrom(IntervalTable other)
        {
            for (var i = 0; i < Columns.Length; i++)
            {
                if (other.Columns[i] is { } from)
                {
                    var column = Column(i);
                    for (var k = 0; k < column.Length; k++)
                    {
                        column[k] += from[k];
                    }
                }
            }
            if (other.Waits is { } waits)
            {
                for (var k = 0; k < waits.Length; k++)
                {
                    if (waits[k] is { } h)
                    {
                        WaitsOf(k).MergeFrom(h);
                    }
                }
            }
        }
    }

    /// <summary>One call type's counters and waits over the reporting window.</summary>
    private sealed class CallTypeTotal
    {
        public readonly double[] Counters = new double[CallCounter.Count];
        public WaitHistogram? Waits;

        public WaitHistogram WaitsOf() => Waits ??= new WaitHistogram();
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
    CallRecord[]? CallLog)
{
    /// <summary>Whether <see cref="CallRows"/> holds a row of intervals per call type; otherwise the records are
    /// <see cref="IntervalColumns"/>, <see cref="IntervalWaits"/> and <see cref="CallTypeTotals"/>.</summary>
    public bool KeepsCallTypeIntervals { get; init; } = true;

    /// <summary>The first interval over which the call types' totals are kept.</summary>
    public int FirstCountedInterval { get; init; }

    /// <summary>Per counter (<see cref="CallCounter"/> order), its value in every interval over all call types (null:
    /// never recorded).</summary>
    public double[]?[]? IntervalColumns { get; init; }

    /// <summary>Per interval, the waits over all call types as (bin, count) pairs (null: no wait).</summary>
    public int[]?[]? IntervalWaits { get; init; }

    /// <summary>The call types' counters and waits over the reporting window.</summary>
    public CallTypeTotalsState[]? CallTypeTotals { get; init; }

    /// <summary>The playbook's firings (null: none).</summary>
    public PlaybookFiring[]? PlaybookFirings { get; init; }
}

/// <summary>One firing of a playbook rule in a replication.</summary>
/// <param name="Rule">The rule's index in the playbook.</param>
/// <param name="Firing">1 for the rule's first firing in the replication, 2 for the next (rules with a cooldown) ….</param>
/// <param name="Time">When the condition was met (an evaluation instant), in seconds from the start of the run.</param>
/// <param name="EffectTime">When its actions take effect: <paramref name="Time"/> + the rule's <c>after</c> (it may come
/// after the end of the run, then the actions are not taken).</param>
public readonly record struct PlaybookFiring(int Rule, int Firing, double Time, double EffectTime);

/// <summary>One call type's counters (<see cref="CallCounter.Count"/> values) and waits over the reporting window.</summary>
public sealed record CallTypeTotalsState(int CallType, double[] Counters, int[]? Waits);

/// <summary>One call type's counters (<see cref="CallCounter.Count"/> values per interval, interval after interval), and
/// its wait histograms as (bin, count) pairs per interval (null: no wait).</summary>
public sealed record CallRowState(int CallType, double[] Counters, int[]?[] Waits);

/// <summary>One group's busy and on-duty operator seconds per interval.</summary>
public sealed record GroupRowState(int Group, double[] Busy, double[] Staffed);
