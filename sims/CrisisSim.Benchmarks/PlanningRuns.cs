using System.Diagnostics;
using System.Globalization;

namespace CrisisSim.Benchmarks;

/// <summary>Whole <c>crisissim staff</c> and <c>crisissim sweep</c> processes on the default host (embedded silo), as a
/// user runs them: wall time of each run (silo start included), repeated, with the machine's load average. Uses the
/// built CLI: <c>dotnet build -c Release sims/CrisisSim.Cli</c>.</summary>
public static class PlanningRuns
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static int Run(string[] args)
    {
        var cli = Path.Combine(Workloads.Root, "sims", "CrisisSim.Cli", "bin", "Release", "net10.0", "crisissim.dll");
        if (!File.Exists(cli))
        {
            Console.Error.WriteLine($"error: {cli} not found; build it first: dotnet build -c Release sims/CrisisSim.Cli");
            return 2;
        }
        var repeat = 3;
        var cases = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--repeat" && i + 1 < args.Length)
            {
                repeat = int.Parse(args[++i], Inv);
            }
            else
            {
                cases.Add(args[i]);
            }
        }
        var bench = Path.Combine(Workloads.Root, "scenarios", "bench");
        var dir = Directory.CreateTempSubdirectory("crisissim-planning-").FullName;
        try
        {
            foreach (var name in cases.Count > 0 ? cases : ["staff", "sweep"])
            {
                string[] command = name switch
                {
                    // 48 half hours, ~100,000 calls a replication, 80 % within 60 s; 10 replications per iteration.
                    "staff" => ["staff", Path.Combine(bench, "staff-24h.yaml"), "--out", Path.Combine(dir, "out")],
                    // 100 points of W-small (150 to 249 operators), 10 replications each.
                    "sweep" => ["sweep", Path.Combine(bench, "w-small.yaml"), "--set", "groups.operators.staffing=150..249", "--out", Path.Combine(dir, "out")],
                    _ => [],
                };
                if (command.Length == 0)
                {
                    Console.Error.WriteLine($"error: unknown case '{name}': use staff, sweep");
                    return 2;
                }
                var times = new List<double>();
                var before = LoadAverage();
                string last = "";
                for (var r = 0; r < repeat; r++)
                {
                    var clock = Stopwatch.StartNew();
                    var (code, output) = Execute(cli, command);
                    times.Add(clock.Elapsed.TotalSeconds);
                    if (code != 0)
                    {
                        Console.Error.WriteLine($"error: {name} exited with {code}: {output}");
                        return 1;
                    }
                    last = output;
                }
                times.Sort();
                var summary = name == "staff"
                    ? last.Split('\n').FirstOrDefault(l => l.Contains("converged", StringComparison.Ordinal))?.Trim() ?? ""
                    : last.Split('\n').FirstOrDefault(l => l.Contains("point(s)", StringComparison.Ordinal))?.Trim() ?? "";
                Console.WriteLine(string.Create(Inv,
                    $"{name}: median {times[times.Count / 2]:F1} s (min {times[0]:F1}, max {times[^1]:F1}) over {repeat} run(s); load average before {before}, after {LoadAverage()}"));
                Console.WriteLine("  " + summary);
            }
            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static (int Code, string Output) Execute(string cli, string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(cli);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start crisissim");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
}
