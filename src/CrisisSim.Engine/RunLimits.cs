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

    /// <summary>Expected calls of one replication when the per-call log is kept (it is held in memory, ~60 bytes a call,
    /// until the replication ends).</summary>
    public const int MaxLoggedCallsPerReplication = 5_000_000;
}
