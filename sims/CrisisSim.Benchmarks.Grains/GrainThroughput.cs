using System.Diagnostics;
using System.Globalization;
using CrisisSim.Engine;
using CrisisSim.Grains;
using CrisisSim.Model.Scenario;
using CrisisSim.Scenarios;
using Microsoft.Extensions.Hosting;

namespace CrisisSim.Benchmarks.Grains;

/// <summary>Throughput of the grain hosts on an embedded silo, warm, timed with a stopwatch: simulated calls per second
/// of one model-grain run, and the speed-up of concurrent runs and replications over one at a time. Each figure says
/// how much CPU other processes took meanwhile, since a busy machine makes a speed-up look smaller than it is.</summary>
/// <remarks>Arguments: <c>[--scenario PATH] [--repeat N] [--replications N] [--in-flight N] [--only one,replications,model]
/// [--model-runs N] [--gateways PORT,...]</c>; the scenario defaults to scenarios/bench/w-small.yaml. Returns 0, or 1 when a target is missed (see <see cref="Targets"/>).</remarks>
public static class GrainThroughput
{
    /// <summary>Targets: calls per second of one model-grain run, and the speed-up of concurrent work on 2 cores.</summary>
    public static (double OneRunCallsPerSecond, double Speedup) Targets { get; } = (40_000, 1.7);

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var scenarioPath = Option(args, "--scenario") ?? FindScenario("bench/w-small.yaml");
        var repeat = int.Parse(Option(args, "--repeat") ?? "3", CultureInfo.InvariantCulture);
        var replications = int.Parse(Option(args, "--replications") ?? "80", CultureInfo.InvariantCulture);
        var inFlight = int.Parse(Option(args, "--in-flight") ?? "0", CultureInfo.InvariantCulture);
        var only = Option(args, "--only");
        var modelRuns = int.Parse(Option(args, "--model-runs") ?? "0", CultureInfo.InvariantCulture);
        var scenario = ScenarioLoader.LoadFile(scenarioPath);
        var cores = Environment.ProcessorCount;
        const long seed = 42;
        output.WriteLine($"{scenario.Name} ({Path.GetFileName(scenarioPath)}), {cores} cores, server GC {System.Runtime.GCSettings.IsServerGC}, {repeat} repeats (median)");

        // --gateways 30000,30001: a cluster of standalone silos (sims/CrisisSim.Silo) instead of an embedded silo.
        var gateways = Option(args, "--gateways")?.Split(',').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        using var host = gateways is null ? await EmbeddedSilo.StartAsync() : await LocalCluster.ConnectAsync(gateways);
        IGrainFactory factory = gateways is null ? host.GrainFactory() : host.ClusterClient();
        output.WriteLine(gateways is null ? "embedded silo" : $"client of the local cluster at gateways {string.Join(", ", gateways)}");

        // Warm-up: JIT, activations, thread pool.
        await GrainRunner.RunModelGrainsAsync(factory, scenario, seed, 2 * cores, parallelism: cores);
        await GrainRunner.RunReplicationsAsync(factory, scenario, seed, 4 * cores);
        SimulationRunner.RunInline(scenario, seed, 4 * cores);

        Measurement? modelOne = null;
        double replicationSpeedup = double.NaN, modelSpeedup = double.NaN;
        if (Selected(only, "one"))
        {
            var inlineOne = await Median(repeat, () => Timed(() => Task.FromResult(SimulationRunner.RunInline(scenario, seed, 1))));
            output.WriteLine($"inline engine, one replication:      {inlineOne}");
            modelOne = await Median(repeat, () => Timed(() => GrainRunner.RunModelGrainsAsync(factory, scenario, seed, 1)));
            output.WriteLine($"model grains, one run:               {modelOne}");
        }
        if (Selected(only, "replications"))
        {
            await Speedup(output, $"inline engine (Parallel.For), {replications} replications", repeat,
                () => Timed(() => Task.FromResult(SimulationRunner.RunInline(scenario, seed, replications, maxParallelism: 1))),
                () => Timed(() => Task.FromResult(SimulationRunner.RunInline(scenario, seed, replications))));
            replicationSpeedup = await Speedup(output, $"replication grains, {replications} replications", repeat,
                () => Timed(() => GrainRunner.RunReplicationsAsync(factory, scenario, seed, replications, parallelism: 1)),
                () => Timed(() => GrainRunner.RunReplicationsAsync(factory, scenario, seed, replications, parallelism: inFlight)));
        }
        if (Selected(only, "model"))
        {
            var runs = modelRuns > 0 ? modelRuns : 2 * cores;
            modelSpeedup = await Speedup(output, $"model grains, {runs} runs", repeat,
                () => Timed(() => GrainRunner.RunModelGrainsAsync(factory, scenario, seed, runs, parallelism: 1)),
                () => Timed(() => GrainRunner.RunModelGrainsAsync(factory, scenario, seed, runs, parallelism: cores)));
        }

