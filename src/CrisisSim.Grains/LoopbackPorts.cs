using System.Net;
using System.Net.Sockets;

namespace CrisisSim.Grains;

/// <summary>Checks a silo's ports before it starts. Orleans listens with address reuse, which on Linux also sets
/// <c>SO_REUSEPORT</c>: a second silo on the same ports would start and share them with the first one, and the
/// cluster would silently get two silos answering on one endpoint.</summary>
public static class LoopbackPorts
{
    /// <summary>Throws <see cref="PortInUseException"/> when something already listens on one of the ports of 127.0.0.1.</summary>
    public static void EnsureFree(params int[] ports)
    {
        foreach (var port in ports)
        {
            // Without address reuse: the bind fails while any socket, reusable or not, holds the port.
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ExclusiveAddressUse = true };
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
            {
                throw new PortInUseException(port, ex);
            }
        }
    }

    /// <summary>A port of 127.0.0.1 that was free a moment ago.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>A silo port already taken, most likely by another silo.</summary>
public sealed class PortInUseException(int port, Exception? inner = null)
    : IOException($"Port {port} of 127.0.0.1 is already in use (another silo is probably running on it); choose other ports", inner)
{
    public int Port { get; } = port;
}
