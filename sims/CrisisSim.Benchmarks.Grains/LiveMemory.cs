using System.Diagnostics;
using System.Globalization;
using CrisisSim.Grains;
using CrisisSim.Scenarios;

namespace CrisisSim.Benchmarks.Grains;

/// <summary>Memory over a long live run (<c>crisissim load</c>'s host: the embedded silo, the live driver, the model's
/// component grains): the scenario played at the given speed while a sampler takes, every few seconds, the managed heap
/// after a full blocking collection (what is really held) and the process's resident memory. It prints each sample with
/// the calls offered so far, then the growth of the held heap per 10,000 calls from the first sample after the warm-up to
/// the last (least squares): flat memory is a slope near zero, whatever the length of the run.</summary>
/// <remarks>Arguments: <c>live-memory [--scenario PATH] [--speed N] [--every SECONDS] [--warm-up SECONDS]</c>; the scenario
/// defaults to scenarios/covid-first-wave.yaml at 4000x (14 days in about 300 s). The collections pause the run for a few
/// milliseconds each: a latency figure from this run is not the command's.</remarks>
public static class LiveMemory
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var scenarioPath = GrainThroughput.Option(args, "--scenario") ?? GrainThroughput.FindScenario("covid-first-wave.yaml");
        var speed = double.Parse(GrainThroughput.Option(args, "--speed") ?? "4000", Inv);
        var every = double.Parse(GrainThroughput.Option(args, "--every") ?? "15", Inv);
        var warmUp = double.Parse(GrainThroughput.Option(args, "--warm-up") ?? "30", Inv);
        if (speed is < 1 or > 100_000 || every is < 1 or > 600 || warmUp is < 0 or > 3600)
        {
            throw new FormatException("--speed must be 1 to 100000, --every 1 to 600 s, --warm-up 0 to 3600 s");
        }
        var scenario = ScenarioLoader.LoadFile(scenarioPath);
        output.WriteLine(string.Create(Inv, $"{scenario.Name} ({Path.GetFileName(scenarioPath)}) live at {speed:0.###}x on an embedded silo, server GC {System.Runtime.GCSettings.IsServerGC}; load average {LoadAverage()}"));
        using var host = await EmbeddedSilo.StartAsync();
        var grains = host.GrainFactory();

        long offered = 0;
        var samples = new List<(double Seconds, long Offered, double HeapMiB, double ResidentMiB)>();
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(every));
            while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false))
            {
                var heap = GC.GetTotalMemory(forceFullCollection: true) / 1048576.0;
                using var process = Process.GetCurrentProcess();
                var sample = (clock.Elapsed.TotalSeconds, Interlocked.Read(ref offered), heap, process.WorkingSet64 / 1048576.0);
                lock (samples)
                {
                    samples.Add(sample);
                }
                output.WriteLine(string.Create(Inv, $"  {sample.Item1,6:F0} s  {sample.Item2,9:N0} calls offered  heap held {heap,7:F1} MiB  resident {sample.Item4,6:F0} MiB"));
            }
        });
        var options = new LiveOptions
        {
            Speed = speed,
            OnTick = tick => Interlocked.Exchange(ref offered, tick.Offered),
        };
        LiveOutcome outcome;
        try
        {
            outcome = await LiveRun.RunAsync(grains, scenario, 1, options, CancellationToken.None);
        }
        finally
        {
            await stop.CancelAsync();
            await host.StopAsync();
            try
            {
                await sampler;
            }
            catch (OperationCanceledException)
            {
            }
        }
        var facts = outcome.Latency.Facts;
        output.WriteLine(string.Create(Inv, $"played {facts.WallSeconds:F0} s, {facts.CallsOffered:N0} calls offered, sustained {facts.SustainedSpeed:0}x, late {outcome.Latency.LateShare:P3}, {facts.AllocatedBytesPerCall / 1024.0:F1} KiB allocated per call"));
        var steady = samples.Where(s => s.Seconds >= warmUp).ToArray();
        if (steady.Length < 3)
        {
            output.WriteLine("too few samples after the warm-up for a slope");
            return 0;
        }
        var (slope, lowest, highest) = Slope(steady);
        output.WriteLine(string.Create(Inv,
            $"heap held after {warmUp:0} s: {steady.Min(s => s.HeapMiB):F1} to {steady.Max(s => s.HeapMiB):F1} MiB over {steady[^1].Offered - steady[0].Offered:N0} calls; growth {slope:F3} MiB per 10,000 calls (95 % CI {lowest:F3} to {highest:F3}); resident {steady[0].ResidentMiB:F0} to {steady[^1].ResidentMiB:F0} MiB; load average {LoadAverage()}"));
        return 0;
    }

    /// <summary>Least-squares slope of the held heap over the calls offered, per 10,000 calls, with its 95 % interval
    /// (Student's t on n − 2 degrees of freedom).</summary>
    private static (double Slope, double Lowest, double Highest) Slope(IReadOnlyList<(double Seconds, long Offered, double HeapMiB, double ResidentMiB)> samples)
    {
        var n = samples.Count;
        var xs = samples.Select(s => s.Offered / 10_000.0).ToArray();
        var ys = samples.Select(s => s.HeapMiB).ToArray();
        var mx = xs.Average();
        var my = ys.Average();
        var sxx = xs.Sum(x => (x - mx) * (x - mx));
        if (sxx <= 0)
        {
            return (double.NaN, double.NaN, double.NaN);
        }
        var slope = xs.Zip(ys).Sum(p => (p.First - mx) * (p.Second - my)) / sxx;
        var residual = xs.Zip(ys).Sum(p => Math.Pow(p.Second - (my + slope * (p.First - mx)), 2));
        var error = Math.Sqrt(residual / Math.Max(1, n - 2) / sxx);
        var t = MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, Math.Max(1, n - 2), 0.975);
        return (slope, slope - t * error, slope + t * error);
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
