using System.CommandLine;
using System.Globalization;
using System.Net;
using CrisisSim.Grains;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Runtime;

// A standalone CrisisSim silo.
//   crisissim-silo --cluster redis://HOST:PORT [--cluster-id ID] [--silo-port N] [--gateway-port N] [--address IP] [--death-after S]
//     joins the cluster whose membership table is on that Redis server (any number of machines);
//   crisissim-silo [--silo-port 11111] [--gateway-port 30000] [--primary-port 11111]
//     joins (or, as the first, starts) a cluster on this machine only, without a membership store.
// Exit codes: 0 stopped (Ctrl+C or SIGTERM: a graceful shutdown, its grains handed back), 1 the silo failed, 2 bad input.
var cluster = new Option<string?>("--cluster") { Description = $"The cluster's membership table: {RedisAddress.Scheme}HOST:PORT (a Redis server). Without it, a cluster of silos on this machine, joined through --primary-port." };
var clusterId = new Option<string>("--cluster-id") { Description = "With --cluster: the cluster's id (silos and clients with the same id form one cluster; 1 to 64 letters, digits, '-', '_', '.').", DefaultValueFactory = _ => RedisCluster.DefaultClusterId };
var siloPort = new Option<int>("--silo-port") { Description = "Silo-to-silo port (1 to 65535).", DefaultValueFactory = _ => LocalCluster.DefaultSiloPort };
var gatewayPort = new Option<int>("--gateway-port") { Description = "Port clients connect to (1 to 65535).", DefaultValueFactory = _ => LocalCluster.DefaultGatewayPort };
var primaryPort = new Option<int?>("--primary-port") { Description = "Without --cluster: the silo port of the first silo (default: 11111)." };
var address = new Option<string>("--address") { Description = "With --cluster: the IP address this silo listens on and advertises to the others (default 127.0.0.1: this machine only; give the machine's address for a cluster of several).", DefaultValueFactory = _ => "127.0.0.1" };
var deathAfter = new Option<double>("--death-after") { Description = string.Create(CultureInfo.InvariantCulture, $"With --cluster: seconds after which a silo that stopped answering is declared dead and its replications run elsewhere ({RedisCluster.MinDeathAfter.TotalSeconds:F0} to {RedisCluster.MaxDeathAfter.TotalSeconds:F0}; default {RedisCluster.DefaultDeathAfter.TotalSeconds:F0}; Orleans' own default is about 15)."), DefaultValueFactory = _ => RedisCluster.DefaultDeathAfter.TotalSeconds };

var root = new RootCommand("crisissim-silo: a standalone CrisisSim silo; crisissim commands given --cluster spread their replications over the silos of a cluster.");
foreach (var option in new Option[] { cluster, clusterId, siloPort, gatewayPort, primaryPort, address, deathAfter })
{
    root.Options.Add(option);
}
var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors)
    {
        Console.Error.WriteLine($"crisissim-silo: {error.Message}");
    }
    Console.Error.WriteLine("Try 'crisissim-silo --help'.");
    return 2;
}
if (parse.Action is not null && parse.CommandResult.Command == root && args.Any(a => a is "--help" or "-h" or "-?" or "--version"))
{
    return await parse.InvokeAsync();
}

int Bad(string message)
{
    Console.Error.WriteLine($"crisissim-silo: {message}");
    return 2;
}

var ports = new[] { (siloPort.Name, parse.GetValue(siloPort)), (gatewayPort.Name, parse.GetValue(gatewayPort)), (primaryPort.Name, parse.GetValue(primaryPort) ?? LocalCluster.DefaultSiloPort) };
foreach (var (name, port) in ports)
{
    if (port is < 1 or > 65535)
    {
        return Bad(string.Create(CultureInfo.InvariantCulture, $"{name} takes a port number from 1 to 65535, not {port}"));
    }
}
var silo = parse.GetValue(siloPort);
var gateway = parse.GetValue(gatewayPort);
if (silo == gateway)
{
    return Bad(string.Create(CultureInfo.InvariantCulture, $"the silo port and the gateway port must differ (both {silo})"));
}