        await host.StopAsync();
        var ok = !(modelOne?.CallsPerSecond < Targets.OneRunCallsPerSecond || replicationSpeedup < Targets.Speedup || modelSpeedup < Targets.Speedup);
        output.WriteLine(ok ? "targets met" : $"target missed: one run ≥ {Targets.OneRunCallsPerSecond:N0} calls/s, speed-up ≥ {Targets.Speedup:F1}");
        return ok ? 0 : 1;
    }

    private static async Task<double> Speedup(TextWriter output, string what, int repeat, Func<Task<Measurement>> oneAtATime, Func<Task<Measurement>> concurrent)
    {
        var ratios = new List<double>();
        Measurement? lastOne = null, lastAll = null;
        for (var i = 0; i < repeat; i++)
        {
            await WaitForQuietMachine(output);
            lastOne = await oneAtATime();
            lastAll = await concurrent();
            ratios.Add(lastAll.CallsPerSecond / lastOne.CallsPerSecond);
        }
        ratios.Sort();
        var median = ratios[ratios.Count / 2];
        output.WriteLine($"{what}: speed-up x{median:F2} (runs: {string.Join(", ", ratios.Select(r => r.ToString("F2", CultureInfo.InvariantCulture)))})");
        output.WriteLine($"    one at a time: {lastOne}");
        output.WriteLine($"    concurrent:    {lastAll}");
        return median;
    }

    private static async Task<Measurement> Median(int repeat, Func<Task<Measurement>> measure)
    {
        var all = new List<Measurement>();
        for (var i = 0; i < repeat; i++)
        {
            await WaitForQuietMachine(output: null);
            all.Add(await measure());
        }
        return all.OrderBy(m => m.CallsPerSecond).ElementAt(all.Count / 2);
    }

    private static async Task<Measurement> Timed(Func<Task<RunResult>> run)
    {
        var machineBefore = MachineBusy();
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes();
        var gen0Before = GC.CollectionCount(0);
        var sw = Stopwatch.StartNew();
        var result = await run();
        sw.Stop();
        process.Refresh();
        var ours = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        var machine = MachineBusy() - machineBefore;
        var calls = Offered(result);
        var seconds = sw.Elapsed.TotalSeconds;
        return new Measurement(calls, seconds, ours / seconds, machine is { } m ? Math.Max(0, m - ours) / seconds : double.NaN,
            (GC.GetTotalAllocatedBytes() - allocatedBefore) / calls, GC.CollectionCount(0) - gen0Before);
    }

    /// <summary>Calls offered over every interval and replication (a run keeps no replication records).</summary>
    private static double Offered(RunResult result) =>
        Math.Round(result.Intervals.Sum(i => i.Kpis["offered"].Mean) * result.ReplicationCount);

    /// <summary>Waits (up to a minute) until other processes use less than 0.15 core over half a second, so that a
    /// build or test running beside the benchmark does not pass for a lack of scaling.</summary>
    private static async Task WaitForQuietMachine(TextWriter? output)
    {
        var process = Process.GetCurrentProcess();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(1))
        {
            var machine = MachineBusy();
            process.Refresh();
            var ours = process.TotalProcessorTime;
            await Task.Delay(500);
            process.Refresh();
            if (machine is null || (MachineBusy() - machine - (process.TotalProcessorTime - ours).TotalSeconds) / 0.5 < 0.15)
            {
                return;
            }
        }
        output?.WriteLine("    (the machine stayed busy: measuring anyway)");
    }

    /// <summary>CPU seconds the whole machine has been busy (Linux /proc/stat), or null elsewhere.</summary>
    private static double? MachineBusy()
    {
        if (!File.Exists("/proc/stat"))
        {
            return null;
        }
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // cpu user nice system idle iowait irq softirq steal ...: busy = all but idle and iowait.
        var ticks = fields.Skip(1).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var busy = ticks.Sum() - ticks[3] - ticks[4];
        return busy / 100.0; // USER_HZ
    }

    private sealed record Measurement(double Calls, double Seconds, double CoresUsed, double OtherProcessesCores, double BytesPerCall, int Gen0Collections)
    {
        public double CallsPerSecond => Calls / Seconds;

        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"{Calls:N0} calls in {Seconds * 1000:F0} ms = {CallsPerSecond:N0} calls/s, {CoresUsed:F2} cores used, other processes {OtherProcessesCores:F2} cores, {BytesPerCall:F0} B/call, {Gen0Collections} gen0 GCs");
    }

    private static bool Selected(string? only, string section) => only is null || only.Split(',').Contains(section);

    internal static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    internal static string FindScenario(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "scenarios", relative);
            if (File.Exists(path))
            {
                return path;
            }
        }
        throw new FileNotFoundException("scenarios/" + relative + " not found above " + AppContext.BaseDirectory);
    }
}
