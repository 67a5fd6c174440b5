using CrisisSim.Model.Recording;
using CrisisSim.Model.Scenario;

namespace CrisisSim.Engine;

/// <summary>Runs the replications of a scenario with the inline engine, in parallel on the local cores
/// (<see cref="LocalThreadsHost"/>). Replication r always gets the streams of (seed, r), so the result does not depend on
/// the degree of parallelism.</summary>
public static class SimulationRunner
{
    /// <param name="keepCallLog">Keep every call's record; the replications are then kept in the result too.</param>
    public static RunResult RunInline(ScenarioDefinition scenario, long seed, int replications, bool keepCallLog = false, int maxParallelism = 0) =>
        RunInlineAsync(scenario, seed, replications, keepCallLog, maxParallelism, new ReplicationSink(KeepReplications: keepCallLog), CancellationToken.None)
            .GetAwaiter().GetResult();

    /// <param name="maxParallelism">Replications run at once (0: one per core).</param>
    public static Task<RunResult> RunInlineAsync(
        ScenarioDefinition scenario,
        long seed,
        int replications,
        bool keepCallLog,
        int maxParallelism,
        ReplicationSink? sink,
        CancellationToken cancellationToken) =>
        ReplicationPipeline.RunAsync(
            new LocalThreadsHost(maxParallelism),
            scenario,
            seed,
            replications,
            keepCallLog ? ReplicationOutput.CallLog : ReplicationOutput.Kpis,
            sink,
            cancellationToken);
}
