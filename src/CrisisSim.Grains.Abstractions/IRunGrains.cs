using Orleans.Concurrency;

namespace CrisisSim.Grains;

/// <summary>A grain that runs one replication in the background, so that no grain call lasts long whatever the size of
/// the replication: <see cref="Start"/> returns at once, the caller long-polls <see cref="Wait"/> until the outcome
/// comes, and <see cref="Cancel"/> stops the work. Keyed by the run id; deactivates once the outcome is handed over,
/// the run is cancelled, or nobody has polled for <see cref="RunPoll.Lease"/>.</summary>
public interface IRunGrain : IGrainWithStringKey
{
    /// <summary>Starts the replication and returns without waiting for it: the address of the silo it runs on.</summary>
    [Alias("Start")]
    Task<string> Start(RunRequest request);

    /// <summary>Waits at most <paramref name="maxWait"/> (capped at <see cref="RunPoll.MaxWait"/>) for the outcome.
    /// Throws the replication's failure, if it failed.</summary>
    /// <remarks>No cancellation token: a caller that gives up stops waiting for the answer and calls <see cref="Cancel"/>
    /// (Orleans' cancellation message could otherwise arrive after the grain has gone and activate it again).</remarks>
    [Alias("Wait"), AlwaysInterleave, ResponseTimeout("00:00:10")]
    Task<RunPoll> Wait(TimeSpan maxWait);

    /// <summary>Stops the replication, waits (briefly) until it has released its grains, and deactivates.</summary>
    [Alias("Cancel"), AlwaysInterleave, ResponseTimeout("00:00:10")]
    Task Cancel();
}

/// <summary>Runs one replication with the inline engine inside one grain: the planning host.</summary>
[Alias("crisissim.IReplicationGrain")]
public interface IReplicationGrain : IRunGrain;

/// <summary>The virtual clock of one replication played by model grains: owns the event calendar and delivers each
/// message to the grain hosting its target component, one delivery at a time. The run's grains deactivate at the end.</summary>
[Alias("crisissim.IRunClockGrain")]
public interface IRunClockGrain : IRunGrain;

/// <summary>A grain hosting one component of one replication (see <see cref="RunKeys.Component"/>). Only the run's
/// clock calls it, one call at a time (the live host's driver may have several calls in flight to it, which Orleans
/// hands it one at a time).</summary>
[Alias("crisissim.IComponentGrain")]
public interface IComponentGrain : IGrainWithStringKey
{
    /// <summary>Builds the component and returns the effects of its <c>Start</c>.</summary>
    [Alias("Start")]
    ValueTask<EffectBatch> Start(ComponentSetup setup);

    /// <summary>Hands the component one message and returns its effects in emission order.</summary>
    [Alias("Deliver")]
    ValueTask<EffectBatch> Deliver(Delivery delivery);

    /// <summary>Hands the component one message at the scaled time of the wall clock (the live host) and returns its
    /// effects in emission order.</summary>
    [Alias("DeliverLive")]
    ValueTask<EffectBatch> DeliverLive(LiveDelivery delivery);

    /// <summary>Returns the component's records and deactivates the grain.</summary>
    [Alias("Finish")]
    ValueTask<ComponentReport> Finish();

    /// <summary>Drops the component without a report (a failed or cancelled run) and deactivates the grain.</summary>
    [Alias("Abandon")]
    ValueTask Abandon();
}

/// <summary>Hosts the callers of one call type (a <c>CallerSource</c>).</summary>
[Alias("crisissim.ICallerGrain")]
public interface ICallerGrain : IComponentGrain;

/// <summary>Hosts the queue and automatic call distributor (the <c>Router</c>).</summary>
[Alias("crisissim.IRouterGrain")]
public interface IRouterGrain : IComponentGrain
{
    /// <summary>What the run's routing service did so far, as the router counts it under live load (null when the run asks
    /// none, or before the router is built or after it has finished); with <paramref name="newWindow"/>, a new window
    /// begun for <see cref="ServiceReading.LongestInWindow"/>. Taken between two deliveries, ahead of those waiting:
    /// a thread-safe read of the counters.</summary>
    [Alias("ReadService"), AlwaysInterleave]
    ValueTask<ServiceReading?> ReadService(bool newWindow);
}

/// <summary>Hosts the operators of one group (an <c>OperatorGroup</c>).</summary>
[Alias("crisissim.IOperatorGroupGrain")]
public interface IOperatorGroupGrain : IComponentGrain;

/// <summary>A grain on one given silo (keyed by the silo's address, see <c>SiloPlacement</c>), to check what that silo
/// can do before a run is spread over a cluster.</summary>
[Alias("crisissim.ISiloCheckGrain")]
public interface ISiloCheckGrain : IGrainWithStringKey
{
    /// <summary>Why this silo cannot use the routing plug-in <paramref name="typeName"/> of the assembly at
    /// <paramref name="assemblyPath"/> (read as metadata only, no code run), or null when it can.</summary>
    [Alias("CheckPlugin")]
    Task<string?> CheckPlugin(string assemblyPath, string typeName);
}
