using System.Diagnostics;
using System.Globalization;
using CrisisSim.Engine;

namespace CrisisSim.Benchmarks;

/// <summary>Warm timing of one workload: the inline engine and the reference loop (<see cref="ReferenceLoop"/>) run
/// in turn, so that both see the same machine load, each timed over <see cref="DefaultRuns"/> replications (or the number asked), in wall time and
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
        var scenario = Workloads.Load(name);
        var reference = new ReferenceLoop(42);
        var workload = ReferenceWorkload.Named(name);
        for (var i = 0; i < WarmupRuns; i++)
        {
            InlineEngine.RunReplication(scenario, 1, i);
            reference.Run(workload);
        }
        var engineTimes = new double[runs];
        var referenceTimes = new double[runs];
        var engineCpu = new double[runs];
        var referenceCpu = new double[runs];
        var process = Process.GetCurrentProcess();
        long calls = 0, events = 0, referenceCalls = 0, referenceEvents = 0;
        var pairedWall = new double[runs];
        var pairedCpu = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            // Which one runs first alternates, so that neither always follows the other's garbage.
            if (i % 2 == 0)
            {
                RunEngine(i);
                RunReference(i);
            }
            else
            {
                RunReference(i);
                RunEngine(i);
            }
            pairedWall[i] = engineTimes[i] / referenceTimes[i];
            pairedCpu[i] = engineCpu[i] / Math.Max(referenceCpu[i], 1e-9);
        }

        void RunEngine(int i)
        {
            var cpu = CpuMilliseconds(process);
            var sw = Stopwatch.StartNew();
            var r = InlineEngine.RunReplication(scenario, 42, i);
            engineTimes[i] = sw.Elapsed.TotalMilliseconds;
            engineCpu[i] = CpuMilliseconds(process) - cpu;
            calls += (long)KpiValues.From(r.Records, 0, scenario.IntervalCount - 1).Offered;
            events += r.Events;
        }

        void RunReference(int i)
        {
            var cpu = CpuMilliseconds(process);
            var sw = Stopwatch.StartNew();
            var k = reference.Run(workload);
            referenceTimes[i] = sw.Elapsed.TotalMilliseconds;
            referenceCpu[i] = CpuMilliseconds(process) - cpu;
            referenceCalls += k.Offered;
            referenceEvents += k.Events;
        }
        Array.Sort(pairedWall);
        Array.Sort(pairedCpu);
        Array.Sort(engineTimes);
        Array.Sort(referenceTimes);
        Array.Sort(engineCpu);
        Array.Sort(referenceCpu);
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(inv,
            $"{name}: median {engineTimes[runs / 2]:F1} ms per replication (min {engineTimes[0]:F1}, max {engineTimes[^1]:F1}), {calls / runs:N0} calls, {events / runs:N0} events, {(double)events / calls:F2} events per call, {calls / (engineTimes.Sum() / 1000):N0} calls/s"));
        output.WriteLine(string.Create(inv,
            $"{name} reference loop: median {referenceTimes[runs / 2]:F1} ms per replication (min {referenceTimes[0]:F1}, max {referenceTimes[^1]:F1}), {referenceCalls / runs:N0} calls, {referenceEvents / runs:N0} events, {(double)referenceEvents / referenceCalls:F2} events per call"));
        output.WriteLine(string.Create(inv,
            $"{name} engine / reference: wall {engineTimes[runs / 2] / referenceTimes[runs / 2]:F2}x (medians), CPU {engineCpu[runs / 2]:F1} / {referenceCpu[runs / 2]:F1} ms = {engineCpu[runs / 2] / referenceCpu[runs / 2]:F2}x (medians)"));
        output.WriteLine(string.Create(inv,
            $"{name} paired (each replication against the reference run beside it, {runs} pairs): wall median {pairedWall[runs / 2]:F2}x (quartiles {pairedWall[runs / 4]:F2}-{pairedWall[3 * runs / 4]:F2}), CPU median {pairedCpu[runs / 2]:F2}x (quartiles {pairedCpu[runs / 4]:F2}-{pairedCpu[3 * runs / 4]:F2})"));
    }

    private static double CpuMilliseconds(Process process)
    {
        process.Refresh();
        return process.TotalProcessorTime.TotalMilliseconds;
    }
}
