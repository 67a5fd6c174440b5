using System.Globalization;
using System.Text.Json;
using CrisisSim.Testing;

namespace CrisisSim.Tests;

/// <summary><c>crisissim load --cluster</c> against a routing service on a loopback port: the run's router grain is in a
/// standalone silo process (crisissim-silo), which asks the service and counts what it did; the counts reach the command
/// through the router grain, as they do from the embedded silo.</summary>
public sealed class ServiceOnClusterTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("crisissim-service-cluster-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Every request the service received was counted where the router ran, and came back: asked equals the
    /// requests received (each answered, none fell back), the windows add up to the whole, and the thresholds on the
    /// service are judged on those counts.</summary>
    [FactWithRedis]
    public async Task A_live_load_on_a_standalone_silo_counts_every_request_the_service_received()
    {
        var received = 0L;
        await using var server = await RoutingServer.StartScriptedAsync(async (http, request, right) =>
        {
            Interlocked.Increment(ref received);
            await RoutingServer.Write(http, JsonSerializer.Serialize(right, RoutingServer.JsonOptions));
        });
        await using var silos = new SiloProcesses(redis.Address, string.Create(CultureInfo.InvariantCulture, $"service-{Environment.ProcessId}"));
        await silos.StartAsync();
        var path = Path.Combine(_dir, "service.yaml");
        File.WriteAllText(path, $$"""
            name: service-cluster
            interval: 30m
            intervals: 1
            serviceLevel: { threshold: 20s, target: 0.8 }
            routing: { service: {{server.Url}}, timeout: 2s, fallback: fifo, settings: { promoteAfter: 2m } }
            callTypes:
              - name: calls
                arrivals: { callsPerInterval: 100 }
                patience: { dist: exponential, mean: 300s }
                handleTime: { dist: exponential, mean: 60s }
            groups:
              - name: operators
                serves: [calls]
                staffing: 5
            """);

        var run = await CliRun.Run("load", path, "--speed", "300", "--window", "1s", "--out", _dir,
            "--cluster", redis.Address, "--cluster-id", silos.ClusterId, "--threshold", "fallbacks<1", "--threshold", "service_p99<2s");

        Assert.True(run.Code == 0, $"{run.Err}\n{run.Out}\n{silos.Logs}");
        Assert.Contains("threshold passed: fallbacks<1 (measured 0)", run.Out);
        Assert.Matches(@"routing service http://127\.0\.0\.1:\d+/route \(timeout 2000 ms\): [1-9][0-9,]* asked, [1-9][0-9,]* answered, 0 timeouts, 0 HTTP errors, 0 invalid answers; 0 decided by the fallback fifo", run.Out);
        var folder = Directory.GetDirectories(Path.Combine(_dir, "service-cluster")).Single();
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "latency.json")));
        var service = json.RootElement.GetProperty("service");
        Assert.True(service.GetProperty("counted").GetBoolean(), service.ToString());
        var overall = service.GetProperty("overall");
        var asked = overall.GetProperty("asked").GetInt64();
        Assert.True(asked > 0, service.ToString());
        Assert.Equal(Interlocked.Read(ref received), asked);
        Assert.Equal(asked, overall.GetProperty("answered").GetInt64());
        Assert.Equal(0, overall.GetProperty("fallbacks").GetInt64());
        var windows = json.RootElement.GetProperty("windows").EnumerateArray().ToArray();
        Assert.True(windows.Length > 1, $"{windows.Length} windows");
        Assert.Equal(asked, windows.Sum(w => w.GetProperty("service").GetProperty("asked").GetInt64()));
    }
}
