using CrisisSim.Model.Recording;

namespace CrisisSim.Grains.Serialization;

[GenerateSerializer, Alias("crisissim.CallRecord")]
public struct CallRecordSurrogate
{
    [Id(0)] public long CallId;
    [Id(1)] public int CallType;
    [Id(2)] public double ArrivalTime;
    [Id(3)] public byte Outcome;
    [Id(4)] public double WaitEnd;
    [Id(5)] public double EndTime;
    [Id(6)] public int Group;
    [Id(7)] public int Operator;
    [Id(8)] public double AfterCallWorkEnd;
}

[RegisterConverter]
public sealed class CallRecordConverter : IConverter<CallRecord, CallRecordSurrogate>
{
    public CallRecord ConvertFromSurrogate(in CallRecordSurrogate s) =>
        new(s.CallId, s.CallType, s.ArrivalTime, (CallOutcome)s.Outcome, s.WaitEnd, s.EndTime, s.Group, s.Operator, s.AfterCallWorkEnd);

    public CallRecordSurrogate ConvertToSurrogate(in CallRecord r) => new()
    {
        CallId = r.CallId,
        CallType = r.CallType,
        ArrivalTime = r.ArrivalTime,
        Outcome = (byte)r.Outcome,
        WaitEnd = r.WaitEnd,
        EndTime = r.EndTime,
        Group = r.Group,
        Operator = r.Operator,
        AfterCallWorkEnd = r.AfterCallWorkEnd,
    };
}

[GenerateSerializer, Alias("crisissim.RecorderState")]
public struct RecorderStateSurrogate
{
    [Id(0)] public int IntervalCount;
    [Id(1)] public double IntervalSeconds;
    [Id(2)] public int CallTypeCount;
    [Id(3)] public int GroupCount;
    [Id(4)] public double ThresholdSeconds;
    [Id(5)] public CallRowState[] CallRows;
    [Id(6)] public GroupRowState[] GroupRows;
    [Id(7)] public int[]? MaxQueue;
    [Id(8)] public CallRecord[]? CallLog;
    [Id(9)] public bool KeepsCallTypeIntervals;
    [Id(10)] public int FirstCountedInterval;
    [Id(11)] public double[]?[]? IntervalColumns;
    [Id(12)] public int[]?[]? IntervalWaits;
    [Id(13)] public CallTypeTotalsState[]? CallTypeTotals;
    [Id(14)] public PlaybookFiring[]? PlaybookFirings;
}

[RegisterConverter]
public sealed class RecorderStateConverter : IConverter<RecorderState, RecorderStateSurrogate>
{
    public RecorderState ConvertFromSurrogate(in RecorderStateSurrogate s) => new(
        s.IntervalCount,
        s.IntervalSeconds,
        s.CallTypeCount,
        s.GroupCount,
        s.ThresholdSeconds,
        s.CallRows,
        s.GroupRows,
        s.MaxQueue,
        s.CallLog)
    {
        KeepsCallTypeIntervals = s.KeepsCallTypeIntervals,
        FirstCountedInterval = s.FirstCountedInterval,
        IntervalColumns = s.IntervalColumns,
        IntervalWaits = s.IntervalWaits,
        CallTypeTotals = s.CallTypeTotals,
        PlaybookFirings = s.PlaybookFirings,
    };

    public RecorderStateSurrogate ConvertToSurrogate(in RecorderState r) => new()
    {
        IntervalCount = r.IntervalCount,
        IntervalSeconds = r.IntervalSeconds,
        CallTypeCount = r.CallTypeCount,
        GroupCount = r.GroupCount,
        ThresholdSeconds = r.ThresholdSeconds,
        CallRows = r.CallRows,
        GroupRows = r.GroupRows,
        MaxQueue = r.MaxQueue,
        CallLog = r.CallLog,
        KeepsCallTypeIntervals = r.KeepsCallTypeIntervals,
        FirstCountedInterval = r.FirstCountedInterval,
        IntervalColumns = r.IntervalColumns,
        IntervalWaits = r.IntervalWaits,
        CallTypeTotals = r.CallTypeTotals,
        PlaybookFirings = r.PlaybookFirings,
    };
}

[GenerateSerializer, Alias("crisissim.PlaybookFiring")]
public struct PlaybookFiringSurrogate
{
    [Id(0)] public int Rule;
    [Id(1)] public int Firing;
    [Id(2)] public double Time;
    [Id(3)] public double EffectTime;
}

[RegisterConverter]
public sealed class PlaybookFiringConverter : IConverter<PlaybookFiring, PlaybookFiringSurrogate>
{
    public PlaybookFiring ConvertFromSurrogate(in PlaybookFiringSurrogate s) => new(s.Rule, s.Firing, s.Time, s.EffectTime);

    public PlaybookFiringSurrogate ConvertToSurrogate(in PlaybookFiring r) => new() { Rule = r.Rule, Firing = r.Firing, Time = r.Time, EffectTime = r.EffectTime };
}

[GenerateSerializer, Alias("crisissim.CallRowState")]
public struct CallRowStateSurrogate
{
    [Id(0)] public int CallType;
    [Id(1)] public double[] Counters;
    [Id(2)] public int[]?[] Waits;
}

[RegisterConverter]
public sealed class CallRowStateConverter : IConverter<CallRowState, CallRowStateSurrogate>
{
    public CallRowState ConvertFromSurrogate(in CallRowStateSurrogate s) => new(s.CallType, s.Counters, s.Waits);

    public CallRowStateSurrogate ConvertToSurrogate(in CallRowState r) => new() { CallType = r.CallType, Counters = r.Counters, Waits = r.Waits };
}

[GenerateSerializer, Alias("crisissim.CallTypeTotalsState")]
public struct CallTypeTotalsStateSurrogate
{
    [Id(0)] public int CallType;
    [Id(1)] public double[] Counters;
    [Id(2)] public int[]? Waits;
}

[RegisterConverter]
public sealed class CallTypeTotalsStateConverter : IConverter<CallTypeTotalsState, CallTypeTotalsStateSurrogate>
{
    public CallTypeTotalsState ConvertFromSurrogate(in CallTypeTotalsStateSurrogate s) => new(s.CallType, s.Counters, s.Waits);

    public CallTypeTotalsStateSurrogate ConvertToSurrogate(in CallTypeTotalsState r) => new() { CallType = r.CallType, Counters = r.Counters, Waits = r.Waits };
}

[GenerateSerializer, Alias("crisissim.GroupRowState")]
public struct GroupRowStateSurrogate
{
    [Id(0)] public int Group;
    [Id(1)] public double[] Busy;
    [Id(2)] public double[] Staffed;
}

[RegisterConverter]
public sealed class GroupRowStateConverter : IConverter<GroupRowState, GroupRowStateSurrogate>
{
    public GroupRowState ConvertFromSurrogate(in GroupRowStateSurrogate s) => new(s.Group, s.Busy, s.Staffed);

    public GroupRowStateSurrogate ConvertToSurrogate(in GroupRowState r) => new() { Group = r.Group, Busy = r.Busy, Staffed = r.Staffed };
}
