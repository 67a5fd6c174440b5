using System.Diagnostics;
using CrisisSim.Testing;
using Orleans.Configuration;

namespace CrisisSim.Grains.Tests;

/// <summary>What a run's caller sees when the silo goes away or was never there, and silos refusing ports already taken.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SiloLifecycleTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Polling_a_run_grain_that_has_no_run_reports_the_run_lost()
    {
        var replication = await fixture.Client.GetGrain<IReplicationGrain>("never-started").Wait(TimeSpan.FromSeconds(1));
        Assert.Equal(RunState.Lost, replication.State);
        Assert.Contains("never started", replication.Reason, StringComparison.Ordinal);
        var clock = await fixture.Client.GetGrain<IRunClockGrain>("never-started").Wait(TimeSpan.FromSeconds(1));
        Assert.Equal(RunState.Lost, clock.State);
    }

    [Fact]
    public async Task A_client_whose_silo_stops_mid_run_fails_with_run_lost_instead_of_hanging()
    {
        var gatewayPort = LoopbackPorts.Free();
        using var silo = await EmbeddedSilo.StartAsync(new EmbeddedSiloOptions
        {
            SiloPort = LoopbackPorts.Free(),
            GatewayPort = gatewayPort,
            EnvironmentName = "Development",
            ConfigureSilo = s => s.Configure<ClusterOptions>(o => o.ClusterId = LocalCluster.ClusterId),
        });
        using var client = await LocalCluster.ConnectAsync([gatewayPort]);
        // Routed by the probe, which shows when the silo is running the replication.
        var big = TestScenarios.Single(50, 60, 3100, 120, 20, intervalSeconds: 3600, intervals: 8, name: "lost") with { Routing = Probe.Routing() };
        var routed = Probe.Calls;
        var run = GrainRunner.RunModelGrainsAsync(client.ClusterClient(), big, 1, 1);
        await Probe.Until(() => Probe.Calls > routed, TimeSpan.FromSeconds(60), "the replication under way on the silo",
            () => run.IsCompleted ? "the run ended first: " + run.Status : null);
        Assert.False(run.IsCompleted);
        var clock = Stopwatch.StartNew();
        await silo.StopAsync();
        // Waits longer than the bound checked, so that a client slower than the bound fails the check below.
        var ended = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(90)));
        var waited = clock.Elapsed;
        Assert.True(ended == run, $"The client still waited {waited.TotalSeconds:F0} s after its silo stopped");
        var lost = await Assert.ThrowsAsync<RunLostException>(() => run);
        Assert.True(waited < TimeSpan.FromSeconds(45), $"The client waited {waited.TotalSeconds:F0} s");
        Assert.Contains("was lost", lost.Message, StringComparison.Ordinal);
        await client.StopAsync();
    }

    [Fact]
    public async Task A_second_embedded_silo_on_the_same_ports_refuses_to_start()
    {
        var options = new EmbeddedSiloOptions { SiloPort = LoopbackPorts.Free(), GatewayPort = LoopbackPorts.Free() };
        using var first = await EmbeddedSilo.StartAsync(options);
        var refused = await Assert.ThrowsAsync<PortInUseException>(() => EmbeddedSilo.StartAsync(options));
        Assert.Equal(options.SiloPort, refused.Port);
        await first.StopAsync();
    }

    [Fact]
    public async Task A_second_standalone_silo_on_the_same_ports_exits_with_code_2_and_says_why()
    {
        var siloPort = LoopbackPorts.Free();
        var gatewayPort = LoopbackPorts.Free();
        string[] args = ["--silo-port", $"{siloPort}", "--gateway-port", $"{gatewayPort}", "--primary-port", $"{siloPort}"];
        using var first = StartSilo(args);
        try
        {
            await WaitForLine(first, "crisissim-silo: silo port");
            using var second = StartSilo(args);
            var message = await second.StandardError.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(60));
            await second.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(2, second.ExitCode);
            Assert.Contains($"Port {siloPort} of 127.0.0.1 is already in use", message, StringComparison.Ordinal);
            Assert.False(first.HasExited);
        }
        finally
        {
            first.Kill();
            await first.WaitForExitAsync();
        }
    }

    private static async Task WaitForLine(Process silo, string start)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await silo.StandardError.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith(start, StringComparison.Ordinal))
            {
                return;
            }
        }
        Assert.Fail($"The silo ended without saying '{start}'");
    }

    /// <summary>The standalone silo built beside these tests (same configuration and framework).</summary>
    private static Process StartSilo(string[] args)
    {
        var tests = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = tests.Name;
        var configuration = tests.Parent!.Name;
        var dll = Path.Combine(Repo.Root, "sims", "CrisisSim.Silo", "bin", configuration, framework, "crisissim-silo.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: build sims/CrisisSim.Silo");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
    }
}
