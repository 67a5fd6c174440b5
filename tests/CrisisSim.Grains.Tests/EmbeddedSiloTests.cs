using CrisisSim.Testing;
using CrisisSim.Engine;
using CrisisSim.Reporting;
using Microsoft.Extensions.DependencyInjection;

namespace CrisisSim.Grains.Tests;

/// <summary>The host API the command line uses: an in-process silo, both grain hosts, the inline engine's result.</summary>
[Collection(ClusterCollection.Name)]
public sealed class EmbeddedSiloTests
{
    [Fact]
    public async Task An_embedded_silo_runs_both_grain_hosts_with_the_inline_result()
    {
        var scenario = TestScenarios.Mixed(intervals: 4);
        using var host = await EmbeddedSilo.StartAsync(new EmbeddedSiloOptions { EnvironmentName = "Development" });
        var factory = host.GrainFactory();
        var inline = SummaryJson.ToText(SimulationRunner.RunInline(scenario, 21, 3));
        Assert.Equal(inline, SummaryJson.ToText(await GrainRunner.RunReplicationsAsync(factory, scenario, 21, 3)));
        Assert.Equal(inline, SummaryJson.ToText(await GrainRunner.RunModelGrainsAsync(factory, scenario, 21, 3)));
        await host.StopAsync();
    }

    [Fact]
    public async Task A_silo_started_in_the_background_gives_the_inline_result_once_ready()
    {
        var scenario = TestScenarios.Mixed(intervals: 4);
        await using var starting = EmbeddedSilo.StartInBackground(new EmbeddedSiloOptions { EnvironmentName = "Development" });
        var inline = SummaryJson.ToText(SimulationRunner.RunInline(scenario, 21, 3));
        var host = await starting.Ready.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(inline, SummaryJson.ToText(await GrainRunner.RunReplicationsAsync(host.GrainFactory(), scenario, 21, 3)));
    }

    [Fact]
    public async Task A_background_start_on_a_port_in_use_fails_its_ready_task()
    {
        var options = new EmbeddedSiloOptions { SiloPort = LoopbackPorts.Free() };
        await using var first = EmbeddedSilo.StartInBackground(options);
        await first.Ready.WaitAsync(TimeSpan.FromSeconds(60));
        await using var second = EmbeddedSilo.StartInBackground(options);
        var refused = await Assert.ThrowsAsync<PortInUseException>(() => second.Ready.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(options.SiloPort, refused.Port);
    }

    [Fact]
    public async Task A_silo_given_up_while_starting_is_stopped_once_started()
    {
        var options = new EmbeddedSiloOptions { SiloPort = LoopbackPorts.Free() };
        var starting = EmbeddedSilo.StartInBackground(options);
        await starting.DisposeAsync();
        await starting.Ready.WaitAsync(TimeSpan.FromSeconds(60));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!IsFree(options.SiloPort))
        {
            Assert.True(DateTime.UtcNow < deadline, $"Port {options.SiloPort} is still taken 30 s after the silo started");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task A_silo_its_caller_stopped_and_disposed_is_released_by_its_handle_without_error()
    {
        var options = new EmbeddedSiloOptions { SiloPort = LoopbackPorts.Free() };
        var starting = EmbeddedSilo.StartInBackground(options);
        var host = await starting.Ready.WaitAsync(TimeSpan.FromSeconds(60));
        await host.StopAsync();
        host.Dispose();
        await starting.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(IsFree(options.SiloPort));
    }

    [Fact]
    public async Task An_embedded_silo_opens_a_gateway_only_when_given_its_port()
    {
        await using (var plain = EmbeddedSilo.StartInBackground())
        {
            Assert.Null((await plain.Ready).Services.GetRequiredService<ILocalSiloDetails>().GatewayAddress);
        }
        var gatewayPort = LoopbackPorts.Free();
        await using var open = EmbeddedSilo.StartInBackground(new EmbeddedSiloOptions { GatewayPort = gatewayPort });
        Assert.Equal(gatewayPort, (await open.Ready).Services.GetRequiredService<ILocalSiloDetails>().GatewayAddress?.Endpoint.Port);
    }

    private static bool IsFree(int port)
    {
        try
        {
            LoopbackPorts.EnsureFree(port);
            return true;
        }
        catch (PortInUseException)
        {
            return false;
        }
    }
}
