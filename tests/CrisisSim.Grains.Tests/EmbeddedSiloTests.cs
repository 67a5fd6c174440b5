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
    public async Task An_embedded_silo_opens_a_gateway_only_when_given_its_port()
    {
        using (var plain = await EmbeddedSilo.StartAsync())
        {
            Assert.Null(plain.Services.GetRequiredService<ILocalSiloDetails>().GatewayAddress);
            await plain.StopAsync();
        }
        var gatewayPort = LoopbackPorts.Free();
        using var open = await EmbeddedSilo.StartAsync(new EmbeddedSiloOptions { GatewayPort = gatewayPort });
        Assert.Equal(gatewayPort, open.Services.GetRequiredService<ILocalSiloDetails>().GatewayAddress?.Endpoint.Port);
        await open.StopAsync();
    }
}
