using BenchmarkDotNet.Attributes;
using CrisisSim.Engine;
using CrisisSim.Model.Scenario;

namespace CrisisSim.Benchmarks;

/// <summary>One replication of each workload with the inline engine (no per-call log).</summary>
[MemoryDiagnoser]
public class EngineBenchmarks
{
    private ScenarioDefinition _scenario = null!;
    private int _replication;

    [Params("w-small", "w")]
    public string Workload { get; set; } = "w";

    [GlobalSetup]
    public void Setup() => _scenario = Workloads.Load(Workload);

    [Benchmark]
    public long Replication() => InlineEngine.RunReplication(_scenario, 42, _replication++ % 16).Events;
}
