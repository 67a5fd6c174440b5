namespace CrisisSim.Grains;

/// <summary>Runs one replication with the inline engine inside one grain: the planning host. Keyed by the run id;
/// deactivates when the replication is done.</summary>
[Alias("crisissim.IReplicationGrain")]
public interface IReplicationGrain : IGrainWithStringKey
{
    [Alias("Run")]
    Task<ReplicationOutcome> Run(RunRequest request, CancellationToken cancellationToken = default);
}

/// <summary>The virtual clock of one replication played by model grains: owns the event calendar and delivers each
/// message to the grain hosting its target component. Keyed by the run id; the run's grains deactivate at the end.</summary>
[Alias("crisissim.IRunClockGrain")]
public interface IRunClockGrain : IGrainWithStringKey
{
    [Alias("Run")]
    Task<ReplicationOutcome> Run(RunRequest request, CancellationToken cancellationToken = default);
}

/// <summary>A grain hosting one component of one replication (see <see cref="RunKeys.Component"/>). Only the run's
/// clock calls it, one call at a time.</summary>
[Alias("crisissim.IComponentGrain")]
public interface IComponentGrain : IGrainWithStringKey
{
    /// <summary>Builds the component and returns the effects of its <c>Start</c>.</summary>
    [Alias("Start")]
    ValueTask<EffectBatch> Start(ComponentSetup setup);

    /// <summary>Hands the component one message and returns its effects in emission order.</summary>
    [Alias("Deliver")]
    ValueTask<EffectBatch> Deliver(Delivery delivery);

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
[Alias("crisissim.IQueueGrain")]
public interface IQueueGrain : IComponentGrain;

/// <summary>Hosts the operators of one group (an <c>OperatorGroup</c>).</summary>
[Alias("crisissim.IOperatorGroupGrain")]
public interface IOperatorGroupGrain : IComponentGrain;
