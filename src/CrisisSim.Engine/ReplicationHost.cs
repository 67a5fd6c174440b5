using CrisisSim.Model.Recording;
using CrisisSim.Model.Scenario;

namespace CrisisSim.Engine;

/// <summary>One replication to run: replication <paramref name="Replication"/> of <paramref name="Scenario"/> under the
/// root seed <paramref name="Seed"/>, as part of the run <paramref name="RunId"/> (see
/// <see cref="IReplicationHost.NewRunId"/>).</summary>
/// <param name="CallLogs">With <see cref="ReplicationOutput.CallLog"/>: where the replication streams its call log (a
/// host that cannot reach it holds the log in the records instead); null: in the records.</param>
public sealed record ReplicationJob(ScenarioDefinition Scenario, long Seed, int Replication, string RunId, ReplicationOutput Output, ICallLogStore? CallLogs = null)
{
    /// <summary>Whether the replication records a record per call.</summary>
    public bool KeepsCallLog => Output.KeepsCallLog();

    /// <summary>Whether the replication hands back its records (<see cref="ReplicationKpis.Records"/>).</summary>
    public bool ReturnsRecords => Output.ReturnsRecords();
}

/// <summary>Where replications run: local threads, replication grains on a silo, model grains in virtual time, a
/// cluster. A replication's result depends only on (scenario, seed, replication), never on the host, so a host is one
/// class: <see cref="ReplicationPipeline"/> does the rest (window, order, cancellation, failures) for every command.</summary>
public interface IReplicationHost
{
    /// <summary>Replications worth having in flight at once.</summary>
    int Concurrency { get; }

    /// <summary>An id for the replications of one scenario run (grain keys); unique within the process.</summary>
    string NewRunId(ScenarioDefinition scenario, long seed);

    /// <summary>Runs one replication and measures its KPIs where it ran, with its records when the job asks for them.</summary>
    Task<ReplicationKpis> RunAsync(ReplicationJob job, CancellationToken cancellationToken);
}

/// <summary>The inline engine on local thread-pool threads, no silo (<c>--host threads</c>).</summary>
public sealed class LocalThreadsHost(int parallelism = 0) : IReplicationHost
{
    public int Concurrency { get; } = parallelism > 0 ? parallelism : Environment.ProcessorCount;

    public string NewRunId(ScenarioDefinition scenario, long seed) => "";

    public Task<ReplicationKpis> RunAsync(ReplicationJob job, CancellationToken cancellationToken) =>
        Task.Run(() => RunAccumulator.Measure(
            job.Scenario,
            InlineEngine.RunReplication(job.Scenario, job.Seed, job.Replication, job.KeepsCallLog, cancellationToken, job.CallLogs, job.ReturnsRecords),
            job.ReturnsRecords), cancellationToken);
}