RedisClusterSettings? settings = null;
var listen = IPAddress.Loopback;
if (parse.GetValue(cluster) is { } clusterText)
{
    if (!RedisAddress.TryParse(clusterText, out var redis, out var problem))
    {
        return Bad($"--cluster: {problem}");
    }
    var id = parse.GetValue(clusterId)!;
    if (!RedisCluster.IsValidClusterId(id))
    {
        return Bad($"--cluster-id: 1 to 64 letters, digits, '-', '_' or '.', not '{id}'");
    }
    var seconds = parse.GetValue(deathAfter);
    if (!(seconds >= RedisCluster.MinDeathAfter.TotalSeconds && seconds <= RedisCluster.MaxDeathAfter.TotalSeconds))
    {
        return Bad(string.Create(CultureInfo.InvariantCulture, $"--death-after takes {RedisCluster.MinDeathAfter.TotalSeconds:F0} to {RedisCluster.MaxDeathAfter.TotalSeconds:F0} seconds, not {seconds}"));
    }
    if (!IPAddress.TryParse(parse.GetValue(address), out listen!))
    {
        return Bad($"--address takes an IP address, not '{parse.GetValue(address)}'");
    }
    if (parse.GetValue(primaryPort) is not null)
    {
        return Bad("--primary-port joins a cluster on this machine; with --cluster, the silos find each other through Redis");
    }
    settings = new RedisClusterSettings(redis!, id) { DeathAfter = TimeSpan.FromSeconds(seconds) };
}
else if (args.Any(a => a is "--cluster-id" or "--address" or "--death-after"))
{
    return Bad("--cluster-id, --address and --death-after go with --cluster");
}

try
{
    // Orleans would share ports already taken by another silo (address reuse): refuse to start instead.
    LoopbackPorts.EnsureFree(silo, gateway);
}
catch (PortInUseException ex)
{
    return Bad($"{ex.Message} (--silo-port, --gateway-port)");
}

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "CrisisSim" });
EmbeddedSilo.QuietLogging(builder.Logging);
builder.UseOrleans(orleans =>
{
    if (settings is null)
    {
        orleans.UseLocalCluster(silo, gateway, parse.GetValue(primaryPort) ?? LocalCluster.DefaultSiloPort);
    }
    else
    {
        orleans.UseRedisCluster(settings, listen, silo, gateway);
    }
});
using var host = builder.Build();
try
{
    await host.StartAsync();
}
catch (Exception ex) when (ex is not OutOfMemoryException)
{
    Console.Error.WriteLine($"crisissim-silo: the silo could not start: {ex.Message}");
    return 1;
}
var self = host.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
Console.Error.WriteLine(settings is null
    ? $"crisissim-silo: silo port {silo}, gateway port {gateway}, primary {parse.GetValue(primaryPort) ?? LocalCluster.DefaultSiloPort}; Ctrl+C stops it"
    : $"crisissim-silo: joined cluster '{settings.ClusterId}' at {settings.Redis} as {self} (gateway port {gateway}); Ctrl+C stops it");
// Says when other silos join or leave (as this silo's membership view sees them).
var membership = host.Services.GetRequiredService<IClusterMembershipService>();
using var watching = new CancellationTokenSource();
var watch = Task.Run(async () =>
{
    var known = new Dictionary<SiloAddress, SiloStatus>();
    try
    {
        await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(watching.Token))
        {
            foreach (var (member, entry) in snapshot.Members)
            {
                if (member.Equals(self) || (known.TryGetValue(member, out var before) && before == entry.Status))
                {
                    continue;
                }
                known[member] = entry.Status;
                if (entry.Status is SiloStatus.Active or SiloStatus.Dead or SiloStatus.ShuttingDown)
                {
                    Console.Error.WriteLine($"crisissim-silo: silo {member} is {entry.Status.ToString().ToLowerInvariant()}");
                }
            }
        }
    }
    catch (OperationCanceledException)
    {
    }
});
await host.WaitForShutdownAsync();
await watching.CancelAsync();
await watch;
Console.Error.WriteLine($"crisissim-silo: {self} left the cluster");
return 0;
