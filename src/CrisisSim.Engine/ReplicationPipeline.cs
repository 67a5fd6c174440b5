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
public sealed record ReplicationSink(
    bool KeepReplications = false,
    Action<ReplicationResult>? OnReplication = null,
    IProgress<int>? Progress = null,
    Action<ReplicationKpis>? OnKpis = null)
{
    public static ReplicationSink None { get; } = new();
}

/// <summary>Runs replications 0 … n−1 on any host with at most a given number at once, each measured where it ran
/// (<see cref="RunAccumulator.Measure"/>; with its records only when the sink needs them), and folds them into the
/// KPI estimates in replication order. At most a small window
/// of finished replications waits for an earlier one, so memory does not grow with the number of replications, and the
/// result does not depend on the host, the number of cores or the order in which replications end.</summary>
public static class ReplicationPipeline
{
    public static async Task<RunResult> RunAsync(
        ScenarioDefinition scenario,
        long seed,
        int replications,
        int concurrency,
        Func<int, bool, CancellationToken, Task<ReplicationKpis>> run,
        ReplicationSink? sink,
        CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(replications, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        sink ??= ReplicationSink.None;
        var keepRecords = sink.KeepReplications || sink.OnReplication is not null;
        var accumulator = new RunAccumulator(scenario, seed, sink.KeepReplications);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var gate = new SemaphoreSlim(concurrency);
        var window = new Queue<Task<ReplicationKpis>>();
        var windowSize = 2 * concurrency + 2;
        var next = 0;
        try
        {
            while (accumulator.Count < replications)
            {
                while (next < replications && window.Count < windowSize)
                {
                    window.Enqueue(RunOne(next++));
                }
                var kpis = await window.Dequeue();
                var records = kpis.Records;
                accumulator.Add(sink.KeepReplications ? kpis : kpis with { Records = null });
                sink.OnKpis?.Invoke(kpis);
                if (records is not null)
                {
                    sink.OnReplication?.Invoke(records);
                }
                sink.Progress?.Report(accumulator.Count);
            }
        }
        catch (Exception first)
        {
            await stop.CancelAsync();
            var failures = new List<Exception> { first };
            foreach (var pending in window)
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
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(cause);
        }
        return accumulator.Finish();

        async Task<ReplicationKpis> RunOne(int r)
        {
            await gate.WaitAsync(stop.Token);
            try
            {
                var kpis = await run(r, keepRecords, stop.Token);
                if (kpis.Replication != r || (keepRecords && kpis.Records is null))
                {
                    throw new InvalidOperationException($"Replication {r} came back as replication {kpis.Replication}{(kpis.Records is null ? " without its records" : "")}");
                }
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
