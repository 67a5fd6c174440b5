using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CrisisSim.Grains;

/// <summary>A cluster of standalone silos on this machine (<c>sims/CrisisSim.Silo</c>), joined through the first
/// silo's port, and a client for it. A real membership store replaces this for several machines.</summary>
public static class LocalCluster
{
    public const string ServiceId = "crisissim";
    public const string ClusterId = "crisissim-local";
    public const int DefaultSiloPort = 11111;
    public const int DefaultGatewayPort = 30000;

    /// <summary>Configures a standalone silo that joins (or, with its own port as primary, starts) the local cluster.</summary>
    public static ISiloBuilder UseLocalCluster(this ISiloBuilder silo, int siloPort, int gatewayPort, int primarySiloPort) =>
        silo.UseLocalhostClustering(siloPort, gatewayPort, new IPEndPoint(IPAddress.Loopback, primarySiloPort), ServiceId, ClusterId)
            .AddCrisisSimGrains();

    /// <summary>Connects a client to the local cluster through the given gateway ports; its <c>IClusterClient</c> is
    /// <c>host.Services.GetRequiredService&lt;IClusterClient&gt;()</c>.</summary>
    public static async Task<IHost> ConnectAsync(int[] gatewayPorts, LogLevel minimumLogLevel = LogLevel.Warning, CancellationToken cancellationToken = default)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ApplicationName = "CrisisSim" });
        EmbeddedSilo.QuietLogging(builder.Logging, minimumLogLevel);
        builder.UseOrleansClient(client =>
        {
            client.UseLocalhostClustering(gatewayPorts, ServiceId, ClusterId);
            client.Services.AddCrisisSimExceptions();
        });
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return host;
    }

    public static IClusterClient ClusterClient(this IHost host) => host.Services.GetRequiredService<IClusterClient>();
}
