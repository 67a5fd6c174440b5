using BenchmarkDotNet.Attributes;
using CrisisSim.Engine;
using CrisisSim.Model.Scenario;

namespace CrisisSim.Benchmarks;

/// <summary>One replication of each workload with the inline engine (no per-call log), against the reference loop on
/// the same workload (<see cref="ReferenceLoop"/>, the baseline).</summary>
[MemoryDiagnoser]
public class EngineBenchmarks
{
    private ScenarioDefinition _scenario = null!;
    private ReferenceWorkload _workload = null!;
    private ReferenceLoop _reference = null!;
    private int _replication;

    [Params("w-small", "w")]
    public string Workload { get; set; } = "w";

    [GlobalSetup]
    public void Setup()
    {
        _scenario = Workloads.Load(Workload);
        _workload = ReferenceWorkload.Named(Workload);
        _reference = new ReferenceLoop(42);
    }

    [Benchmark]
    public long Replication() => InlineEngine.RunReplication(_scenario, 42, _replication++ % 16).Events;

    [Benchmark(Baseline = true)]
    public long Reference() => _reference.Run(_workload).Events;
}
