using System.Globalization;
using CrisisSim.Engine;
using CrisisSim.Model.Recording;
using CrisisSim.Model.Scenario;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;

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
    public static Task<RunResult> RunReplicationsAsync(
        IGrainFactory factory,
        string runId,
        ScenarioDefinition scenario,
        long seed,
        int replications,
        bool keepCallLog,
        int maxInFlight,
        CancellationToken cancellationToken) =>
        RunReplicationsAsync(factory, runId, scenario, seed, replications, keepCallLog, maxInFlight, new ReplicationSink(KeepReplications: keepCallLog), cancellationToken);

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
    public static Task<RunResult> RunModelGrainsAsync(
        IGrainFactory factory,
        string runId,
        ScenarioDefinition scenario,
        long seed,
        int replications,
        bool keepCallLog,
        int maxConcurrentRuns,
        CancellationToken cancellationToken) =>
        RunModelGrainsAsync(factory, runId, scenario, seed, replications, keepCallLog, maxConcurrentRuns, new ReplicationSink(KeepReplications: keepCallLog), cancellationToken);

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
        RunOnGrains(runId, scenario, seed, replications, keepCallLog, maxInFlight > 0 ? maxInFlight : 4 * Environment.ProcessorCount,
            (id, request, ct) => RunReplicationGrainAsync(factory, id, request, ct), sink, cancellationToken);

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
        RunOnGrains(runId, scenario, seed, replications, keepCallLog, maxConcurrentRuns > 0 ? maxConcurrentRuns : Environment.ProcessorCount,
            (id, request, ct) => RunModelGrainReplicationAsync(factory, id, request, ct), sink, cancellationToken);

    /// <summary>Replication r as <c>RUNID/rR</c> on a run grain, its records asked for only when the sink needs them.</summary>
    private static Task<RunResult> RunOnGrains(
        string runId,
        ScenarioDefinition scenario,
        long seed,
        int replications,
        bool keepCallLog,
        int concurrency,
        Func<string, RunRequest, CancellationToken, Task<ReplicationOutcome>> runOne,
        ReplicationSink sink,
        CancellationToken cancellationToken) =>
        ReplicationPipeline.RunAsync(
            scenario,
            seed,
            replications,
            concurrency,
            async (r, keepRecords, ct) => ToReplicationKpis(scenario, await runOne(RunKeys.Replication(runId, r), new RunRequest(scenario, seed, r, keepCallLog, keepRecords), ct)),
            sink,
            cancellationToken);

    /// <summary>One replication on a replication grain keyed <paramref name="runId"/>.</summary>
    public static Task<ReplicationOutcome> RunReplicationGrainAsync(IGrainFactory factory, string runId, RunRequest request, CancellationToken cancellationToken = default)
    {
        RunKeys.Validate(runId);
        return RunToEndAsync(factory.GetGrain<IReplicationGrain>(runId), runId, request, cancellationToken);
    }

    /// <summary>One replication on model grains, its clock keyed <paramref name="runId"/>.</summary>
    public static Task<ReplicationOutcome> RunModelGrainReplicationAsync(IGrainFactory factory, string runId, RunRequest request, CancellationToken cancellationToken = default)
    {
        RunKeys.Validate(runId);
        return RunToEndAsync(factory.GetGrain<IRunClockGrain>(runId), runId, request, cancellationToken);
    }

    /// <summary>Starts the run grain and long-polls it: no call lasts longer than <see cref="PollInterval"/> plus the
    /// time to answer, whatever the replication's length. On cancellation the grain is told to stop (and release its
    /// grains) before <see cref="OperationCanceledException"/> is thrown; a grain or silo lost on the way gives a
    /// <see cref="RunLostException"/>.</summary>
    private static async Task<ReplicationOutcome> RunToEndAsync(IRunGrain grain, string runId, RunRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            await grain.Start(request);
        }
        catch (Exception ex) when (IsLoss(ex))
        {
            throw new RunLostException(runId, ex.Message, ex);
        }
        try
        {
            while (true)
            {
                var poll = await AbandonOnCancel(grain.Wait(PollInterval), cancellationToken);
                switch (poll.State)
                {
                    case RunState.Done:
                        return poll.Outcome ?? throw new InvalidOperationException($"Run {runId} finished without an outcome");
                    case RunState.Lost:
                        throw new RunLostException(runId, poll.Reason ?? "its grain has no run");
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await CancelQuietly(grain);
            throw;
        }
        catch (Exception ex) when (IsLoss(ex))
        {
            // No Cancel: it would wait for the same lost silo; a grain still alive stops when nobody polls it.
            throw new RunLostException(runId, ex.Message, ex);
        }
    }

    /// <summary>How long one poll waits for a run grain to finish before it answers "still running".</summary>
    internal static TimeSpan PollInterval { get; } = TimeSpan.FromSeconds(2);

    /// <summary>A failure of the way to the grain (no answer in time, silo or gateway gone), not of the replication.</summary>
    /// <remarks>Any Orleans runtime failure counts, including one met by the run grain itself on its way to its
    /// component grains (e.g. "no active nodes compatible with grain …" while its silo shuts down): the model never
    /// throws Orleans exceptions, so such a failure is the cluster's, not the replication's.</remarks>
    private static bool IsLoss(Exception ex) => ex is TimeoutException or OrleansException;

    /// <summary>Stops waiting for <paramref name="poll"/> when the caller cancels; the poll's answer, which comes within a
    /// poll interval anyway, is then dropped.</summary>
    private static async Task<RunPoll> AbandonOnCancel(Task<RunPoll> poll, CancellationToken cancellationToken)
    {
        try
        {
            return await poll.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (!poll.IsCompleted)
        {
            _ = poll.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            throw;
        }
    }

    private static async Task CancelQuietly(IRunGrain grain)
    {
        try
        {
            await grain.Cancel();
        }
        catch (Exception)
        {
            // Best effort: a grain that cannot be reached stops by itself when nobody polls it (RunPoll.Lease).
        }
    }

    public static ReplicationResult ToReplicationResult(ReplicationOutcome outcome) =>
        new(outcome.Replication, Recorder.FromState(outcome.Records ?? throw new InvalidOperationException($"Replication {outcome.Replication} came back without its records")), outcome.Events);

    /// <summary>The outcome's KPIs: measured where the replication ran, or here from its records.</summary>
    public static ReplicationKpis ToReplicationKpis(ScenarioDefinition scenario, ReplicationOutcome outcome) =>
        outcome.Measures is { } m
            ? new ReplicationKpis(outcome.Replication, outcome.Events, m.Overall, m.ByCallType, m.Intervals, null, m.IntervalsByCallType)
            : RunAccumulator.Measure(scenario, ToReplicationResult(outcome), keepRecords: true);

    /// <summary>A run id unique within this process: scenario name, seed, process id and a sequence number.</summary>
    public static string NewRunId(ScenarioDefinition scenario, long seed)
    {
        var name = scenario.Name.Replace(RunKeys.ComponentSeparator, '_');
        var n = Interlocked.Increment(ref _runSequence);
        return string.Create(CultureInfo.InvariantCulture, $"{name}-s{seed}-p{Environment.ProcessId}-{n}");
    }
}

/// <summary>A replication whose grain was lost before it handed over its outcome: its silo stopped or died, the grain was
/// deactivated, or no answer came in time. The replication did not fail; run it again.</summary>
public sealed class RunLostException(string runId, string reason, Exception? inner = null)
    : Exception($"Run {runId} was lost before it finished: {reason}", inner)
{
    public string RunId { get; } = runId;
}
