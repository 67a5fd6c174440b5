using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CrisisSim.Testing;

namespace CrisisSim.Tests;

/// <summary>A Redis server on a loopback port for the cluster tests: the one <c>.ci/run</c> started
/// (<c>CRISISSIM_REDIS</c>), or one started here and stopped at the end. Without <c>redis-server</c> the tests are
/// skipped with the reason, unless the components are required.</summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    public const string Variable = "CRISISSIM_REDIS";

    private Process? _server;

    public string Address { get; private set; } = "";

    public static string? Missing
    {
        get
        {
            if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 })
            {
                return null;
            }
            var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
                .Any(d => d.Length > 0 && File.Exists(Path.Combine(d, "redis-server")));
            return found ? null : "redis-server is not installed";
        }
    }

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } given)
        {
            Address = given;
            return;
        }
        if (Missing is not null)
        {
            return;
        }
        var port = FreePort();
        var start = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
        {
            start.ArgumentList.Add(arg);
        }
        _server = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        _ = _server.StandardOutput.ReadToEndAsync();
        _ = _server.StandardError.ReadToEndAsync();
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                break;
            }
            catch (SocketException) when (clock.Elapsed < TimeSpan.FromSeconds(20) && !_server.HasExited)
            {
                await Task.Delay(50);
            }
        }
        Address = $"redis://127.0.0.1:{port}";
    }

    public async Task DisposeAsync()
    {
        if (_server is { HasExited: false } server)
        {
            server.Kill();
            await server.WaitForExitAsync();
        }
        _server?.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>Standalone silo processes (<c>crisissim-silo</c>) of one cluster, joined through Redis.</summary>
internal sealed class SiloProcesses(string redis, string clusterId) : IAsyncDisposable
{
    private readonly List<(Process Process, StringWriter Log)> _silos = [];

    public string ClusterId => clusterId;

    public IReadOnlyList<Process> Processes => [.. _silos.Select(s => s.Process)];

    /// <summary>Starts a silo and waits until it says it joined.</summary>
    public async Task<Process> StartAsync()
    {
        var tests = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var dll = Path.Combine(Repo.Root, "sims", "CrisisSim.Silo", "bin", tests.Parent!.Name, tests.Name, "crisissim-silo.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: build sims/CrisisSim.Silo");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[]
                 {
                     dll, "--cluster", redis, "--cluster-id", clusterId, "--death-after", "3",
                     "--silo-port", RedisServerFixture.FreePort().ToString(CultureInfo.InvariantCulture),
                     "--gateway-port", RedisServerFixture.FreePort().ToString(CultureInfo.InvariantCulture),
                 })
        {
            start.ArgumentList.Add(arg);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var log = new StringWriter();
        _silos.Add((process, log));
        _ = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await process.StandardError.ReadLineAsync(timeout.Token) is { } line)
        {
            lock (log)
            {
                log.WriteLine(line);
            }
            if (line.StartsWith("crisissim-silo: joined cluster", StringComparison.Ordinal))
            {
                _ = Drain(process, log);
                return process;
            }
        }
        Assert.Fail($"The silo ended without joining:\n{log}");
        return process;
    }

    private static async Task Drain(Process process, StringWriter log)
    {
        while (await process.StandardError.ReadLineAsync() is { } line)
        {
            lock (log)
            {
                log.WriteLine(line);
            }
        }
    }

    public string Logs => string.Join("\n---\n", _silos.Select(s => { lock (s.Log) { return s.Log.ToString(); } }));

    public async ValueTask DisposeAsync()
    {
        foreach (var (process, _) in _silos)
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
            await process.WaitForExitAsync();
            process.Dispose();
        }
    }
}

/// <summary>A test that needs a Redis server: skipped, with the reason, on a machine without <c>redis-server</c>.</summary>
public sealed class FactWithRedisAttribute : FactAttribute
{
    public FactWithRedisAttribute() => Skip = RequiredComponents.SkipReason(RedisServerFixture.Missing);
}
