using System.Globalization;
using System.Runtime.InteropServices;

namespace CrisisSim.Benchmarks;

/// <summary>What the embedded silo adds to a short command: whole <c>crisissim run scenarios/bench/w-small.yaml -r 10
/// -f summary</c> processes, interleaved, on the default host and with <c>--host threads</c>, each with the start-up
/// profiles (in a folder of their own, recorded by a first run that is not counted) and without them
/// (<c>CRISISSIM_JIT_PROFILES=off</c>). Prints each one's median, minimum and maximum wall time, its median CPU time (the
/// process and its threads, from the kernel's accounting of finished children), the silo's added time and the load
/// average.</summary>
public static class StartupRuns
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public const int MaxRuns = 1000;

    /// <param name="args"><c>[debug|release] [RUNS] [--command PATH]</c>: the built CLI (Release by default), or an
    /// installed command (the tool) given by its path.</param>
    public static int Run(string[] args)
    {
        var configuration = args.Contains("debug") ? "Debug" : "Release";
        var runs = 7;
        string? command = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--command")
            {
                if (i + 1 >= args.Length || !File.Exists(args[i + 1]))
                {
                    Console.Error.WriteLine("error: --command takes the path of an installed crisissim command.");
                    return 2;
                }
                command = args[++i];
            }
            else if (int.TryParse(args[i], NumberStyles.None, Inv, out var n))
            {
                if (n is < 1 or > MaxRuns)
                {
                    Console.Error.WriteLine($"error: RUNS takes a whole number from 1 to {MaxRuns}.");
                    return 2;
                }
                runs = n;
            }
            else if (args[i] is not ("debug" or "release"))
            {
                Console.Error.WriteLine($"error: unknown argument '{args[i]}': startup [debug|release] [RUNS] [--command PATH].");
                return 2;
            }
        }
        var cli = Path.Combine(Workloads.Root, "sims", "CrisisSim.Cli", "bin", configuration, "net10.0", "crisissim.dll");
        if (command is null && !File.Exists(cli))
        {
            Console.Error.WriteLine($"error: {cli} not found; build it first: dotnet build -c {configuration} sims/CrisisSim.Cli");
            return 2;
        }
        var scenario = Path.Combine(Workloads.Root, "scenarios", "bench", "w-small.yaml");
        var dir = Directory.CreateTempSubdirectory("crisissim-startup-").FullName;
        try
        {
            var profiles = Path.Combine(dir, "profiles");
            var cases = new[] { ("silo", profiles), ("threads", profiles), ("silo", "off"), ("threads", "off") };
            var load = File.ReadAllText("/proc/loadavg").Trim();
            // One run of each first, not counted: it records the profiles and fills the file cache.
            foreach (var (host, folder) in cases)
            {
                Time(command, cli, scenario, dir, host, folder);
            }
            var wall = cases.ToDictionary(c => c, _ => new List<double>());
            var cpu = cases.ToDictionary(c => c, _ => new List<double>());
            for (var i = 0; i < runs; i++)
            {
                foreach (var c in cases)
                {
                    var (w, p) = Time(command, cli, scenario, dir, c.Item1, c.Item2);
                    wall[c].Add(w);
                    cpu[c].Add(p);
                }
            }
            Console.WriteLine($"crisissim run w-small.yaml -r 10 -f summary ({command ?? configuration + " build"}), {runs} runs of each, interleaved:");
            foreach (var c in cases)
            {
                Console.WriteLine(string.Create(Inv, $"  {(c.Item1 == "silo" ? "default host" : "--host threads"),-15} {(c.Item2 == "off" ? "no profiles" : "profiles"),-12} wall {CliProcess.Describe(wall[c])}, CPU median {CliProcess.Median(cpu[c]):F2} s"));
            }
            foreach (var folder in new[] { profiles, "off" })
            {
                var added = wall[("silo", folder)].Zip(wall[("threads", folder)], (a, b) => a - b).ToList();
                Console.WriteLine(string.Create(Inv, $"  the silo adds, {(folder == "off" ? "no profiles" : "profiles")}: {CliProcess.Median(wall[("silo", folder)]) - CliProcess.Median(wall[("threads", folder)]):F2} s (difference of the medians; paired: {CliProcess.Describe(added)})"));
            }
            Console.WriteLine($"load average before: {load}; after: {File.ReadAllText("/proc/loadavg").Trim()}");
            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static (double Wall, double Cpu) Time(string? command, string cli, string scenario, string dir, string host, string profiles)
    {
        string[] args = ["run", scenario, "-r", "10", "-f", "summary", "--host", host, "--out", Path.Combine(dir, "out")];
        var (file, all) = command is null ? ("dotnet", (string[])[cli, .. args]) : (command, args);
        var before = ChildrenCpuSeconds();
        var wall = CliProcess.Run(file, all, new Dictionary<string, string> { ["CRISISSIM_JIT_PROFILES"] = profiles }).Wall;
        return (wall, ChildrenCpuSeconds() - before);
    }

    /// <summary>User and system time of the children this process has waited for (getrusage RUSAGE_CHILDREN).</summary>
    private static double ChildrenCpuSeconds()
    {
        var usage = new long[32];
        if (GetRusage(-1, usage) != 0)
        {
            return double.NaN;
        }
        return usage[0] + usage[1] / 1e6 + usage[2] + usage[3] / 1e6;
    }

    [DllImport("libc", EntryPoint = "getrusage", SetLastError = true)]
    private static extern int GetRusage(int who, long[] usage);
}
