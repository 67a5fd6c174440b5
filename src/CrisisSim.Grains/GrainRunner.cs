using System.Globalization;
using CrisisSim.Engine;
using CrisisSim.Model.Recording;
using CrisisSim.Model.Scenario;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;

namespace CrisisSim.Grains;

/// <summary>Replications on grains, from a client or from the silo's own host: one replication grain per replication
/// running the inline engine (<see cref="GrainReplicationHost.ReplicationGrains"/>), or the model's components as grains
/// in virtual time (<see cref="GrainReplicationHost.ComponentGrains"/>). Replication r always gets the streams of
/// (seed, r) and results are ordered by replication, so a run gives the same result as
/// <see cref="SimulationRunner.RunInline"/> whatever the number of silos, cores or runs at once.</summary>
public static class GrainRunner
{
    private static long _runSequence;

    /// <summary>One replication grain per replication, each running the inline engine; as many at once as the cluster
    /// has cores.</summary>
    /// <param name="parallelism">Replications requested at once (0: 4 per local core); silos run as many as they have cores.</param>
    /// <param name="runId">Replication r runs as <c>RUNID/rR</c>; no other run may use the same id at the same time
    /// (null: a new one).</param>
    public static Task<RunResult> RunReplicationsAsync(
        IGrainFactory factory,
        ScenarioDefinition scenario,
        long seed,
        int replications,
        bool keepCallLog = false,
        int parallelism = 0,
        string? runId = null,
        ReplicationSink? sink = null,
        CancellationToken cancellationToken = default) =>
        RunAsync(GrainReplicationHost.ReplicationGrains(factory, parallelism), scenario, seed, replications, keepCallLog, runId, sink, cancellationToken);

    /// <summary>Model grains in virtual time: per replication, a clock grain and one grain per component (callers,
    /// queue, operator groups), with the same call-by-call outcomes as the inline engine.</summary>
    /// <param name="parallelism">Replications played at once (0: one per local core); each is sequential.</param>
    /// <param name="runId">Replication r runs as <c>RUNID/rR</c>; no other run may use the same id at the same time
    /// (null: a new one).</param>
    public static Task<RunResult> RunModelGrainsAsync(
        IGrainFactory factory,
        ScenarioDefinition scenario,
        long seed,
        int replications,
        bool keepCallLog = false,
        int parallelism = 0,
        string? runId = null,
        ReplicationSink? sink = null,
        CancellationToken cancellationToken = default) =>
        RunAsync(GrainReplicationHost.ComponentGrains(factory, parallelism), scenario, seed, replications, keepCallLog, runId, sink, cancellationToken);

    private static Task<RunResult> RunAsync(
        IReplicationHost host, ScenarioDefinition scenario, long seed, int replications, bool keepCallLog, string? runId, ReplicationSink? sink, CancellationToken cancellationToken) =>
        ReplicationPipeline.RunAsync(
            host,
            scenario,
            seed,
            replications,
            keepCallLog ? ReplicationOutput.CallLog : ReplicationOutput.Kpis,
            sink ?? new ReplicationSink(KeepReplications: keepCallLog),
            cancellationToken,
            runId);

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
        string silo;
        try
        {
            silo = await grain.Start(request);
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
                        throw new RunLostException(runId, poll.Reason ?? "its grain has no run") { Silo = silo };
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
            throw new RunLostException(runId, ex.Message, ex) { Silo = silo };
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

    /// <param name="callLogs">The store the replication streamed its call log to, if it did.</param>
    public static ReplicationResult ToReplicationResult(ReplicationOutcome outcome, ICallLogStore? callLogs = null) =>
        new(outcome.Replication,
            Recorder.FromState(outcome.Records ?? throw new InvalidOperationException($"Replication {outcome.Replication} came back without its records")),
            outcome.Events,
            outcome.CallLogPart is { } part
                ? new StreamedCallLog(
                    callLogs ?? throw new InvalidOperationException($"Replication {outcome.Replication} streamed its call log, but no store was given to read it"),
                    new CallLogPart(part, outcome.CallLogRuns ?? []))
                : null);

    /// <summary>The outcome's KPIs: measured where the replication ran, or here from its records.</summary>
    public static ReplicationKpis ToReplicationKpis(ScenarioDefinition scenario, ReplicationOutcome outcome, ICallLogStore? callLogs = null) =>
        outcome.Measures is { } m
            ? new ReplicationKpis(outcome.Replication, outcome.Events, m.Overall, m.ByCallType, m.Intervals, null, m.IntervalsByCallType, m.PlaybookFirings)
            : RunAccumulator.Measure(scenario, ToReplicationResult(outcome, callLogs), returnRecords: true);

    /// <summary>The KPI rows of <paramref name="kpis"/> as they cross the wire (the inverse of
    /// <see cref="ToReplicationKpis"/> for an outcome without records).</summary>
    public static ReplicationMeasures ToMeasures(ReplicationKpis kpis) =>
        new(kpis.Overall, kpis.ByCallType, kpis.Intervals, kpis.IntervalsByCallType, kpis.PlaybookFirings);

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

    /// <summary>The silo the run had started on, when it had.</summary>
    public string? Silo { get; init; }
}
