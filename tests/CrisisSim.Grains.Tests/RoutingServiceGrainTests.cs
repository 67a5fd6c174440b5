using CrisisSim.Engine;
using CrisisSim.Model.Scenario;
using CrisisSim.Plugins;
using CrisisSim.Reporting;
using CrisisSim.Testing;

namespace CrisisSim.Grains.Tests;

/// <summary>The sample routing service (a real Kestrel server on a loopback port), asked from the grains: replication
/// grains and component grains give the summary the inline engine gives, and the one the sample plug-in gives.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RoutingServiceGrainTests(ClusterFixture fixture) : IAsyncLifetime
{
    private static readonly Dictionary<string, string> Settings = new() { ["promoteAfter"] = "2m" };
    private RoutingServer? _sample;

    public async Task InitializeAsync() => _sample = await RoutingServer.StartSampleAsync();

    public async Task DisposeAsync()
    {
        if (_sample is not null)
        {
            await _sample.DisposeAsync();
        }
    }

    private static string WithoutRoutingName(string summary) =>
        string.Join('\n', summary.Split('\n').Where(line => !line.TrimStart().StartsWith("\"routing\":", StringComparison.Ordinal)));

    private static ScenarioDefinition Library(RoutingSpec routing) =>
        ScenarioLibrary.Load("cyber-outage.yaml") with { Routing = routing };

    [Fact]
    public async Task The_sample_service_gives_the_plugins_summary_byte_for_byte_in_the_grains()
    {
        var service = Library(RoutingService.Reference(_sample!.Url, Settings));
        var plugin = WithoutRoutingName(SummaryJson.ToText(SimulationRunner.RunInline(Library(RoutingPlugins.Reference(SamplePlugin.AssemblyPath, SamplePlugin.TypeName, Settings)), 5, 2)));

        var inline = SummaryJson.ToText(SimulationRunner.RunInline(service, 5, 2));
        var replications = SummaryJson.ToText(await GrainRunner.RunReplicationsAsync(fixture.Client, service, 5, 2));
        var components = SummaryJson.ToText(await GrainRunner.RunModelGrainsAsync(fixture.Client, service, 5, 2));

        Assert.Equal(inline, replications);
        Assert.Equal(inline, components);
        Assert.Equal(plugin, WithoutRoutingName(inline));
    }
}
