using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CrisisSim.Grains;

/// <summary>Options of the in-process silo.</summary>
public sealed record EmbeddedSiloOptions
{
    /// <summary>Silo-to-silo port; 0 picks a free port.</summary>
    public int SiloPort { get; init; }

    /// <summary>Client gateway port; 0 picks a free port.</summary>
    public int GatewayPort { get; init; }

    /// <summary>Log messages below this level are dropped; logs go to standard error.</summary>
    public LogLevel MinimumLogLevel { get; init; } = LogLevel.Warning;

    /// <summary>Host environment; <c>Development</c> makes a type without a serializer fail at silo start.</summary>
    public string EnvironmentName { get; init; } = Environments.Production;

    /// <summary>More silo configuration, applied after CrisisSim's.</summary>
    public Action<ISiloBuilder>? ConfigureSilo { get; init; }
}

/// <summary>A one-silo localhost cluster inside the current process, ready for <see cref="GrainRunner"/>: use the
/// host's <c>IGrainFactory</c> (<c>host.Services.GetRequiredService&lt;IGrainFactory&gt;()</c>) and stop the host when done.
/// Keeps the workstation garbage collector, which gives twice the grain-call throughput of the server one on 2 cores.</summary>
public static class EmbeddedSilo
{
    public static async Task<IHost> StartAsync(EmbeddedSiloOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new EmbeddedSiloOptions();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            EnvironmentName = options.EnvironmentName,
            ApplicationName = "CrisisSim",
        });
        QuietLogging(builder.Logging, options.MinimumLogLevel);
        // The process that embeds the silo owns Ctrl+C and SIGTERM: it cancels its run, then stops the silo.
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(
                siloPort: options.SiloPort > 0 ? options.SiloPort : FreeLoopbackPort(),
                gatewayPort: options.GatewayPort > 0 ? options.GatewayPort : FreeLoopbackPort(),
                serviceId: "crisissim",
                clusterId: "crisissim-embedded");
            silo.AddCrisisSimGrains();
            options.ConfigureSilo?.Invoke(silo);
        });
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return host;
    }

    /// <summary>Logs to standard error from <paramref name="minimum"/> up, without two warnings that are expected here:
    /// the silo's note that server GC is off (deliberate) and the watchdog's first check after start.</summary>
    public static void QuietLogging(ILoggingBuilder logging, LogLevel minimum = LogLevel.Warning)
    {
        logging.ClearProviders();
        logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        logging.SetMinimumLevel(minimum);
        logging.AddFilter("Orleans.Runtime.Silo", LogLevel.Error);
        logging.AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error);
    }

    /// <summary>The grain factory of a host started by <see cref="StartAsync"/>.</summary>
    public static IGrainFactory GrainFactory(this IHost host) => host.Services.GetRequiredService<IGrainFactory>();

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A host lifetime that leaves the console's signals to the embedding process.</summary>
    private sealed class EmbeddedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
