using System.Globalization;
using CrisisSim.Grains;
using Microsoft.Extensions.Hosting;

// A standalone CrisisSim silo on this machine: the first one started is the primary, the others join it.
//   crisissim-silo [--silo-port 11111] [--gateway-port 30000] [--primary-port 11111]
// Clients connect with LocalCluster.ConnectAsync([30000, ...]). A port already in use (another silo) exits with code 2.
string[] known = ["--silo-port", "--gateway-port", "--primary-port"];
for (var i = 0; i < args.Length; i += 2)
{
    if (!known.Contains(args[i]) || i + 1 >= args.Length)
    {
        Console.Error.WriteLine($"crisissim-silo: unexpected argument '{args[i]}'; usage: crisissim-silo [--silo-port N] [--gateway-port N] [--primary-port N]");
        return 2;
    }
    if (!int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
    {
        Console.Error.WriteLine($"crisissim-silo: {args[i]} takes a port number from 1 to 65535, not '{args[i + 1]}'");
        return 2;
    }
}

var siloPort = Port("--silo-port", LocalCluster.DefaultSiloPort);
var gatewayPort = Port("--gateway-port", LocalCluster.DefaultGatewayPort);
var primaryPort = Port("--primary-port", LocalCluster.DefaultSiloPort);

if (siloPort == gatewayPort)
{
    Console.Error.WriteLine($"crisissim-silo: the silo port and the gateway port must differ (both {siloPort})");
    return 2;
}
try
{
    // Orleans would share ports already taken by another silo (address reuse): refuse to start instead.
    LoopbackPorts.EnsureFree(siloPort, gatewayPort);
}
catch (PortInUseException ex)
{
    Console.Error.WriteLine($"crisissim-silo: {ex.Message} (--silo-port, --gateway-port)");
    return 2;
}

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "CrisisSim" });
EmbeddedSilo.QuietLogging(builder.Logging);
builder.UseOrleans(silo => silo.UseLocalCluster(siloPort, gatewayPort, primaryPort));
using var host = builder.Build();
await host.StartAsync();
Console.Error.WriteLine($"crisissim-silo: silo port {siloPort}, gateway port {gatewayPort}, primary {primaryPort}; Ctrl+C stops it");
await host.WaitForShutdownAsync();
return 0;

int Port(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}
