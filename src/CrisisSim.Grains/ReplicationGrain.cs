using CrisisSim.Engine;

namespace CrisisSim.Grains;

/// <summary>Runs one replication with the inline engine (no grain call in its event loop) on a thread-pool thread,
/// so a silo runs as many replications at once as it has cores, and a cluster spreads them over its silos.</summary>
[RunPlacement]
public sealed class ReplicationGrain : Grain, IReplicationGrain
{
    public async Task<ReplicationOutcome> Run(RunRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var result = await Task.Run(
                () => InlineEngine.RunReplication(request.Scenario, request.Seed, request.Replication, request.KeepCallLog),
                cancellationToken);
            var silo = GrainContext.Address.SiloAddress?.ToString() ?? "";
            return new ReplicationOutcome(request.Replication, result.Records.ToState(), result.Events, [silo]);
        }
        finally
        {
            DeactivateOnIdle();
        }
    }
}
