using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Running;
using CrisisSim.Benchmarks;
using CrisisSim.Engine;

// speed [--runs N] [workload...]  warm timing of inline replications and of the reference loop, interleaved (Stopwatch, after warm-up runs)
// playbook [workload...]     warm timing of inline replications with a playbook of 5 rules that never fire against none
// memory WORKLOAD [factor]   peak working set of one replication, in a process doing nothing else
// limits [CASE...]          whole crisissim runs at the documented limits: peak memory, time; time from SIGTERM to exit
// report [release] [N]      whole crisissim runs of covid-hotline with and without charts and report
// startup [debug] [N] [--command PATH]  whole crisissim runs of W-small: default host against --host threads, with and without start-up profiles
// planning [staff|sweep] [--repeat N]  whole crisissim staff and sweep runs on the bench workloads: wall time
// service URL [SCENARIO]    decisions per second asked of a routing service in simulation, against the same policy in process
// bdn [BenchmarkDotNet args] the BenchmarkDotNet suite
try
{
    return Run(args);
}
catch (Exception ex) when (ex is FormatException or OverflowException or CrisisSim.Scenarios.ScenarioException)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    Console.Error.WriteLine("usage: speed [--runs N] [WORKLOAD...] | playbook [WORKLOAD...] | memory WORKLOAD [FACTOR] | limits [groups|intervals|intervals-1|types|types-groups|intervals-types|replications|interrupt] | report [debug|release] [RUNS] [process] | startup [debug|release] [RUNS] [--command PATH] | planning [staff|sweep] [--repeat N] | service URL [SCENARIO] [--replications N] [--repeat N] | bdn [BenchmarkDotNet arguments]; workloads: w, w-small");
    return 2;
}

static int Run(string[] args)
{
    var mode = args.Length > 0 ? args[0] : "speed";
    var rest = args.Skip(1).ToArray();
    var inv = CultureInfo.InvariantCulture;
    switch (mode)
    {
        case "speed":
        {
            var runs = SpeedRuns.DefaultRuns;
            var at = Array.IndexOf(rest, "--runs");
            if (at >= 0)
            {
                if (at + 1 >= rest.Length || !int.TryParse(rest[at + 1], NumberStyles.None, inv, out runs) || runs < 3 || runs > SpeedRuns.MaxRuns)
                {
                    Console.Error.WriteLine($"error: --runs takes a whole number from 3 to {SpeedRuns.MaxRuns}.");
                    return 2;
                }
                rest = [.. rest[..at], .. rest[(at + 2)..]];
            }
            foreach (var name in rest.Length > 0 ? rest : ["w-small", "w"])
            {
                SpeedRuns.Run(name, Console.Out, runs);
            }
            return 0;
        }
        case "playbook":
            foreach (var name in rest.Length > 0 ? rest : ["w-small", "w"])
            {
                PlaybookRuns.Run(name, Console.Out);
            }
            return 0;
        case "memory":
        {
            var s = Workloads.Load(rest.Length > 0 ? rest[0] : "w");
            var factor = rest.Length > 1 ? int.Parse(rest[1], inv) : 1;
            if (factor > 1)
            {
                s = Workloads.Stretched(s, factor);
            }
            var sw = Stopwatch.StartNew();
            var r = InlineEngine.RunReplication(s, 42, 0);
            var calls = KpiValues.From(r.Records, 0, s.IntervalCount - 1).Offered;
            Console.WriteLine(string.Create(inv,
                $"{s.Name}: {calls:N0} calls, {r.Events:N0} events in {sw.Elapsed.TotalSeconds:F2} s; peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MiB, GC heap after run {GC.GetTotalMemory(false) / 1048576.0:F1} MiB"));
            return 0;
        }
        case "limits":
            return LimitRuns.Run(rest);
        case "report":
            return ReportRuns.Run(rest);
        case "startup":
            return StartupRuns.Run(rest);
        case "planning":
            return PlanningRuns.Run(rest);
        case "service":
            return ServiceRuns.Run(rest);
        case "bdn":
            BenchmarkSwitcher.FromAssembly(typeof(EngineBenchmarks).Assembly).Run(rest);
            return 0;
        default:
            Console.Error.WriteLine($"unknown mode '{mode}': use speed, playbook, memory, limits, report, startup, planning, service or bdn");
            return 2;
}
}
