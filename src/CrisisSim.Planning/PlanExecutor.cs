using CrisisSim.Engine;
using CrisisSim.Model.Scenario;

namespace CrisisSim.Planning;

/// <summary>Where the replications of a planning command run: on local threads, or as replication grains on a silo.
/// A replication's result depends only on (scenario, seed, replication), never on the host.</summary>
public interface IReplicationHost
{
    /// <summary>Replications worth having in flight at once.</summary>
    int Concurrency { get; }

    /// <summary>An id for the replications of one scenario run (grain keys); unique within the process.</summary>
    string NewRunId(ScenarioDefinition scenario, long seed);

    /// <summary>Runs replication <paramref name="replication"/> and measures its KPIs where it ran.</summary>
    /// <param name="returnRecords">Also return its records (<see cref="ReplicationKpis.Records"/>).</param>
    Task<ReplicationKpis> RunAsync(ScenarioDefinition scenario, long seed, int replication, bool returnRecords, string runId, CancellationToken cancellationToken);
}

/// <summary>The inline engine on local thread-pool threads, no silo (<c>--host process</c>).</summary>
public sealed class InlineReplicationHost(int parallelism = 0) : IReplicationHost
{
    public int Concurrency { get; } = parallelism > 0 ? parallelism : Environment.ProcessorCount;

    public string NewRunId(ScenarioDefinition scenario, long seed) => "";

    public Task<ReplicationKpis> RunAsync(ScenarioDefinition scenario, long seed, int replication, bool returnRecords, string runId, CancellationToken cancellationToken) =>
        Task.Run(() => RunAccumulator.Measure(scenario, InlineEngine.RunReplication(scenario, seed, replication, false, cancellationToken), returnRecords), cancellationToken);
}

/// <summary>One scenario of a plan (a sweep point, an iteration of the staffing algorithm …), loaded when its turn
/// comes so that a long plan does not hold every scenario at once.</summary>
/// <param name="NeedRecords">Keep each replication's records in <see cref="PointResult.Replications"/>.</param>
public sealed record PlanPoint(Func<ScenarioDefinition> Load, bool NeedRecords = false);

/// <summary>A finished point: the run's KPI estimates, and every replication's KPI rows (with records when asked), in
/// replication order.</summary>
public sealed record PointResult(int Index, RunResult Run, IReadOnlyList<ReplicationKpis> Replications);

/// <summary>Where a plan stands: points finished, replications finished.</summary>
public readonly record struct PlanProgress(int PointsDone, int Points, long ReplicationsDone, long Replications);

/// <summary>Runs replications 0 … R-1 of several scenarios with the same root seed, so that every point sees the same
/// random numbers (common random numbers: replication r of every point draws from the streams of (seed, r)). The
/// replications of all points share one bound on work in flight, so a sweep of small runs keeps every core busy; a few
/// points are open at once, and each is reported, in point order, as soon as it and the points before it are done.</summary>
public static class PlanExecutor
{
    public static async Task RunAsync(
        IReplicationHost host,
        IReadOnlyList<PlanPoint> points,
        long seed,
        int replications,
        Action<PointResult> onPoint,
        IProgress<PlanProgress>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(onPoint);
        ArgumentOutOfRangeException.ThrowIfLessThan(replications, 1);
        if (points.Count == 0)
        {
            return;
        }
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var gate = new SemaphoreSlim(Math.Max(1, host.Concurrency));
        var open = new Queue<Task<PointResult>>();
        var maxOpen = Math.Max(2, (2 * host.Concurrency + replications - 1) / replications + 1);
        var next = 0;
        var pointsDone = 0;
        long replicationsDone = 0;
        var total = (long)points.Count * replications;
        try
        {
            while (pointsDone < points.Count)
            {
                while (next < points.Count && open.Count < maxOpen)
                {
                    open.Enqueue(RunPoint(next++));
                }
                var done = await open.Dequeue();
                pointsDone++;
                onPoint(done);
                progress?.Report(new PlanProgress(pointsDone, points.Count, Interlocked.Read(ref replicationsDone), total));
            }
        }
        catch (Exception first)
        {
            await stop.CancelAsync();
            var failures = new List<Exception> { first };
            foreach (var pending in open)
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
            var cause = failures.FirstOrDefault(e => e is not OperationCanceledException) ?? first;
            if (cause == first)
            {
                throw;
            }
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(cause);
        }

        async Task<PointResult> RunPoint(int index)
        {
            // Loading may be real work (a scenario file with settings): off the caller's thread.
            var point = points[index];
            var scenario = await Task.Run(point.Load, stop.Token);
            var runId = host.NewRunId(scenario, seed);
            var runs = new Task<ReplicationKpis>[replications];
            for (var r = 0; r < replications; r++)
            {
                runs[r] = RunOne(scenario, r, point.NeedRecords, runId);
            }
            var kpis = await Task.WhenAll(runs);
            var accumulator = new RunAccumulator(scenario, seed);
            foreach (var k in kpis)
            {
                accumulator.Add(k);
            }
            return new PointResult(index, accumulator.Finish(), kpis);
        }

        async Task<ReplicationKpis> RunOne(ScenarioDefinition scenario, int r, bool records, string runId)
        {
            await gate.WaitAsync(stop.Token);
            try
            {
                var kpis = await host.RunAsync(scenario, seed, r, records, runId, stop.Token);
                if (kpis.Replication != r || (records && kpis.Records is null))
                {
                    throw new InvalidOperationException($"Replication {r} came back as replication {kpis.Replication}{(kpis.Records is null ? " without its records" : "")}");
                }
                var finished = Interlocked.Increment(ref replicationsDone);
                progress?.Report(new PlanProgress(Volatile.Read(ref pointsDone), points.Count, finished, total));
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
}
