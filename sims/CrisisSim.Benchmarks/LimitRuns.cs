using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace CrisisSim.Benchmarks;

/// <summary>Whole <c>crisissim run</c> processes on the default host (embedded silo) at the edges of the documented
/// limits: peak resident memory (the process's VmHWM) and wall time; and the time from SIGTERM (the path of Ctrl+C) to
/// exit in the middle of a long run. Uses the built CLI: <c>dotnet build -c Release sims/CrisisSim.Cli</c>.</summary>
public static class LimitRuns
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static int Run(string[] cases)
    {
        var cli = Path.Combine(Workloads.Root, "sims", "CrisisSim.Cli", "bin", "Release", "net10.0", "crisissim.dll");
        if (!File.Exists(cli))
        {
            Console.Error.WriteLine($"error: {cli} not found; build it first: dotnet build -c Release sims/CrisisSim.Cli");
            return 2;
        }
        var dir = Directory.CreateTempSubdirectory("crisissim-limits-").FullName;
        try
        {
            foreach (var name in cases.Length > 0 ? cases : ["groups", "intervals", "intervals-1", "types", "types-groups", "intervals-types", "replications", "interrupt"])
            {
                switch (name)
                {
                    case "groups":
                        Measure(cli, dir, "10,000 groups (one call type, 20 intervals, 20,000 calls), 4 replications", Groups(dir), "4");
                        break;
                    case "intervals":
                        Measure(cli, dir, "100,000 one-minute intervals (60 calls each: 6 M calls a replication), 4 replications", Intervals(dir), "4");
                        break;
                    case "types":
                        Measure(cli, dir, "10,000 call types x 200 half-hour intervals (2,000,000 cells, one group, 2 M calls), 4 replications", CallTypes(dir, groupPerType: false), "4");
                        break;
                    case "types-groups":
                        Measure(cli, dir, "10,000 call types x 200 intervals, a group for each (10,000 groups, 2 M calls), 4 replications", CallTypes(dir, groupPerType: true), "4");
                        break;
                    case "intervals-types":
                        Measure(cli, dir, "100,000 five-minute intervals x 20 call types (2,000,000 cells, 2 M calls), 4 replications", IntervalsByCallType(dir), "4");
                        break;
                    case "intervals-1":
                        Measure(cli, dir, "100,000 one-minute intervals (6 M calls), 1 replication", Intervals(dir), "1");
                        break;
                    case "replications":
                        Measure(cli, dir, "20,000 replications of erlang-c-textbook (48 intervals)", Path.Combine(Workloads.Root, "scenarios", "erlang-c-textbook.yaml"), "20000");
                        break;
                    case "interrupt":
                        Interrupt(cli, dir);
                        break;
                    case "calllog":
                        Measure(cli, dir, "call log of 4.8 M calls a replication (55.6 calls/s over 24 h, --calls -f summary), 2 replications", CallLog(dir), "2", "--calls", "-f", "summary");
                        break;
                    case "waiting":
                        Measure(cli, dir, "50 M calls without patience on 1 operator (the queue never empties), 2 replications", Waiting(dir), "2", "-f", "summary");
                        break;
                    default:
                        Console.Error.WriteLine($"error: unknown case '{name}': use groups, intervals, intervals-1, types, types-groups, intervals-types, replications, interrupt, calllog, waiting");
                        return 2;
                }
            }
            Console.WriteLine(string.Create(Inv, $"load average at the end: {File.ReadAllText("/proc/loadavg").Trim()}"));
            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void Measure(string cli, string dir, string what, string scenario, string replications, params string[] options)
    {
        var clock = Stopwatch.StartNew();
        using var process = Start(cli, ["run", scenario, "-r", replications, "--out", Path.Combine(dir, "out"), .. options]);
        long peak = 0;
        while (!process.WaitForExit(50))
        {
            peak = Math.Max(peak, PeakResidentKiB(process.Id));
        }
        Console.WriteLine(string.Create(Inv,
            $"{what}: exit {process.ExitCode}, {clock.Elapsed.TotalSeconds:F1} s, peak resident {peak / 1024.0:F0} MiB (at least; sampled every 50 ms)"));
    }

    private static void Interrupt(string cli, string dir)
    {
        var scenario = Path.Combine(dir, "w-long.yaml");
        File.WriteAllText(scenario, File.ReadAllText(Path.Combine(Workloads.Root, "scenarios", "bench", "w.yaml")).Replace("intervals: 8", "intervals: 80", StringComparison.Ordinal));
        using var process = Start(cli, ["run", scenario, "-r", "200", "--out", Path.Combine(dir, "out")]);
        Thread.Sleep(TimeSpan.FromSeconds(4));
        var clock = Stopwatch.StartNew();
        if (Kill(process.Id, 15) != 0)
        {
            Console.Error.WriteLine("error: cannot signal the run");
            return;
        }
        process.WaitForExit();
        Console.WriteLine(string.Create(Inv,
            $"SIGTERM 4 s into a 200-replication run of W x10: exit {process.ExitCode} after {clock.Elapsed.TotalSeconds:F2} s"));
    }

    private static Process Start(string cli, string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(cli);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start crisissim");
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        return process;
    }

    /// <summary>VmHWM of /proc/PID/status: the most memory the process has held resident so far.</summary>
    private static long PeakResidentKiB(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    return long.Parse(line[6..].Trim().Split(' ')[0], Inv);
                }
            }
        }
        catch (IOException)
        {
            // The process has just ended.
        }
        return 0;
    }

    private static string Groups(string dir)
    {
        var yaml = new StringBuilder("""
            name: groups-10000
            interval: 30m
            intervals: 20
            serviceLevel: { threshold: 20s }
            callTypes:
              - name: calls
                arrivals: { callsPerInterval: 1000 }
                patience: { dist: exponential, mean: 2m }
                handleTime: { dist: exponential, mean: 3m }
            groups:

            """);
        for (var g = 0; g < 10_000; g++)
        {
            yaml.Append(Inv, $"  - {{ name: g{g}, serves: [calls], staffing: 1 }}\n");
        }
        var path = Path.Combine(dir, "groups.yaml");
        File.WriteAllText(path, yaml.ToString());
        return path;
    }

    private static string Intervals(string dir)
    {
        var path = Path.Combine(dir, "intervals.yaml");
        File.WriteAllText(path, """
            name: intervals-100000
            interval: 1m
            intervals: 100000
            serviceLevel: { threshold: 20s }
            callTypes:
              - name: calls
                arrivals: { callsPerInterval: 60 }
                patience: { dist: exponential, mean: 5m }
                handleTime: { dist: exponential, mean: 3m }
            groups:
              - { name: agents, serves: [calls], staffing: 190 }

            """);
        return path;
    }

    /// <summary>55.6 calls/s on 3,400 operators over 24 hours: 4.8 M calls a replication, within the call log's limit.</summary>
    private static string CallLog(string dir)
    {
        var path = Path.Combine(dir, "calllog.yaml");
        File.WriteAllText(path, """
            name: calllog-4m
            interval: 1h
            intervals: 24
            serviceLevel: { threshold: 20s }
            callTypes:
              - name: calls
                arrivals: { callsPerInterval: 200000 }
                patience: { dist: exponential, mean: 2m }
                handleTime: { dist: exponential, mean: 1m }
            groups:
              - { name: agents, serves: [calls], staffing: 3400 }

            """);
        return path;
    }

    /// <summary>The most calls a replication may expect, none giving up, one operator: the queue grows until the
    /// replication stops at the limit of calls waiting at once.</summary>
    private static string Waiting(string dir)
    {
        var path = Path.Combine(dir, "waiting.yaml");
        File.WriteAllText(path, """
            name: waiting-50m
            interval: 1h
            intervals: 24
            serviceLevel: { threshold: 20s }
            callTypes:
              - name: calls
                arrivals: { callsPerInterval: 2083333 }
                handleTime: { dist: exponential, mean: 3m }
            groups:
              - { name: agents, serves: [calls], staffing: 1 }

            """);
        return path;
    }

    /// <summary>10,000 call types of one call per half hour over 200 intervals: served by one group, or each by its own.</summary>
    private static string CallTypes(string dir, bool groupPerType)
    {
        const int types = 10_000;
        var yaml = new StringBuilder(groupPerType ? "name: types-groups\n" : "name: types\n");
        yaml.Append("""
            interval: 30m
            intervals: 200
            serviceLevel: { threshold: 20s }
            callTypes:

            """);
        for (var t = 0; t < types; t++)
        {
            yaml.Append(Inv, $"  - {{ name: t{t}, arrivals: {{ callsPerInterval: 1 }}, patience: {{ dist: exponential, mean: 2m }}, handleTime: {{ dist: exponential, mean: 3m }} }}\n");
        }
        yaml.Append("groups:\n");
        if (groupPerType)
        {
            for (var t = 0; t < types; t++)
            {
                yaml.Append(Inv, $"  - {{ name: g{t}, serves: [t{t}], staffing: 1 }}\n");
            }
        }
        else
        {
            yaml.Append("  - name: agents\n    staffing: 1100\n    serves: [");
            yaml.AppendJoin(", ", Enumerable.Range(0, types).Select(t => string.Create(Inv, $"t{t}")));
            yaml.Append("]\n");
        }
        var path = Path.Combine(dir, groupPerType ? "types-groups.yaml" : "types.yaml");
        File.WriteAllText(path, yaml.ToString());
        return path;
    }

    /// <summary>A year of five-minute intervals (100,000) for 20 call types of one call per interval.</summary>
    private static string IntervalsByCallType(string dir)
    {
        var yaml = new StringBuilder("""
            name: intervals-types
            interval: 5m
            intervals: 100000
            serviceLevel: { threshold: 20s }
            callTypes:

            """);
        for (var t = 0; t < 20; t++)
        {
            yaml.Append(Inv, $"  - {{ name: t{t}, arrivals: {{ callsPerInterval: 1 }}, patience: {{ dist: exponential, mean: 5m }}, handleTime: {{ dist: exponential, mean: 3m }} }}\n");
        }
        yaml.Append("groups:\n  - name: agents\n    staffing: 20\n    serves: [");
        yaml.AppendJoin(", ", Enumerable.Range(0, 20).Select(t => string.Create(Inv, $"t{t}")));
        yaml.Append("]\n");
        var path = Path.Combine(dir, "intervals-types.yaml");
        File.WriteAllText(path, yaml.ToString());
        return path;
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
