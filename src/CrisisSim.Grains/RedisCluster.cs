using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using StackExchange.Redis;

namespace CrisisSim.Grains;

/// <summary>Where a cluster's membership table is: a Redis server, written <c>redis://HOST:PORT</c>.</summary>
public sealed record RedisAddress(string Host, int Port)
{
    public const string Scheme = "redis://";

    /// <summary>The address in <paramref name="text"/>, or a message saying what is wrong with it.</summary>
    public static bool TryParse(string? text, out RedisAddress? address, out string? problem)
    {
        address = null;
        problem = null;
        if (string.IsNullOrWhiteSpace(text) || !text.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            problem = $"a cluster is written {Scheme}HOST:PORT (got '{text}')";
            return false;
        }
        var rest = text[Scheme.Length..].TrimEnd('/');
        var colon = rest.LastIndexOf(':');
        if (colon <= 0 || colon == rest.Length - 1)
        {
            problem = $"a cluster is written {Scheme}HOST:PORT, with its port (got '{text}')";
            return false;
        }
        var host = rest[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }
        if (host.Length == 0 || host.Length > 253 || host.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '/' or '@' or '?' or '#'))
        {
            problem = $"'{host}' is not a host name or address (in '{text}')";
            return false;
        }
        if (!int.TryParse(rest[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            problem = $"the port of a cluster is a number from 1 to 65535 (got '{rest[(colon + 1)..]}' in '{text}')";
            return false;
        }
        address = new RedisAddress(host, port);
        return true;
    }

    public override string ToString() =>
        Scheme + (Host.Contains(':') ? "[" + Host + "]" : Host) + ":" + Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>StackExchange.Redis' configuration for this server: bounded connect and command times, no retry loop
    /// hiding an unreachable server.</summary>
    public ConfigurationOptions ToOptions(TimeSpan connectTimeout)
    {
        var options = new ConfigurationOptions
        {
            AbortOnConnectFail = true,
            ConnectTimeout = (int)connectTimeout.TotalMilliseconds,
            SyncTimeout = (int)connectTimeout.TotalMilliseconds,
            AsyncTimeout = (int)connectTimeout.TotalMilliseconds,
            ConnectRetry = 1,
        };
        options.EndPoints.Add(Host, Port);
        return options;
    }
}

/// <summary>A cluster of CrisisSim silos joined through a Redis membership table: its address and ids.</summary>
/// <param name="ClusterId">Silos and clients with the same cluster id form one cluster (several clusters may share one
/// Redis server).</param>
public sealed record RedisClusterSettings(RedisAddress Redis, string ClusterId = RedisCluster.DefaultClusterId)
{
    /// <summary>How long a silo that stops answering may stay a member: about the time to notice a dead silo (Orleans
    /// probes every silo from three others each <c>ProbeTimeout</c>, declaring it dead after
    /// <c>NumMissedProbesLimit</c> missed probes and two votes). Orleans' defaults (5 s, 3 probes) take about 15 s.</summary>
    public TimeSpan DeathAfter { get; init; } = RedisCluster.DefaultDeathAfter;
}

/// <summary>Standalone silos (<c>sims/CrisisSim.Silo</c>) joined through Redis (<c>Microsoft.Orleans.Clustering.Redis</c>),
/// and the client the commands use to spread their replications over them.</summary>
public static class RedisCluster
{
    public const string ServiceId = "crisissim";
    public const string DefaultClusterId = "crisissim";

    /// <summary>The default time to notice a dead silo: 3 missed probes of 2 s.</summary>
    public static readonly TimeSpan DefaultDeathAfter = TimeSpan.FromSeconds(6);

    public static readonly TimeSpan MinDeathAfter = TimeSpan.FromSeconds(3);
    public static readonly TimeSpan MaxDeathAfter = TimeSpan.FromMinutes(5);

