using CrisisSim.Engine;
using CrisisSim.Model.Scenario;

namespace CrisisSim.Grains;

/// <summary>Replications on grains of a silo or cluster, each long-polled (<see cref="GrainRunner"/>), so that no grain
/// call outlasts the response timeout whatever the replication's length.</summary>
public sealed class GrainReplicationHost : IReplicationHost
{
    private readonly IGrainFactory _grains;
    private readonly bool _components;

    private GrainReplicationHost(IGrainFactory grains, bool components, int concurrency)
    {
        _grains = grains ?? throw new ArgumentNullException(nameof(grains));
        _components = components;
        Concurrency = concurrency;
    }

    /// <summary>One replication grain per replication (keyed RUNID/rR) running the inline engine; silos run as many at
    /// once as they have cores.</summary>
    /// <param name="parallelism">Replications requested at once (0: 4 per local core, so remote silos stay busy too).</param>
    public static GrainReplicationHost ReplicationGrains(IGrainFactory grains, int parallelism = 0) =>
        new(grains, false, parallelism > 0 ? parallelism : 4 * Environment.ProcessorCount);

    /// <summary>The model's components (callers, queue, operator groups) as grains, driven by a clock grain (keyed
    /// RUNID/rR) in virtual time; each replication is sequential.</summary>
    /// <param name="parallelism">Replications played at once (0: one per local core).</param>
    public static GrainReplicationHost ComponentGrains(IGrainFactory grains, int parallelism = 0) =>
        new(grains, true, parallelism > 0 ? parallelism : Environment.ProcessorCount);

    public int Concurrency { get; }

    public string NewRunId(ScenarioDefinition scenario, long seed) => GrainRunner.NewRunId(scenario, seed);

    public async Task<ReplicationKpis> RunAsync(ReplicationJob job, CancellationToken cancellationToken)
    {
        var key = RunKeys.Replication(job.RunId, job.Replication);
        // A replication grain streams the call log to a folder of this machine; component grains hold it in their records.
        var callLogs = !_components && job.KeepsCallLog ? job.CallLogs as CallLogFolder : null;
        var request = new RunRequest(job.Scenario, job.Seed, job.Replication, job.Output, callLogs?.Folder);
        var outcome = _components
            ? await GrainRunner.RunModelGrainReplicationAsync(_grains, key, request, cancellationToken)
            : await GrainRunner.RunReplicationGrainAsync(_grains, key, request, cancellationToken);
        return GrainRunner.ToReplicationKpis(job.Scenario, outcome, callLogs);
    }
}
