using System.Diagnostics;
using System.Globalization;
using CrisisSim.Engine;

namespace CrisisSim.Benchmarks;

/// <summary>Warm timing of one workload: the inline engine and the reference loop (<see cref="ReferenceLoop"/>) run
/// in turn, so that both see the same machine load, each timed over <see cref="Runs"/> replications, in wall time and
/// in the process's CPU time (steadier than wall time when other processes share the cores).</summary>
public static class SpeedRuns
{
    public const int DefaultRuns = 20;

    public const int MaxRuns = 10_000;

    private const int WarmupRuns = 20;

    public static void Run(string name, TextWriter output, int runs = DefaultRuns)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 3);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(runs, MaxRuns);
        var Runs = runs;
        var scenario = Workloads.Load(name);
        var reference = new ReferenceLoop(42);
        var workload = ReferenceWorkload.Named(name);
        for (var i = 0; i < WarmupRuns; i++)
        {
            InlineEngine.RunReplication(scenario, 1, i);
            reference.Run(workload);
        }
        var engineTimes = new double[Runs];
        var referenceTimes = new double[Runs];
        var engineCpu = new double[Runs];
        var referenceCpu = new double[Runs];
        var process = Process.GetCurrentProcess();
        long calls = 0, events = 0, referenceCalls = 0, referenceEvents = 0;
        var pairedWall = new double[Runs];
        var pairedCpu = new double[Runs];
        for (var i = 0; i < Runs; i++)
        {
            // Which one runs first alternates, so that neither always follows the other's garbage.
            for (var turn = 0; turn < 2; turn++)
            {
                if ((turn == 0) == (i % 2 == 0))
                {
                    var cpu = CpuMilliseconds(process);
                    var sw = Stopwatch.StartNew();
                    var r = InlineEngine.RunReplication(scenario, 42, i);
                    engineTimes[i] = sw.Elapsed.TotalMilliseconds;
                    engineCpu[i] = CpuMilliseconds(process) - cpu;
                    calls += (long)KpiValues.From(r.Records, 0, scenario.IntervalCount - 1).Offered;
                    events += r.Events;
                }
                else
                {
                    var cpu = CpuMilliseconds(process);
                    var sw = Stopwatch.StartNew();
                    var k = reference.Run(workload);
                    referenceTimes[i] = sw.Elapsed.TotalMilliseconds;
                    referenceCpu[i] = CpuMilliseconds(process) - cpu;
                    referenceCalls += k.Offered;
                    referenceEvents += k.Events;
                }
            }
            pairedWall[i] = engineTimes[i] / referenceTimes[i];
            pairedCpu[i] = engineCpu[i] / Math.Max(referenceCpu[i], 1e-9);
        }
        Array.Sort(pairedWall);
        Array.Sort(pairedCpu);
        Array.Sort(engineTimes);
        Array.Sort(referenceTimes);
        Array.Sort(engineCpu);
        Array.Sort(referenceCpu);
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(inv,
            $"{name}: median {engineTimes[Runs / 2]:F1} ms per replication (min {engineTimes[0]:F1}, max {engineTimes[^1]:F1}), {calls / Runs:N0} calls, {events / Runs:N0} events, {(double)events / calls:F2} events per call, {calls / (engineTimes.Sum() / 1000):N0} calls/s"));
        output.WriteLine(string.Create(inv,
            $"{name} reference loop: median {referenceTimes[Runs / 2]:F1} ms per replication (min {referenceTimes[0]:F1}, max {referenceTimes[^1]:F1}), {referenceCalls / Runs:N0} calls, {referenceEvents / Runs:N0} events, {(double)referenceEvents / referenceCalls:F2} events per call"));
        output.WriteLine(string.Create(inv,
            $"{name} engine / reference: wall {engineTimes[Runs / 2] / referenceTimes[Runs / 2]:F2}x (medians), CPU {engineCpu[Runs / 2]:F1} / {referenceCpu[Runs / 2]:F1} ms = {engineCpu[Runs / 2] / referenceCpu[Runs / 2]:F2}x (medians)"));
        output.WriteLine(string.Create(inv,
            $"{name} paired (each replication against the reference run beside it, {Runs} pairs): wall median {pairedWall[Runs / 2]:F2}x (quartiles {pairedWall[Runs / 4]:F2}-{pairedWall[3 * Runs / 4]:F2}), CPU median {pairedCpu[Runs / 2]:F2}x (quartiles {pairedCpu[Runs / 4]:F2}-{pairedCpu[3 * Runs / 4]:F2})"));
    }

    private static double CpuMilliseconds(Process process)
    {
        process.Refresh();
        return process.TotalProcessorTime.TotalMilliseconds;
    }
}
