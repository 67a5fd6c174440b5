using CrisisSim.Model.Recording;
using CrisisSim.Engine;

namespace CrisisSim.Grains;

/// <summary>Runs one replication with the inline engine (no grain call in its event loop) on a thread-pool thread,
/// at most one per core of the process at once, so a silo runs as many replications at once as it has cores, and a
/// cluster spreads them over its silos. The grain's scheduler stays free to answer polls meanwhile.</summary>
[RunPlacement]
public sealed class ReplicationGrain : RunGrain, IReplicationGrain
{
    /// <summary>Replications computing at once in this process: one per core; the others wait their turn.</summary>
    private static readonly SemaphoreSlim Cores = new(Environment.ProcessorCount);

    protected override async Task<ReplicationOutcome> RunAsync(string runId, RunRequest request, CancellationToken cancellationToken)
    {
        await Cores.WaitAsync(cancellationToken);
        try
        {
            // A thread of its own (long-running), so the thread pool stays free for the silo's own work.
            var silo = Silo;
            return await Task.Factory.StartNew(
                () => Outcome(request, InlineEngine.RunReplication(
                    request.Scenario, request.Seed, request.Replication, request.Output.KeepsCallLog(), cancellationToken,
                    request.CallLogFolder is { } folder ? new CallLogFolder(folder) : null, request.Output.ReturnsRecords()), [silo]),
                cancellationToken,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default);
        }
        finally
        {
            Cores.Release();
        }
    }
}
