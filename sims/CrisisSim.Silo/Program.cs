using System.Globalization;
using CrisisSim.Grains;
using Microsoft.Extensions.Hosting;

// A standalone CrisisSim silo on this machine: the first one started is the primary, the others join it.
//   crisissim-silo [--silo-port 11111] [--gateway-port 30000] [--primary-port 11111]
// Clients connect with LocalCluster.ConnectAsync([30000, ...]).
var siloPort = Port("--silo-port", LocalCluster.DefaultSiloPort);
var gatewayPort = Port("--gateway-port", LocalCluster.DefaultGatewayPort);
var primaryPort = Port("--primary-port", LocalCluster.DefaultSiloPort);

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ApplicationName = "CrisisSim" });
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
