using CrisisSim.Model.Recording;
using CrisisSim.Model.Scenario;

namespace CrisisSim.Engine;

/// <summary>The memory one replication of a scenario is estimated to hold while it runs and is measured (its
/// components, recorders and KPI rows), from the scenario's size alone; <see cref="ReplicationPipeline"/> runs no more
/// replications at once than <see cref="RunLimits.ReplicationMemoryBudget"/> holds. The coefficients are upper
/// estimates calibrated on the runs at the documented limits (the bench command <c>limits</c>): 10,000 call types
/// by 200 intervals held about 115 MiB a replication in flight, 10,000 groups about 40 MiB, 100,000 intervals about
/// 100 MiB; a small scenario (a few types, groups and hundreds of intervals) under 1 MiB.</summary>
public static class ReplicationFootprint
{
    /// <summary>Bytes a call type holds in a replication: its caller source and arrival steps, its journey, queue,
    /// recorder totals and KPI rows.</summary>
    public const long BytesPerCallType = 12 * 1024;

    /// <summary>Bytes a group holds: the operators' state, the call types it serves, its KPI rows.</summary>
    public const long BytesPerGroup = 8 * 1024;

    /// <summary>Bytes an interval holds over all call types and groups (counters, wait histogram, KPI row).</summary>
    public const long BytesPerInterval = 1024;

    /// <summary>Bytes an interval x call type cell holds when the run records them apart (up to
    /// <see cref="Recorder.MaxCallTypeIntervalCells"/> cells).</summary>
    public const long BytesPerCallTypeInterval = 512;

    /// <summary>The estimate for one replication of <paramref name="scenario"/>.</summary>
    public static long EstimateBytes(ScenarioDefinition scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var cells = RunLimits.KeepsCallTypeIntervals(scenario) && scenario.CallTypes.Count > 1
            ? (long)scenario.IntervalCount * scenario.CallTypes.Count
            : 0;
        return BytesPerCallType * scenario.CallTypes.Count
            + BytesPerGroup * scenario.Groups.Count
            + BytesPerInterval * scenario.IntervalCount
            + BytesPerCallTypeInterval * cells;
    }

    /// <summary>Replications of <paramref name="scenario"/> the budget holds at once: at least one.</summary>
    public static int ReplicationsInBudget(ScenarioDefinition scenario) =>
        (int)Math.Clamp(RunLimits.ReplicationMemoryBudget / Math.Max(1, EstimateBytes(scenario)), 1, RunLimits.MaxParallelism);
}
