using System.Globalization;
using CrisisSim.Engine;
using CrisisSim.Model.Recording;
using CrisisSim.Model.Scenario;

namespace CrisisSim.Grains;

/// <summary>Runs the replications of a scenario on grains, from a client or from the silo's own host. Replication r
/// always gets the streams of (seed, r) and results are ordered by replication, so a run gives the same result as
/// <see cref="SimulationRunner.RunInline"/> whatever the number of silos, cores or runs at once.</summary>
public static class GrainRunner
{
    private static long _runSequence;

    /// <summary>Planning host: one replication grain per replication, each running the inline engine; as many at once
    /// as the cluster has cores.</summary>
    public static Task<RunResult> RunReplicationsAsync(
        IGrainFactory factory,
        ScenarioDefinition scenario,
        long seed,
        int replications,
        bool keepCallLog = false,
        CancellationToken cancellationToken = default) =>
        RunReplicationsAsync(factory, NewRunId(scenario, seed), scenario, seed, replications, keepCallLog, 0, cancellationToken);

    /// <param name="runId">Replication r runs as <c>RUNID/rR</c>; no other run may use the same id at the same time.</param>
    /// <param name="maxInFlight">Replications requested at once (0: 4 per local core); silos run as many as they have cores.</param>
    public static async Task<RunResult> RunReplicationsAsync(
        IGrainFactory factory,
        string runId,
        ScenarioDefinition scenario,
        long seed,
        int replications,
        bool keepCallLog,
        int maxInFlight,
        CancellationToken cancellationToken)
    {
        return await RunReplicationsAsync(factory, runId, scenario, seed, replications, keepCallLog, maxInFlight, new ReplicationSink(KeepReplications: keepCallLog), cancellationToken);
    }

    /// <summary>Model grains in virtual time: per replication, a clock grain and one grain per component (callers,
    /// queue, operator groups), with the same call-by-call outcomes as the inline engine.</summary>
    /// <param name="maxConcurrentRuns">Replications played at once (0: one per local core); each is sequential.</param>
    public static Task<RunResult> RunModelGrainsAsync(
        IGrainFactory factory,
        ScenarioDefinition scenario,
        long seed,
        int replications,
        bool keepCallLog = false,
        int maxConcurrentRuns = 0,
        CancellationToken cancellationToken = default) =>
        RunModelGrainsAsync(factory, NewRunId(scenario, seed), scenario, seed, replications, keepCallLog, maxConcurrentRuns, cancellationToken);

    /// <param name="runId">Replication r runs as <c>RUNID/rR</c>; no other run may use the same id at the same time.</param>
    public static async Task<RunResult> RunModelGrainsAsync(
        IGrainFactory factory,
        string runId,
        ScenarioDefinition scenario,
        long seed,
        int replications,
        bool keepCallLog,
        int maxConcurrentRuns,
        CancellationToken cancellationToken)
    {
        return await RunModelGrainsAsync(factory, runId, scenario, seed, replications, keepCallLog, maxConcurrentRuns, new ReplicationSink(KeepReplications: keepCallLog), cancellationToken);
    }

    /// <summary>Replication grains, with a sink for each replication's records (e.g. the call log) and progress.</summary>
    public static Task<RunResult> RunReplicationsAsync(
        IGrainFactory factory,
        string runId,
        ScenarioDefinition scenario,
        long seed,
        int replications,
        bool keepCallLog,
        int maxInFlight,
        ReplicationSink sink,
        CancellationToken cancellationToken) =>
        ReplicationPipeline.RunAsync(
            scenario,
            seed,
            replications,
            maxInFlight > 0 ? maxInFlight : 4 * Environment.ProcessorCount,
            async (r, ct) => ToReplicationResult(await RunReplicationGrainAsync(factory, RunKeys.Replication(runId, r), new RunRequest(scenario, seed, r, keepCallLog), ct)),
            sink,
            cancellationToken);

    /// <summary>Model grains, with a sink for each replication's records (e.g. the call log) and progress.</summary>
    public static Task<RunResult> RunModelGrainsAsync(
        IGrainFactory factory,
        string runId,
        ScenarioDefinition scenario,
        long seed,
        int replications,
        bool keepCallLog,
        int maxConcurrentRuns,
        ReplicationSink sink,
        CancellationToken cancellationToken) =>
        ReplicationPipeline.RunAsync(
            scenario,
            seed,
            replications,
            maxConcurrentRuns > 0 ? maxConcurrentRuns : Environment.ProcessorCount,
            async (r, ct) => ToReplicationResult(await RunModelGrainReplicationAsync(factory, RunKeys.Replication(runId, r), new RunRequest(scenario, seed, r, keepCallLog), ct)),
            sink,
            cancellationToken);

    /// <summary>One replication on a replication grain keyed <paramref name="runId"/>.</summary>
    public static Task<ReplicationOutcome> RunReplicationGrainAsync(IGrainFactory factory, string runId, RunRequest request, CancellationToken cancellationToken = default)
    {
        RunKeys.Validate(runId);
        return factory.GetGrain<IReplicationGrain>(runId).Run(request, cancellationToken);
    }

    /// <summary>One replication on model grains, its clock keyed <paramref name="runId"/>.</summary>
    public static Task<ReplicationOutcome> RunModelGrainReplicationAsync(IGrainFactory factory, string runId, RunRequest request, CancellationToken cancellationToken = default)
    {
        RunKeys.Validate(runId);
        return factory.GetGrain<IRunClockGrain>(runId).Run(request, cancellationToken);
    }

    public static ReplicationResult ToReplicationResult(ReplicationOutcome outcome) =>
        new(outcome.Replication, Recorder.FromState(outcome.Records), outcome.Events);

    /// <summary>A run id unique within this process: scenario name, seed, process id and a sequence number.</summary>
    public static string NewRunId(ScenarioDefinition scenario, long seed)
    {
        var name = scenario.Name.Replace(RunKeys.ComponentSeparator, '_');
        var n = Interlocked.Increment(ref _runSequence);
        return string.Create(CultureInfo.InvariantCulture, $"{name}-s{seed}-p{Environment.ProcessId}-{n}");
    }
}
