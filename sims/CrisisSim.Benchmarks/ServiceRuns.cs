using System.Diagnostics;
using System.Globalization;
using CrisisSim.Engine;
using CrisisSim.Plugins;
using CrisisSim.Scenarios;

namespace CrisisSim.Benchmarks;

/// <summary>Decisions per second asked of a routing service in simulation, against the same policy in process: the
/// scenario (covid-hotline by default) run inline with the service at URL and with the sample plug-in
/// (<c>SurgePolicy</c>, built in Release), alternately, one replication at a time and then on every core; prints each
/// run's decisions per second, the service's latency per decision (p50, p99, max) and the ratio.</summary>
/// <remarks>Start the sample service first:
/// <c>dotnet run -c Release --project samples/CrisisSim.Samples.RoutingService -- --urls http://127.0.0.1:5080</c>.</remarks>
public static class ServiceRuns
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <param name="args"><c>URL [SCENARIO] [--replications N] [--repeat N]</c>.</param>
    public static int Run(string[] args)
    {
        if (args.Length == 0 || !args[0].StartsWith("http", StringComparison.Ordinal))
        {
            Console.Error.WriteLine("usage: service URL [SCENARIO] [--replications N] [--repeat N]");
            return 2;
        }
        var url = args[0];
        var file = args.Skip(1).FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal) && !int.TryParse(a, Inv, out _))
            ?? Path.Combine(Workloads.Root, "scenarios", "covid-hotline.yaml");
        var replications = Option(args, "--replications", 10);
        var repeat = Option(args, "--repeat", 3);
        var plugin = Path.Combine(Workloads.Root, "samples", "CrisisSim.Samples.Routing", "bin", "Release", "net10.0", "CrisisSim.Samples.Routing.dll");
        if (!File.Exists(plugin))
        {
            Console.Error.WriteLine($"error: {plugin} not found; build it first: dotnet build -c Release samples/CrisisSim.Samples.Routing");
            return 2;
        }
        var settings = new Dictionary<string, string> { ["promoteAfter"] = "5m" };
        var scenario = ScenarioLoader.LoadFile(file);
        var inProcess = scenario with { Routing = RoutingPlugins.Reference(plugin, "CrisisSim.Samples.Routing.SurgePolicy", settings) };
        Console.WriteLine($"{scenario.Name}, {replications} replications, service {url}; load average {File.ReadAllText("/proc/loadavg").Trim()}");
        // Warm both (JIT, connections, the service's own start).
        SimulationRunner.RunInline(scenario with { Routing = RoutingService.Reference(url, settings) }, 1, 1);
        SimulationRunner.RunInline(inProcess, 1, 1);
        foreach (var parallelism in new[] { 1, Environment.ProcessorCount })
        {
            for (var i = 0; i < repeat; i++)
            {
                var counters = new RoutingServiceCounters();
                var service = scenario with { Routing = RoutingService.Reference(url, settings, counters: counters) };
                var serviceSeconds = Time(() => SimulationRunner.RunInline(service, 1, replications, maxParallelism: parallelism));
                var pluginSeconds = Time(() => SimulationRunner.RunInline(inProcess, 1, replications, maxParallelism: parallelism));
                var decisions = counters.Asked;
                Console.WriteLine(string.Create(Inv,
                    $"parallelism {parallelism}: {decisions:N0} decisions; service {serviceSeconds:F2} s, {decisions / serviceSeconds:N0} decisions/s, latency p50 {counters.Percentile(50).TotalMicroseconds:N0} µs, p99 {counters.Percentile(99).TotalMicroseconds:N0} µs, max {counters.MaxLatency.TotalMilliseconds:F1} ms; in process {pluginSeconds:F3} s, {decisions / pluginSeconds:N0} decisions/s; ratio {serviceSeconds / pluginSeconds:F0}"));
            }
        }
        Console.WriteLine($"load average {File.ReadAllText("/proc/loadavg").Trim()}");
        return 0;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], Inv) : fallback;
    }

    private static double Time(Action run)
    {
        var clock = Stopwatch.StartNew();
        run();
        return clock.Elapsed.TotalSeconds;
    }
}
