using System.Runtime.ExceptionServices;
using CrisisSim.Model.Recording;
using CrisisSim.Model.Scenario;

namespace CrisisSim.Engine;

/// <summary>What a run does with its replications besides estimating KPIs.</summary>
/// <param name="KeepReplications">Keep every replication's records in <see cref="RunResult.Replications"/> (memory grows
/// with the replications: for tests and tools).</param>
/// <param name="OnReplication">Called with each replication's records, in replication order, then the records are
/// dropped (e.g. to stream the call log to a file).</param>
/// <param name="Progress">Told the number of replications folded in so far.</param>
/// <param name="OnKpis">Called with each replication's KPI rows, in replication order (e.g. to write one row per
/// replication, which paired comparisons of two runs need).</param>
/// <param name="CallLogs">Where the replications stream their call logs when the run keeps them
/// (<see cref="ReplicationResult.CallLog"/> then names each part); null: each log is held in its records.</param>
public sealed record ReplicationSink(
    bool KeepReplications = false,
    Action<ReplicationResult>? OnReplication = null,
    IProgress<int>? Progress = null,
    Action<ReplicationKpis>? OnKpis = null,
    ICallLogStore? CallLogs = null)
{
    public static ReplicationSink None { get; } = new();

    /// <summary>Whether the sink needs each replication's records, not only its KPI rows.</summary>
    public bool NeedsRecords => KeepReplications || OnReplication is not null;
}

/// <summary>One scenario of a plan (a run, a sweep point, an iteration of the staffing algorithm …), loaded when its
/// turn comes so that a long plan does not hold every scenario at once.</summary>
/// <param name="Output">What each replication hands back besides its KPI rows.</param>
/// <param name="RunId">The id its replications run under (grain keys); null: the host makes one.</param>
/// <param name="CallLogs">Where its replications stream their call logs (see <see cref="ReplicationJob.CallLogs"/>).</param>
public sealed record PlanPoint(Func<ScenarioDefinition> Load, ReplicationOutput Output = ReplicationOutput.Kpis, string? RunId = null, ICallLogStore? CallLogs = null);

/// <summary>A finished point: the run's KPI estimates, and every replication's KPI rows (with records when asked), in
/// replication order.</summary>
public sealed record PointResult(int Index, RunResult Run, IReadOnlyList<ReplicationKpis> Replications);

/// <summary>Where a plan stands: points finished, replications finished.</summary>
public readonly record struct PlanProgress(int PointsDone, int Points, long ReplicationsDone, long Replications);

/// <summary>Runs replications 0 … R−1 of one or several scenarios on any <see cref="IReplicationHost"/>, and hands
/// them over in (point, replication) order. Replication r of every point draws from the streams of (seed, r), so the
/// points of a plan see the same random numbers (common random numbers), and the result depends neither on the host,
/// nor on the number of cores, nor on the order in which replications end. At most <see cref="IReplicationHost.Concurrency"/>
/// replications run at once, and no more than <see cref="RunLimits.ReplicationMemoryBudget"/> holds by their
/// <see cref="ReplicationFootprint"/> (one at least) are held from their start until their measures are folded, over point boundaries (a sweep of small runs keeps every core busy), and at most a small
/// window of finished ones waits for an earlier one, so memory does not grow with the number of replications. The
/// first failure cancels the rest and is the one thrown (not the cancellations it caused).</summary>
public static class ReplicationPipeline
{
    /// <summary>The replications of one scenario, folded into its KPI estimates.</summary>
    /// <param name="output">What each replication hands back; raised to <see cref="ReplicationOutput.Records"/> when the
    /// sink needs records.</param>
    /// <param name="runId">The id the replications run under; null: the host makes one.</param>
    public static async Task<RunResult> RunAsync(
        IReplicationHost host,
        ScenarioDefinition scenario,
        long seed,
        int replications,
        ReplicationOutput output,
        ReplicationSink? sink,
        CancellationToken cancellationToken,
        string? runId = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        sink ??= ReplicationSink.None;
        if (sink.NeedsRecords && output == ReplicationOutput.Kpis)
        {
            output = ReplicationOutput.Records;
        }
        var accumulator = new RunAccumulator(scenario, seed, sink.KeepReplications);
        await RunPlanAsync(host, [new PlanPoint(() => scenario, output, runId, sink.CallLogs)], seed, replications, (_, _, kpis) =>
        {
            var records = kpis.Records;
            accumulator.Add(sink.KeepReplications ? kpis : kpis with { Records = null });
            sink.OnKpis?.Invoke(kpis);
            if (records is not null)
            {
                sink.OnReplication?.Invoke(records);
            }
            sink.Progress?.Report(accumulator.Count);
        }, null, cancellationToken);
        return accumulator.Finish();
    }

