using System.Diagnostics;
using System.Runtime.InteropServices;
using CrisisSim.Testing;

namespace CrisisSim.Tests;

/// <summary>The real <c>crisissim</c> process, stopped by a signal in the middle of a long run, on every host. SIGTERM
/// takes the same path as Ctrl+C (SIGINT), which a process started in the background of a non-interactive shell may
/// inherit as ignored.</summary>
[Collection(nameof(ProcessCollection))]
public sealed class InterruptTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("crisissim-signal-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData()]
    [InlineData("--grains", "components")]
    [InlineData("--host", "threads")]
    public async Task A_signal_stops_the_run_promptly_writes_nothing_and_exits_130(params string[] host)
    {
        // W with a 10x longer horizon, 200 replications: minutes of work.
        var scenario = Cli.LongRun(_dir, out var started);
        var output = Path.Combine(_dir, "out");
        using var process = Cli.Start(["run", scenario, "-r", "200", "--out", output, .. Cli.AllowProbe, .. host]);
        await Cli.UntilStarted(process, started);
        if (process.HasExited)
        {
            Assert.Fail("the run ended before it could be interrupted: " + await process.StandardError.ReadToEndAsync());
        }

        var clock = Stopwatch.StartNew();
        Cli.Signal(process, Cli.SigTerm);
        var exited = process.WaitForExit(TimeSpan.FromSeconds(15));
        clock.Stop();
        if (!exited)
        {
            process.Kill(entireProcessTree: true);
        }
        var error = await process.StandardError.ReadToEndAsync();
        Assert.True(exited, "still running 15 s after SIGTERM");
        Assert.True(process.ExitCode == 130, $"exit code {process.ExitCode}: {error}");
        Assert.Contains("interrupted:", error);
        Assert.DoesNotContain("   at ", error);
        // Nothing half-done: no run folder, no staging folder, not even the empty scenario folder left behind.
        var scenarioFolder = Path.Combine(output, "bench-w");
        Assert.False(Directory.Exists(scenarioFolder), string.Join(", ", Directory.Exists(scenarioFolder) ? Directory.GetFileSystemEntries(scenarioFolder) : []));
        Console.WriteLine($"{string.Join(' ', host)}: exited {clock.Elapsed.TotalSeconds:F2} s after SIGTERM");
    }

    /// <summary>A run killed outright (kill -9: no clean-up of its own) leaves its staging folder; the next run into the
    /// same scenario folder removes it, and leaves one whole run.</summary>
    [Fact]
    public async Task The_staging_folder_of_a_killed_run_is_removed_by_the_next_run()
    {
        var scenario = Cli.LongRun(_dir, out var started);
        var output = Path.Combine(_dir, "out");
        using (var process = Cli.Start(["run", scenario, "-r", "200", "--out", output, "--host", "threads", .. Cli.AllowProbe]))
        {
            await Cli.UntilStarted(process, started);
            Cli.Signal(process, 9);
            Assert.True(process.WaitForExit(TimeSpan.FromSeconds(15)), "still running 15 s after SIGKILL");
        }
        var scenarioFolder = Path.Combine(output, "bench-w");
        Assert.Single(Directory.GetDirectories(scenarioFolder, ".staging-*"));

        using (var next = Cli.Start(["run", scenario, "-r", "1", "--out", output, "--host", "threads", "--format", "summary", .. Cli.AllowProbe]))
        {
            Assert.True(next.WaitForExit(TimeSpan.FromSeconds(120)), "the next run did not end");
            Assert.True(next.ExitCode == 0, await next.StandardError.ReadToEndAsync());
        }
        Assert.Equal(["seed1-r1"], Directory.GetDirectories(scenarioFolder).Select(d => Path.GetFileName(d)[..8]));
        Assert.Equal([".lock"], Directory.GetFiles(scenarioFolder).Select(Path.GetFileName));
    }

    /// <summary>A signal while the embedded silo is still starting (its membership steps under way) ends the run as
    /// cleanly: exit 130, no error logged by the half-started silo. The signal is sent once the command has read the
    /// scenario and made its staging folder (its signal handler is then in place, and the silo starts next), at once or
    /// a little later, and before any replication routed a call.</summary>
    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    [InlineData(250)]
    public async Task A_signal_while_the_silo_starts_exits_130_without_an_error_log(int afterStagingMs)
    {
        var scenario = Cli.LongRun(_dir, out var started);
        var output = Path.Combine(_dir, "out");
        using var process = Cli.Start(["run", scenario, "-r", "200", "--out", output, "--grains", "components", .. Cli.AllowProbe]);
        var scenarioFolder = Path.Combine(output, "bench-w");
        await Probe.Until(() => Directory.Exists(scenarioFolder) && Directory.EnumerateDirectories(scenarioFolder, ".staging-*").Any(),
            TimeSpan.FromSeconds(60), "the run's staging folder", () => process.HasExited ? "crisissim exited" : null);
        await Task.Delay(afterStagingMs);
        Assert.False(File.Exists(started), "a replication was already under way: the silo had started");
        Cli.Signal(process, Cli.SigTerm);
        var exited = process.WaitForExit(TimeSpan.FromSeconds(15));
        if (!exited)
        {
            process.Kill(entireProcessTree: true);
        }
        var error = await process.StandardError.ReadToEndAsync();
        Assert.True(exited, "still running 15 s after SIGTERM");
        Assert.True(process.ExitCode == 130, $"exit code {process.ExitCode}: {error}");
        Assert.DoesNotContain("   at ", error);
        Assert.DoesNotContain("fail:", error);
    }
}

[CollectionDefinition(nameof(ProcessCollection), DisableParallelization = true)]
public sealed class ProcessCollection;

/// <summary>Starts the built <c>crisissim</c> as a separate process.</summary>
internal static class Cli
{
    public static Process Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "crisissim.dll"));
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start crisissim");
        // Drain standard output so a full pipe never blocks the child.
        _ = process.StandardOutput.ReadToEndAsync();
        return process;
    }

    public const int SigTerm = 15;

    /// <summary>The probe's assembly is outside the scenarios' folders: a run is allowed to load it by name.</summary>
    public static string[] AllowProbe => ["--allow-plugin", typeof(ProbePolicy).Assembly.Location];

    /// <summary>W with a 10x longer horizon (minutes of work with 200 replications), routed by the probe, which creates
    /// <paramref name="started"/> once a replication routes its first call.</summary>
    public static string LongRun(string dir, out string started)
    {
        started = Path.Combine(dir, "started");
        var scenario = Path.Combine(dir, "long.yaml");
        var text = File.ReadAllText(Repo.Scenario("bench/w.yaml")).Replace("intervals: 8", "intervals: 80");
        Assert.Contains("\nrouting: fifo\n", text, StringComparison.Ordinal);
        File.WriteAllText(scenario, text.Replace("\nrouting: fifo\n", "\n" + Probe.RoutingLine(started) + "\n", StringComparison.Ordinal));
        return scenario;
    }

    /// <summary>Waits until a replication of the run routes its first call; fails if the process exits first or after
    /// a minute.</summary>
    public static Task UntilStarted(Process process, string started) =>
        Probe.Until(() => File.Exists(started), TimeSpan.FromSeconds(60), "a replication under way", () => process.HasExited ? "crisissim exited" : null);

    public static void Signal(Process process, int signal)
    {
        if (Kill(process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
