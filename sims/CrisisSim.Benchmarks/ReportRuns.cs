using System.Globalization;

namespace CrisisSim.Benchmarks;

/// <summary>What charts and the report add to a run: whole <c>crisissim run scenarios/covid-hotline.yaml</c> processes,
/// alternately with the default formats (charts and report included) and with <c>--format summary,intervals</c>, on the
/// built CLI (Debug, the build <c>dotnet run</c> uses, or Release); prints the median, minimum and maximum wall time of
/// each and of the paired differences.</summary>
public static class ReportRuns
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <param name="args"><c>[debug|release] [RUNS] [process]</c>.</param>
    public static int Run(string[] args)
    {
        var configuration = args.Contains("release") ? "Release" : "Debug";
        var runs = args.Select(a => int.TryParse(a, NumberStyles.None, Inv, out var n) ? n : 0).FirstOrDefault(n => n > 0, 9);
        string[] host = args.Contains("process") ? ["--host", "threads"] : [];
        var cli = Path.Combine(Workloads.Root, "sims", "CrisisSim.Cli", "bin", configuration, "net10.0", "crisissim.dll");
        if (!File.Exists(cli))
        {
            Console.Error.WriteLine($"error: {cli} not found; build it first: dotnet build -c {configuration} sims/CrisisSim.Cli");
            return 2;
        }
        var scenario = Path.Combine(Workloads.Root, "scenarios", "covid-hotline.yaml");
        var dir = Directory.CreateTempSubdirectory("crisissim-report-").FullName;
        try
        {
            var load = File.ReadAllText("/proc/loadavg").Trim();
            var with = new List<double>();
            var without = new List<double>();
            // One run of each first, not counted: the file cache and the JIT's disk caches.
            Time(cli, [scenario, .. host, "--out", dir]);
            Time(cli, [scenario, .. host, "--out", dir, "--format", "summary,intervals"]);
            for (var i = 0; i < runs; i++)
            {
                with.Add(Time(cli, [scenario, .. host, "--out", dir]));
                without.Add(Time(cli, [scenario, .. host, "--out", dir, "--format", "summary,intervals"]));
            }
            Console.WriteLine($"crisissim run covid-hotline.yaml ({configuration}{(host.Length > 0 ? ", --host process" : "")}), {runs} runs each:");
            Console.WriteLine("  with charts and report: " + CliProcess.Describe(with));
            Console.WriteLine("  summary and intervals:  " + CliProcess.Describe(without));
            Console.WriteLine("  added (paired):         " + CliProcess.Describe([.. with.Zip(without, (a, b) => a - b)]));
            Console.WriteLine($"load average before: {load}; after: {File.ReadAllText("/proc/loadavg").Trim()}");
            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static double Time(string cli, string[] args) => CliProcess.Run("dotnet", [cli, "run", .. args]).Wall;
}
