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
    /// estimated over all call types only.</summary>
    public const int MaxCallTypeIntervalCells = 50_000;

    /// <summary>Whether a run of this scenario estimates per-interval KPIs for each call type.</summary>
    public static bool KeepsCallTypeIntervals(CrisisSim.Model.Scenario.ScenarioDefinition scenario) =>
        scenario.CallTypes.Count > 1 && (long)scenario.IntervalCount * scenario.CallTypes.Count <= MaxCallTypeIntervalCells;
}