    /// <summary>How long a client waits for Redis and for a gateway before it says the cluster cannot be reached.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>A cluster id: 1 to 64 letters, digits, '-', '_' or '.'.</summary>
    public static bool IsValidClusterId(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>Configures a standalone silo that joins the cluster of <paramref name="settings"/>.</summary>
    /// <param name="advertised">The address other silos and clients reach this one at.</param>
    public static ISiloBuilder UseRedisCluster(this ISiloBuilder silo, RedisClusterSettings settings, IPAddress advertised, int siloPort, int gatewayPort)
    {
        silo.UseRedisClustering(o => o.ConfigurationOptions = settings.Redis.ToOptions(ConnectTimeout));
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = settings.ClusterId;
            o.ServiceId = ServiceId;
        });
        silo.Configure<EndpointOptions>(o =>
        {
            o.AdvertisedIPAddress = advertised;
            o.SiloPort = siloPort;
            o.GatewayPort = gatewayPort;
            o.SiloListeningEndpoint = new IPEndPoint(advertised, siloPort);
            o.GatewayListeningEndpoint = new IPEndPoint(advertised, gatewayPort);
        });
        silo.Configure<ClusterMembershipOptions>(o => ApplyDeathAfter(o, settings.DeathAfter));
        return silo.AddCrisisSimGrains();
    }

    /// <summary>Probes every third of <paramref name="deathAfter"/>; three missed probes make a silo a suspect.</summary>
    internal static void ApplyDeathAfter(ClusterMembershipOptions options, TimeSpan deathAfter)
    {
        options.NumMissedProbesLimit = 3;
        options.ProbeTimeout = deathAfter / 3;
        options.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(Math.Max(5, deathAfter.TotalSeconds));
        options.TableRefreshTimeout = TimeSpan.FromSeconds(Math.Max(2, deathAfter.TotalSeconds / 2));
    }

    /// <summary>Connects a client to the cluster; fails within about <see cref="ConnectTimeout"/> with
    /// <see cref="ClusterUnreachableException"/> when Redis does not answer or no silo of that cluster id is there.</summary>
    public static async Task<IHost> ConnectAsync(RedisClusterSettings settings, CancellationToken cancellationToken = default)
    {
        // Redis first: its own failure says more than Orleans' "no gateway".
        await using (var probe = await ProbeRedisAsync(settings.Redis, cancellationToken))
        {
            var members = await probe.GetDatabase().HashLengthAsync($"{ServiceId}/members/{settings.ClusterId}");
            if (members == 0)
            {
                throw new ClusterUnreachableException($"no silo has joined the cluster '{settings.ClusterId}' at {settings.Redis} (start crisissim-silo with --cluster {settings.Redis} --cluster-id {settings.ClusterId})");
            }
        }
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ApplicationName = "CrisisSim" });
        EmbeddedSilo.QuietLogging(builder.Logging, LogLevel.Error);
        builder.UseOrleansClient(client =>
        {
            client.UseRedisClustering(o => o.ConfigurationOptions = settings.Redis.ToOptions(ConnectTimeout));
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = settings.ClusterId;
                o.ServiceId = ServiceId;
            });
            // A silo that joins mid-run is known to the client within seconds (it also gets work through placement,
            // which the silos decide).
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(5));
            client.Services.AddCrisisSimExceptions();
        });
        var host = builder.Build();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConnectTimeout);
        try
        {
            await host.StartAsync(timeout.Token);
            return host;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not OutOfMemoryException)
        {
            host.Dispose();
            var why = ex is OperationCanceledException ? $"no gateway answered within {ConnectTimeout.TotalSeconds:F0} s" : ex.Message;
            throw new ClusterUnreachableException($"cannot connect to the cluster '{settings.ClusterId}' at {settings.Redis}: {why}", ex);
        }
    }

    private static async Task<ConnectionMultiplexer> ProbeRedisAsync(RedisAddress redis, CancellationToken cancellationToken)
    {
        try
        {
            return await ConnectionMultiplexer.ConnectAsync(redis.ToOptions(TimeSpan.FromSeconds(5))).WaitAsync(ConnectTimeout, cancellationToken);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or SocketException or ArgumentException)
        {
            throw new ClusterUnreachableException($"cannot reach Redis at {redis}: {FirstLine(ex.Message)}", ex);
        }
    }

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }
}

/// <summary>The cluster named on the command line cannot be used: Redis does not answer, or no silo of its cluster id.</summary>
public sealed class ClusterUnreachableException(string message, Exception? inner = null) : Exception(message, inner);
