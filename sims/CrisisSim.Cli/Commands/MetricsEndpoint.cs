using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CrisisSim.Grains;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace CrisisSim.Cli.Commands;

/// <summary><c>--metrics ADDRESS:PORT</c>: the live run's meter and Orleans' served in Prometheus' text format by
/// OpenTelemetry's HTTP listener, on a loopback address only.</summary>
internal static class MetricsEndpoint
{
    /// <summary>The endpoint's base address, or null with the reason.</summary>
    public static Uri? Parse(string text, out string problem) => ParseLoopback("--metrics", text, out problem);

    /// <summary>A loopback ADDRESS:PORT given to <paramref name="option"/>, as a base address, or null with the reason.</summary>
    public static Uri? ParseLoopback(string option, string text, out string problem)
    {
        problem = "";
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !IPAddress.TryParse(text[..colon].Trim('[', ']'), out var address)
            || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            problem = $"{option} '{text}': write ADDRESS:PORT, like 127.0.0.1:9464 (a port from 1 to 65535).";
            return null;
        }
        if (!IPAddress.IsLoopback(address))
        {
            problem = $"{option} '{text}': served on a loopback address only (127.0.0.1, ::1).";
            return null;
        }
        return new Uri(string.Create(CultureInfo.InvariantCulture, $"http://{(address.AddressFamily == AddressFamily.InterNetworkV6 ? "[" + address + "]" : address.ToString())}:{port}/"));
    }

    /// <summary>Starts serving; null after saying why it cannot (the port taken).</summary>
    public static MeterProvider? Start(Uri address, TextWriter error)
    {
        try
        {
            // The listener would share a port another process holds: refuse it first, as the silo's ports are.
            using (var probe = new TcpListener(IPAddress.Parse(address.Host.Trim('[', ']')), address.Port) { ExclusiveAddressUse = true })
            {
                probe.Start();
            }
            return Sdk.CreateMeterProviderBuilder()
                .AddMeter(LiveMetrics.MeterName, "Microsoft.Orleans")
                // Buckets for decisions that take from a tenth of a millisecond to seconds.
                .AddView("crisissim.live.decision_latency", new ExplicitBucketHistogramConfiguration { Boundaries = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 10000] })
                .AddPrometheusHttpListener(o =>
                {
                    o.Host = address.Host;
                    o.Port = address.Port;
                })
                .Build();
        }
        catch (Exception ex) when (ex is SocketException or HttpListenerException or InvalidOperationException)
        {
            error.WriteLine($"error: --metrics {address.Host}:{address.Port.ToString(CultureInfo.InvariantCulture)}: cannot listen there ({ex.Message}).");
            return null;
        }
    }
}