    /// <summary>The replications of several scenarios, each point reported with its estimates once it and the points
    /// before it are done.</summary>
    public static Task RunPointsAsync(
        IReplicationHost host,
        IReadOnlyList<PlanPoint> points,
        long seed,
        int replications,
        Action<PointResult> onPoint,
        IProgress<PlanProgress>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onPoint);
        RunAccumulator? accumulator = null;
        var kept = new List<ReplicationKpis>(replications);
        return RunPlanAsync(host, points, seed, replications, (point, scenario, kpis) =>
        {
            accumulator ??= new RunAccumulator(scenario, seed);
            accumulator.Add(kpis);
            kept.Add(kpis);
            if (kept.Count == replications)
            {
                var done = new PointResult(point, accumulator.Finish(), [.. kept]);
                accumulator = null;
                kept.Clear();
                onPoint(done);
            }
        }, progress, cancellationToken);
    }

    /// <summary>Every replication of every point, handed to <paramref name="onReplication"/> (point index, its scenario,
    /// the replication's KPIs) in (point, replication) order, on one thread at a time.</summary>
    public static Task RunPlanAsync(
        IReplicationHost host,
        IReadOnlyList<PlanPoint> points,
        long seed,
        int replications,
        Action<int, ScenarioDefinition, ReplicationKpis> onReplication,
        IProgress<PlanProgress>? progress,
        CancellationToken cancellationToken) =>
        RunPlanAsync(host, points, seed, 0, replications, onReplication, progress, cancellationToken);

    /// <summary>Replications <paramref name="firstReplication"/> … <paramref name="firstReplication"/> +
    /// <paramref name="replications"/> − 1 of every point, as <see cref="RunPlanAsync(IReplicationHost, IReadOnlyList{PlanPoint}, long, int, Action{int, ScenarioDefinition, ReplicationKpis}, IProgress{PlanProgress}?, CancellationToken)"/>:
    /// more replications of points already run, with the same random numbers for those run before.</summary>
    public static async Task RunPlanAsync(
        IReplicationHost host,
        IReadOnlyList<PlanPoint> points,
        long seed,
        int firstReplication,
        int replications,
        Action<int, ScenarioDefinition, ReplicationKpis> onReplication,
        IProgress<PlanProgress>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstReplication);
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(onReplication);
        ArgumentOutOfRangeException.ThrowIfLessThan(replications, 1);
        if (points.Count == 0)
        {
            return;
        }
        var concurrency = Math.Max(1, host.Concurrency);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var gate = new SemaphoreSlim(concurrency);
        var memory = new MemoryGate(RunLimits.ReplicationMemoryBudget);
        var window = new Queue<(int Point, Task<LoadedPoint> Loaded, Task<ReplicationKpis> Run)>();
        var windowSize = 2 * concurrency + 2;
        var total = (long)points.Count * replications;
        long next = 0;
        long folded = 0;
        long finished = 0;
        var pointsDone = 0;
        var loadingPoint = -1;
        Task<LoadedPoint>? loading = null;
        Task? admission = null;
        try
        {
            while (folded < total)
            {
                while (next < total && window.Count < windowSize)
                {
                    var point = (int)(next / replications);
                    if (point != loadingPoint)
                    {
                        loadingPoint = point;
                        loading = LoadAsync(point);
                    }
                    // Memory is admitted in replication order, and held until the replication is folded: when the next
                    // one does not fit, the earliest is folded first (it always can be: it was admitted before).
                    admission ??= memory.EnterAsync((await loading!).Footprint, stop.Token);
                    if (!admission.IsCompleted && window.Count > 0)
                    {
                        break;
                    }
                    await admission;
                    admission = null;
                    window.Enqueue((point, loading!, RunOne(point, loading!, firstReplication + (int)(next % replications))));
                    next++;
                }
                var (index, loaded, run) = window.Dequeue();
                var kpis = await run;
                folded++;
                var folding = await loaded;
                onReplication(index, folding.Scenario, kpis);
                // A replication's measures (its interval rows) are held until folded: its memory is given back then.
                memory.Leave(folding.Footprint);
                if (folded % replications == 0)
                {
                    pointsDone++;
                    progress?.Report(new PlanProgress(pointsDone, points.Count, Interlocked.Read(ref finished), total));
                }
            }
        }
        catch (Exception first)
        {
            await stop.CancelAsync();
            var failures = new List<Exception> { first };
            // Each pending replication awaits its point's loading: awaiting it observes both.
            foreach (var (_, _, pending) in window)
            {
                try
                {
                    await pending;
                }
                catch (Exception ex)
                {
                    failures.Add(ex);
                }
            }
            // The cause, not the cancellation it triggered in the other replications.
            var cause = failures.FirstOrDefault(e => e is not OperationCanceledException) ?? first;
            if (cause == first)
            {
                throw;
            }
            ExceptionDispatchInfo.Throw(cause);
        }

        async Task<LoadedPoint> LoadAsync(int index)
        {
            var point = points[index];
            try
            {
                // Loading may be real work (a scenario file with settings): off the caller's thread.
                var scenario = await Task.Run(point.Load, stop.Token);
                return new LoadedPoint(scenario, point.RunId ?? host.NewRunId(scenario, seed), ReplicationFootprint.EstimateBytes(scenario));
            }
            catch
            {
                await stop.CancelAsync();
                throw;
            }
        }

        async Task<ReplicationKpis> RunOne(int index, Task<LoadedPoint> load, int r)
        {
            var (scenario, runId, _) = await load;
            await gate.WaitAsync(stop.Token);
            try
            {
                var job = new ReplicationJob(scenario, seed, r, runId, points[index].Output, points[index].CallLogs);
                var kpis = await host.RunAsync(job, stop.Token);
                if (kpis.Replication != r || (job.ReturnsRecords && kpis.Records is null))
                {
                    throw new InvalidOperationException($"Replication {r} came back as replication {kpis.Replication}{(kpis.Records is null ? " without its records" : "")}");
                }
                var count = Interlocked.Increment(ref finished);
                progress?.Report(new PlanProgress(Volatile.Read(ref pointsDone), points.Count, count, total));
                return kpis;
            }
            catch
            {
                await stop.CancelAsync();
                throw;
            }
            finally
            {
                gate.Release();
            }
        }
    }

    private readonly record struct LoadedPoint(ScenarioDefinition Scenario, string RunId, long Footprint);
}
