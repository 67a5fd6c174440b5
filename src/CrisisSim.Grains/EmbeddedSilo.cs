using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Statistics;

namespace CrisisSim.Grains;

/// <summary>Options of the in-process silo.</summary>
public sealed record EmbeddedSiloOptions
{
    /// <summary>Silo-to-silo port; 0 picks a free port.</summary>
    public int SiloPort { get; init; }

    /// <summary>Client gateway port, for clients in other processes; 0 opens no gateway (the host's own grain factory
    /// needs none).</summary>
    public int GatewayPort { get; init; }

    /// <summary>Log messages below this level are dropped; logs go to standard error.</summary>
    public LogLevel MinimumLogLevel { get; init; } = LogLevel.Warning;

    /// <summary>Host environment; <c>Development</c> makes a type without a serializer fail at silo start.</summary>
    public string EnvironmentName { get; init; } = Environments.Production;

    /// <summary>How long a grain call may wait for its answer (Orleans' <c>SiloMessagingOptions.ResponseTimeout</c>, 30 s by
    /// default); null keeps the default. Runs do not depend on it: no call of theirs lasts long.</summary>
    public TimeSpan? ResponseTimeout { get; init; }

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
        // Ports given explicitly must be free: Orleans would share them with a silo already there (see LoopbackPorts).
        LoopbackPorts.EnsureFree([.. new[] { options.SiloPort, options.GatewayPort }.Where(p => p > 0)]);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            EnvironmentName = options.EnvironmentName,
            ApplicationName = "CrisisSim",
        });
        QuietLogging(builder.Logging, options.MinimumLogLevel);
        // The host process owns Ctrl+C and SIGTERM (a console lifetime would swallow them and never stop the run).
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(
                siloPort: options.SiloPort > 0 ? options.SiloPort : LoopbackPorts.Free(),
                gatewayPort: options.GatewayPort,
                serviceId: "crisissim",
                clusterId: "crisissim-embedded");
            silo.AddCrisisSimGrains();
            TrimForOneProcess(silo, options.MinimumLogLevel);
            if (options.ResponseTimeout is { } timeout)
            {
                silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = timeout);
            }
            options.ConfigureSilo?.Invoke(silo);
        });
        var host = builder.Build();
        // The silo's start is not cancelled half-way (Orleans would log the cancelled membership steps as errors with
        // their stack traces): a cancelled caller returns at once, and the silo, once started, is stopped and disposed
        // in the background.
        var start = host.StartAsync(CancellationToken.None);
        try
        {
            await start.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _ = StopWhenStarted(start, host);
            throw;
        }
        return host;
    }

    /// <summary>Starts a silo like <see cref="StartAsync"/> on a thread-pool thread and returns at once, so that the
    /// caller reads and checks its input while the silo starts; <see cref="StartingSilo.Ready"/> gives the host.</summary>
    public static StartingSilo StartInBackground(EmbeddedSiloOptions? options = null, CancellationToken cancellationToken = default) =>
        new(Task.Run(() => StartAsync(options, cancellationToken), CancellationToken.None));

    /// <summary>Leaves out of a one-silo, one-process cluster the services that only matter with peers or operators:
    /// fewer services to build and compile at start, same grains, placement and messaging.</summary>
    private static void TrimForOneProcess(ISiloBuilder silo, LogLevel minimumLogLevel)
    {
        // The membership table lives in this process and dies with it: no defunct silo entries ever to clean up.
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.DefunctSiloCleanupPeriod = null;
            o.MaxDefunctSiloEntries = null;
        });
        // Nothing here is placed or shed by load (RunPlacement picks the silo, load shedding is off): no runtime event
        // listener sampling CPU counters every second, and no forced collection at start.
        silo.Services.Replace(ServiceDescriptor.Singleton<IEnvironmentStatisticsProvider, NoEnvironmentStatistics>());
        if (minimumLogLevel > LogLevel.Information)
        {
            // The dump of every option is logged at Information, which is filtered out: do not format it at all.
            silo.Services.RemoveAll<IOptionFormatter>();
        }
    }

    private static async Task StopWhenStarted(Task start, IHost host)
    {
        try
        {
            await start;
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await host.StopAsync(stopping.Token);
        }
        catch (Exception)
        {
            // Nobody waits for this silo any more: whatever its start or stop did, it is dropped.
        }
        finally
        {
            host.Dispose();
        }
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
}

/// <summary>An embedded silo starting in the background (see <see cref="EmbeddedSilo.StartInBackground"/>). Disposing it
/// stops and disposes the silo: at once if it has started, else in the background once it has. A caller may also stop
/// the host itself (with its own deadline) before disposing this.</summary>
public sealed class StartingSilo : IAsyncDisposable
{
    private int _disposed;

    internal StartingSilo(Task<IHost> ready) => Ready = ready;

    /// <summary>The started host; fails as <see cref="EmbeddedSilo.StartAsync"/> would (a port in use, a cancelled start).</summary>
    public Task<IHost> Ready { get; }

    /// <summary>How long a graceful stop of a started silo may take before it is cut short.</summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        if (!Ready.IsCompleted)
        {
            // A caller that gives up before the start is done (bad input, Ctrl+C) does not wait for it.
            _ = StopWhenReady(Ready, StopTimeout);
            return;
        }
        if (Ready.IsCompletedSuccessfully)
        {
            await Stop(Ready.Result, StopTimeout);
        }
        else
        {
            // A start that failed has nothing to stop; its error was the caller's to read from Ready.
            _ = Ready.Exception;
        }
    }

    private static async Task StopWhenReady(Task<IHost> ready, TimeSpan timeout)
    {
        try
        {
            await Stop(await ready, timeout);
        }
        catch (Exception)
        {
            // Nobody waits for this silo any more: a failed or cancelled start leaves nothing to stop.
        }
    }

    private static async Task Stop(IHost host, TimeSpan timeout)
    {
        try
        {
            using var stopping = new CancellationTokenSource(timeout);
            await host.StopAsync(stopping.Token);
        }
        catch (OperationCanceledException)
        {
            // The graceful stop was cut short: the host is disposed all the same.
        }
        catch (ObjectDisposedException)
        {
            // The caller stopped and disposed the host itself.
        }
        finally
        {
            host.Dispose();
        }
    }
}

/// <summary>Environment statistics for a silo that places and sheds nothing by load.</summary>
internal sealed class NoEnvironmentStatistics : IEnvironmentStatisticsProvider
{
    public EnvironmentStatistics GetEnvironmentStatistics() => default;
}

/// <summary>A lifetime that leaves the process's signals alone: the embedded silo stops when its host is stopped.</summary>
internal sealed class EmbeddedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
