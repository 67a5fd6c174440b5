namespace CrisisSim.Engine;

/// <summary>Bounds on what a run may be asked for, checked before it starts (the scenario's own bounds are
/// <c>CrisisSim.Model.Scenario.ScenarioLimits</c>). Memory does not grow with the replications, so their bound is one
/// of time, not of memory.</summary>
public static class RunLimits
{
    /// <summary>Replications of one run.</summary>
    public const int MaxReplications = 100_000;

    /// <summary>Replications run at once.</summary>
    public const int MaxParallelism = 256;

    /// <summary>Bytes the replications in flight of one process may be estimated to hold together
    /// (<see cref="ReplicationFootprint"/>), from a replication's start until its KPI rows are folded in (a finished
    /// replication waiting for an earlier one keeps them): a run keeps fewer replications at once than its parallelism
    /// when they would exceed it, never fewer than one. Small scenarios are far below it; 10,000 call types with a group
    /// each, or 100,000 intervals, run one at a time (measured at the limits: 440-467 MiB peak for 100,000 intervals,
    /// against 506-541 MiB with 256 MiB released as each replication ended).</summary>
    public const long ReplicationMemoryBudget = 192L * 1024 * 1024;

    /// <summary>Rows of one replication's call log (<c>calls.csv</c>), bounded before the run by
    /// <c>CallLogSize.UpperBound</c>: every call, redial and transfer leg the scenario's settings allow. The log is
    /// streamed to disk (<see cref="CallLogSpill"/>), so this bounds disk, not memory: about
    /// <see cref="CallLogBytesPerRow"/> bytes a row of <c>calls.csv</c> (550 MB a replication at the limit), plus
    /// <see cref="CallLogSpill.RecordBytes"/> bytes a row of a replication's part until it is written.</summary>
    public const int MaxLoggedCallsPerReplication = 5_000_000;

    /// <summary>Bytes of a row of <c>calls.csv</c>, about: 99 on <c>covid-hotline-journey</c>, 107 on a 24-hour run of
    /// 4.8 M calls (names of a few characters; longer call type and group names add their length).</summary>
    public const int CallLogBytesPerRow = 110;

    /// <summary>Interval x call-type cells up to which a run estimates the KPIs of every interval for each call type
    /// (with two call types or more): a few hundred bytes of running moments a cell. Beyond it, intervals are
    /// estimated over all call types only, and a replication records no interval row per call type (only each interval
    /// over all call types and each call type over the reporting window), unless its records are asked for.</summary>
    public const int MaxCallTypeIntervalCells = CrisisSim.Model.Recording.Recorder.MaxCallTypeIntervalCells;

    /// <summary>Interval x group cells up to which a run estimates each group's occupancy, operator hours and cost in
    /// every interval (with two groups or more): three values of running moments a cell, kept in every replication's
    /// interval rows and written to every interval of <c>summary.json</c> and <c>intervals.csv</c>. Beyond it, the
    /// groups' KPIs are estimated over the reporting window only (overall), not per interval.</summary>
    public const int MaxGroupIntervalCells = 50_000;

    /// <summary>Whether a run of this scenario estimates each group's KPIs per interval.</summary>
    public static bool KeepsGroupIntervals(CrisisSim.Model.Scenario.ScenarioDefinition scenario) =>
        scenario.Groups.Count <= 1 || (long)scenario.IntervalCount * scenario.Groups.Count <= MaxGroupIntervalCells;

    /// <summary>Groups whose KPIs each interval's row carries: all of them, or none beyond <see cref="MaxGroupIntervalCells"/>.</summary>
    public static int GroupsPerInterval(CrisisSim.Model.Scenario.ScenarioDefinition scenario) =>
        KeepsGroupIntervals(scenario) ? scenario.Groups.Count : 0;

    /// <summary>Whether a run of this scenario estimates per-interval KPIs for each call type.</summary>
    public static bool KeepsCallTypeIntervals(CrisisSim.Model.Scenario.ScenarioDefinition scenario) =>
        CrisisSim.Model.Recording.Recorder.KeepsCallTypeIntervalsUpToTheLimit(scenario.IntervalCount, scenario.CallTypes.Count);
}
