using CrisisSim.Model.Scenario;

namespace CrisisSim.Engine;

/// <summary>Runs the replications of a scenario with the inline engine, in parallel on the local cores.
/// Replication r always gets the streams of (seed, r), so the result does not depend on the degree of parallelism.</summary>
public static class SimulationRunner
{
    public static RunResult RunInline(ScenarioDefinition scenario, long seed, int replications, bool keepCallLog = false, int maxParallelism = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(replications, 1);
        var results = new ReplicationResult[replications];
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxParallelism > 0 ? maxParallelism : Environment.ProcessorCount };
        Parallel.For(0, replications, options, r => results[r] = InlineEngine.RunReplication(scenario, seed, r, keepCallLog));
        return RunResult.Analyze(scenario, seed, results);
    }
}
