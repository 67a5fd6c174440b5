using CrisisSim.Grains;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Dashboard;

namespace CrisisSim.Cli.Commands;

/// <summary><c>load --dashboard ADDRESS:PORT</c>: the official Orleans dashboard (<c>Microsoft.Orleans.Dashboard</c>)
/// served on a loopback address during the run, by a web host of its own that joins the embedded silo as a client
/// through the silo's gateway (the silo runs the dashboard's grains).</summary>
internal sealed class DashboardHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DashboardHost(WebApplication app) => _app = app;

    /// <summary>What the embedded silo needs for the dashboard: its grains, and a gateway on a known port.</summary>
    public static EmbeddedSiloOptions SiloOptions(EmbeddedSiloOptions options, int gatewayPort) => options with
    {
        GatewayPort = gatewayPort,
        ConfigureSilo = silo => silo.AddDashboard(),
    };

    public static async Task<DashboardHost> StartAsync(Uri address, int gatewayPort, CancellationToken cancellation)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(address.ToString());
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Error);
        builder.UseOrleansClient(client =>
        {
            client.UseLocalhostClustering(gatewayPort, serviceId: "crisissim", clusterId: "crisissim-embedded");
            client.AddDashboard();
        });
        var app = builder.Build();
        app.MapOrleansDashboard();
        await app.StartAsync(cancellation);
        return new DashboardHost(app);
    }

    public async ValueTask DisposeAsync()
    {
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await _app.StopAsync(stopping.Token);
        }
        catch (OperationCanceledException)
        {
            // Stopping was cut short: the process is about to end.
        }
        await _app.DisposeAsync();
    }
}
