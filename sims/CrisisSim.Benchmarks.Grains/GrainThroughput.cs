using System.Diagnostics;
using System.Globalization;
using CrisisSim.Engine;
using CrisisSim.Grains;
using CrisisSim.Model.Scenario;
using CrisisSim.Scenarios;
using Microsoft.Extensions.Hosting;

namespace CrisisSim.Benchmarks.Grains;

/// <summary>Quick throughput figures of the grain hosts on an embedded silo (Stopwatch, warm): simulated calls per
/// second for one model-grain run, and the speed-up of concurrent runs and replications over one at a time.</summary>
/// <remarks>Usage: <c>[--scenario PATH] [--runs N] [--replications N]</c>; defaults to scenarios/bench/w-small.yaml.</remarks>
public static class GrainThroughput
{
    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var scenarioPath = Option(args, "--scenario") ?? FindScenario("bench/w-small.yaml");
        var runs = int.Parse(Option(args, "--runs") ?? "5", CultureInfo.InvariantCulture);
        var replications = int.Parse(Option(args, "--replications") ?? "40", CultureInfo.InvariantCulture);
        var scenario = ScenarioLoader.LoadFile(scenarioPath);
        var cores = Environment.ProcessorCount;
        output.WriteLine($"scenario {scenario.Name} ({scenarioPath}), {cores} cores, server GC {System.Runtime.GCSettings.IsServerGC}");

        using var host = await EmbeddedSilo.StartAsync();
        var factory = host.GrainFactory();
        long seed = 42;

        // Warm-up: JIT, activations, thread pool.
        for (var i = 0; i < 3; i++)
        {
            await GrainRunner.RunModelGrainReplicationAsync(factory, $"warm-{i}", new RunRequest(scenario, seed, i, false));
            InlineEngine.RunReplication(scenario, seed, i);
        }
        await GrainRunner.RunReplicationsAsync(factory, scenario, seed, 2 * cores);

        var inline = Measure(runs, r => Task.FromResult(InlineEngine.RunReplication(scenario, seed, r).Records));
        output.WriteLine(Line("inline engine, one replication", await inline));

        var oneModelRun = Measure(runs, async r =>
            GrainRunner.ToReplicationResult(await GrainRunner.RunModelGrainReplicationAsync(factory, $"one-{r}", new RunRequest(scenario, seed, r, false))).Records);
        var one = await oneModelRun;
        output.WriteLine(Line("model grains, one run", one));

        // Concurrent model-grain runs: the throughput of `cores` runs at once against one at a time.
        var sequential = await Throughput(() => GrainRunner.RunModelGrainsAsync(factory, scenario, seed, cores * 2, maxConcurrentRuns: 1));
        var concurrent = await Throughput(() => GrainRunner.RunModelGrainsAsync(factory, scenario, seed, cores * 2, maxConcurrentRuns: cores));
        output.WriteLine($"model grains, {cores * 2} runs: one at a time {sequential:N0} calls/s, {cores} at a time {concurrent:N0} calls/s, x{concurrent / sequential:F2}");

        var repSequential = await Throughput(() => GrainRunner.RunReplicationsAsync(factory, GrainRunner.NewRunId(scenario, seed), scenario, seed, replications, false, 1, default));
        var repConcurrent = await Throughput(() => GrainRunner.RunReplicationsAsync(factory, scenario, seed, replications));
        output.WriteLine($"replication grains, {replications} replications: one at a time {repSequential:N0} calls/s, all at once {repConcurrent:N0} calls/s, x{repConcurrent / repSequential:F2}");

        await host.StopAsync();
        return 0;
    }

    private static async Task<(double CallsPerSecond, double MedianMs, long Calls, long Events)> Measure(int runs, Func<int, Task<CrisisSim.Model.Recording.Recorder>> run)
    {
        var times = new List<double>();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        long calls = 0, events = 0;
        for (var r = 0; r < runs; r++)
        {
            var sw = Stopwatch.StartNew();
            var records = await run(r);
            sw.Stop();
            times.Add(sw.Elapsed.TotalMilliseconds);
            calls = (long)KpiValues.From(records, 0, records.IntervalCount - 1).Offered;
        }
        Console.Error.WriteLine($"  cpu {(Process.GetCurrentProcess().TotalProcessorTime - cpu) / wall.Elapsed:F2} cores");
        times.Sort();
        var median = times[times.Count / 2];
        return (calls / (median / 1000), median, calls, events);
    }

    private static async Task<double> Throughput(Func<Task<RunResult>> run)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        var result = await run();
        sw.Stop();
        var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        Console.Error.WriteLine($"  cpu {used.TotalMilliseconds:F0} ms over {sw.Elapsed.TotalMilliseconds:F0} ms wall: {used / sw.Elapsed:F2} cores");
        var calls = result.Replications.Sum(r => KpiValues.From(r.Records, 0, r.Records.IntervalCount - 1).Offered);
        return calls / sw.Elapsed.TotalSeconds;
    }

    private static string Line(string what, (double CallsPerSecond, double MedianMs, long Calls, long Events) m) =>
        $"{what}: {m.MedianMs:F1} ms median for {m.Calls:N0} calls, {m.CallsPerSecond:N0} calls/s";

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static string FindScenario(string relative)
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
