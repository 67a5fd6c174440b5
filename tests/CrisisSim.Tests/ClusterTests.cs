using System.Diagnostics;
using System.Globalization;
using CrisisSim.Testing;

namespace CrisisSim.Tests;

/// <summary>The commands on a cluster of real silo processes joined through a real Redis membership table.</summary>
public sealed class ClusterTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("crisissim-cluster-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static int _clusters;

    private static string NewClusterId() =>
        string.Create(CultureInfo.InvariantCulture, $"test-{Environment.ProcessId}-{Interlocked.Increment(ref _clusters)}");

    /// <summary>Every result file but run.json (which names the host and the elapsed time), byte for byte.</summary>
    private static void AssertSameFiles(string expected, string actual)
    {
        var files = Directory.GetFiles(expected, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetExtension(f) is ".csv" or ".json" && Path.GetFileName(f) != "run.json")
            .Select(f => Path.GetRelativePath(expected, f)).Order(StringComparer.Ordinal).ToArray();
        Assert.NotEmpty(files);
        Assert.Equal(files, Directory.GetFiles(actual, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetExtension(f) is ".csv" or ".json" && Path.GetFileName(f) != "run.json")
            .Select(f => Path.GetRelativePath(actual, f)).Order(StringComparer.Ordinal).ToArray());
        foreach (var file in files)
        {
            Assert.True(File.ReadAllBytes(Path.Combine(expected, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(actual, file))), $"{file} differs");
        }
    }

    [FactWithRedis]
    public async Task A_sweep_and_a_staff_on_three_silos_write_the_default_hosts_files()
    {
        await using var silos = new SiloProcesses(redis.Address, NewClusterId());
        for (var i = 0; i < 3; i++)
        {
            await silos.StartAsync();
        }
        string[] cluster = ["--cluster", redis.Address, "--cluster-id", silos.ClusterId];
        var scenario = Repo.Scenario("erlang-c-textbook.yaml");
        string[] sweep = ["sweep", scenario, "--set", "groups.agents.staffing=13,14,15", "-r", "12"];
        string[] staff = ["staff", scenario, "-r", "4", "--max-iterations", "3"];
        foreach (var (name, args) in new[] { ("sweep", sweep), ("staff", staff) })
        {
            var local = await CliRun.Run([.. args, "--out", Path.Combine(_dir, name, "local")]);
            var spread = await CliRun.Run([.. args, .. cluster, "--out", Path.Combine(_dir, name, "cluster")]);
            Assert.True(local.Code is 0 or 1, local.Err);
            Assert.True(spread.Code == local.Code, $"{name}: exit {spread.Code} on the cluster, {local.Code} on the default host\n{spread.Err}\n{silos.Logs}");
            Assert.Contains($"cluster '{silos.ClusterId}' at {redis.Address}: 3 silos active", spread.Err, StringComparison.Ordinal);
            Assert.Equal(local.Out.Replace(Path.Combine(_dir, name, "local"), "OUT", StringComparison.Ordinal),
                spread.Out.Replace(Path.Combine(_dir, name, "cluster"), "OUT", StringComparison.Ordinal));
            AssertSameFiles(Path.Combine(_dir, name, "local"), Path.Combine(_dir, name, "cluster"));
        }
    }

    [FactWithRedis]
    public async Task A_silo_killed_mid_run_has_its_replications_run_again_and_the_results_do_not_change()
    {
        await using var silos = new SiloProcesses(redis.Address, NewClusterId());
        var victim = await silos.StartAsync();
        await silos.StartAsync();
        await silos.StartAsync();
        // 200 replications of about 40 ms each: several seconds of work spread over three silos.
        string[] args = ["run", Repo.Scenario("covid-hotline.yaml"), "-r", "200", "-f", "summary"];
        var local = await CliRun.Run([.. args, "--host", "threads", "--out", Path.Combine(_dir, "local")]);
        Assert.True(local.Code == 0, local.Err);
        var cpu = victim.TotalProcessorTime;
        var run = CliRun.Run([.. args, "--cluster", redis.Address, "--cluster-id", silos.ClusterId, "--out", Path.Combine(_dir, "cluster")]);
        // Killed once it is working on the run (its CPU time grows by half a second), before the run ends.
        var clock = Stopwatch.StartNew();
        while (victim.TotalProcessorTime - cpu < TimeSpan.FromSeconds(0.5))
        {
            Assert.False(run.IsCompleted, "the run ended before the silo took part in it: " + (run.IsCompleted ? run.Result.Err : ""));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "the silo did not work on the run");
            await Task.Delay(20);
            victim.Refresh();
        }
        Assert.False(run.IsCompleted, "the run ended before the kill");
        victim.Kill();
        var (code, output, error) = await run.WaitAsync(TimeSpan.FromMinutes(3));
        Assert.True(code == 0, $"{error}\n{silos.Logs}");
        Assert.Matches(@"note: \d+ replications? (was|were) lost with their silo and run again elsewhere", error);
        Assert.Contains("S127.0.0.1:", error, StringComparison.Ordinal);
        AssertSameFiles(Path.Combine(_dir, "local"), Path.Combine(_dir, "cluster"));
        Assert.Equal(local.Out.Split('\n')[..^2], output.Split('\n')[..^2]); // all but the line of elapsed time and folder
    }

    [FactWithRedis]
    public async Task A_silo_that_joins_mid_run_takes_work()
    {
        await using var silos = new SiloProcesses(redis.Address, NewClusterId());
        var first = await silos.StartAsync();
        var cpu = first.TotalProcessorTime;
        var run = CliRun.Run(["run", Repo.Scenario("covid-hotline.yaml"), "-r", "300", "-f", "summary", "--parallelism", "8",
            "--cluster", redis.Address, "--cluster-id", silos.ClusterId, "--out", Path.Combine(_dir, "joined")]);
        var clock = Stopwatch.StartNew();
        while (first.TotalProcessorTime - cpu < TimeSpan.FromSeconds(0.3))
        {
            Assert.False(run.IsCompleted, "the run ended before the first silo worked on it");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "the first silo did not work on the run");
            await Task.Delay(20);
            first.Refresh();
        }
        var second = await silos.StartAsync();
        Assert.False(run.IsCompleted, "the run ended before the second silo joined");
        var (code, _, error) = await run.WaitAsync(TimeSpan.FromMinutes(3));
        Assert.True(code == 0, error);
        var perSilo = error.Split('\n').Single(l => l.StartsWith("replications run per silo: ", StringComparison.Ordinal));
        Assert.True(perSilo.Split(", ").Length == 2, $"one silo ran everything: {perSilo}\n{silos.Logs}");
        Assert.False(second.HasExited);
    }

    /// <summary>A live load on the grains of a cluster of two silo processes, driven from this process: the calls offered
    /// are replication 0's exactly, and the other KPIs lie within the prediction interval of the virtual-time
    /// replications widened by the scaled-time jitter, as for the embedded silo (see LoadTests for the derivation).</summary>
    [FactWithRedis]
    public async Task A_live_load_on_a_cluster_of_two_silos_gives_the_KPIs_of_the_virtual_time_run()
    {
        await using var silos = new SiloProcesses(redis.Address, NewClusterId());
        await silos.StartAsync();
        await silos.StartAsync();
        using var client = await Grains.RedisCluster.ConnectAsync(new Grains.RedisClusterSettings(
            Grains.RedisAddress.TryParse(redis.Address, out var address, out _) ? address! : throw new InvalidOperationException(redis.Address), silos.ClusterId));
        var scenario = LoadTests.Moderate();
        const double speed = 50;
        var live = await Grains.LiveRun.RunAsync(Grains.LocalCluster.ClusterClient(client), scenario, 5, new Grains.LiveOptions { Speed = speed }, CancellationToken.None);
        const int n = 30;
        var virtualRows = Enumerable.Range(0, n)
            .Select(r => Engine.RunAccumulator.Measure(scenario, Engine.InlineEngine.RunReplication(scenario, 5, r), false).Overall).ToArray();
        var liveRow = Engine.RunAccumulator.Measure(scenario, live.Replication, false).Overall;
        Assert.Equal(virtualRows[0][Model.Recording.KpiCatalog.Offered], liveRow[Model.Recording.KpiCatalog.Offered]);
        var jitter = speed * live.Latency[Engine.LatencyKind.All].Percentiles[^1] / 1000;
        var t = MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, n - 1, 0.9995);
        foreach (var (kpi, slack) in new[]
                 {
                     (Model.Recording.KpiCatalog.ServiceLevel, 2 * jitter / scenario.ServiceLevel.ThresholdSeconds),
                     (Model.Recording.KpiCatalog.AbandonmentRate, 2 * jitter / scenario.ServiceLevel.ThresholdSeconds),
                     (Model.Recording.KpiCatalog.AverageSpeedOfAnswer, 2 * jitter),
                 })
        {
            var values = virtualRows.Select(row => row[kpi]).ToArray();
            var mean = values.Average();
            var sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (n - 1));
            var tolerance = t * sd * Math.Sqrt(1 + 1.0 / n) + slack;
            Assert.True(Math.Abs(liveRow[kpi] - mean) <= tolerance, $"{Model.Recording.KpiCatalog.Names[kpi]}: live {liveRow[kpi]:G5}, virtual time {mean:G5} ± {tolerance:G3}");
        }
        Assert.Equal(0, live.Latency.Facts.Errors + live.Latency.Facts.Timeouts);
        await client.StopAsync();
    }

    /// <summary>Before a run spreads over a cluster, every silo is asked (metadata only) whether it can load the
    /// scenario's routing plug-in; one that cannot is named, and no replication runs.</summary>
    [FactWithRedis]
    public async Task A_plugin_that_a_silo_cannot_load_is_reported_before_the_run()
    {
        await using var silos = new SiloProcesses(redis.Address, NewClusterId());
        await silos.StartAsync();
        await silos.StartAsync();
        using var client = await Grains.RedisCluster.ConnectAsync(new Grains.RedisClusterSettings(
            Grains.RedisAddress.TryParse(redis.Address, out var address, out _) ? address! : throw new InvalidOperationException(redis.Address), silos.ClusterId));
        var missing = Path.Combine(_dir, "nowhere", "Policies.dll");
        var scenario = TestScenarios.Single(2, 60, 3, 120, 20, intervalSeconds: 600, intervals: 2, name: "plugin-check")
            with { Routing = Model.Scenario.RoutingSpec.Plugin(missing, "Policies.Nearest") };
        var host = Grains.GrainReplicationHost.OnCluster(Grains.LocalCluster.ClusterClient(client), components: false, silos: 2);
        var refused = await Assert.ThrowsAsync<Grains.ClusterPluginException>(() =>
            Engine.ReplicationPipeline.RunAsync(host, scenario, 1, 4, Model.Recording.ReplicationOutput.Kpis, null, CancellationToken.None));
        Assert.Equal(2, refused.Message.Split("silo S127.0.0.1:").Length - 1);
        Assert.Contains(missing, refused.Message, StringComparison.Ordinal);
        Assert.Empty(host.RanOn);
        // A policy that fails on a silo (the sample plug-in without its settings) reaches this process as the policy's
        // failure, not as an exception Orleans could not send.
        var failing = scenario with { Routing = Model.Scenario.RoutingSpec.Plugin(SamplePlugin.AssemblyPath, SamplePlugin.TypeName) };
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => Engine.ReplicationPipeline.RunAsync(
            Grains.GrainReplicationHost.OnCluster(Grains.LocalCluster.ClusterClient(client), components: false, silos: 2), failing, 1, 2, Model.Recording.ReplicationOutput.Kpis, null, CancellationToken.None));
        Assert.DoesNotContain("codec", failure.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.True(failure.ToString().Contains("RoutingSettingsException", StringComparison.Ordinal), failure.ToString());
        // The sample plug-in, which every silo of this machine finds at its path, passes the check and runs everywhere.
        var sample = scenario with { Routing = Plugins.RoutingPlugins.Reference(SamplePlugin.AssemblyPath, SamplePlugin.TypeName, new Dictionary<string, string> { ["promoteAfter"] = "2m" }) };
        var spread = Grains.GrainReplicationHost.OnCluster(Grains.LocalCluster.ClusterClient(client), components: false, silos: 2);
        var run = await Engine.ReplicationPipeline.RunAsync(spread, sample, 1, 4, Model.Recording.ReplicationOutput.Kpis, null, CancellationToken.None);
        Assert.Equal(4, run.ReplicationCount);
        Assert.Equal(4, spread.RanOn.Sum(p => p.Value));
        await client.StopAsync();
    }

    [FactWithRedis]
    public async Task A_wrong_cluster_id_or_an_unreachable_redis_exits_2_at_once_with_what_is_wrong()
    {
        var scenario = Repo.Scenario("erlang-c-textbook.yaml");
        var clock = Stopwatch.StartNew();
        var wrongId = await CliRun.Run("run", scenario, "-r", "2", "--cluster", redis.Address, "--cluster-id", "nobody-here", "--out", _dir);
        Assert.Equal(2, wrongId.Code);
        Assert.Contains("no silo has joined the cluster 'nobody-here'", wrongId.Err, StringComparison.Ordinal);
        var port = RedisServerFixture.FreePort();
        var unreachable = await CliRun.Run("staff", scenario, "-r", "2", "--cluster", $"redis://127.0.0.1:{port}", "--out", _dir);
        Assert.Equal(2, unreachable.Code);
        Assert.Contains($"cannot reach Redis at redis://127.0.0.1:{port}", unreachable.Err, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"{clock.Elapsed.TotalSeconds:F0} s to refuse");
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
        foreach (var bad in new[] { "127.0.0.1:6379", "redis://127.0.0.1", "redis://127.0.0.1:0", "redis://:6379", "http://127.0.0.1:6379" })
        {
            var refused = await CliRun.Run("run", scenario, "--cluster", bad);
            Assert.True(refused.Code == 2, $"{bad}: {refused.Err}");
            Assert.Contains("error: --cluster:", refused.Err, StringComparison.Ordinal);
        }
        var threads = await CliRun.Run("run", scenario, "--cluster", redis.Address, "--host", "threads");
        Assert.Equal(2, threads.Code);
        var loadUnreachable = await CliRun.Run("load", scenario, "--speed", "100", "--cluster", $"redis://127.0.0.1:{port}", "--out", _dir);
        Assert.Equal(2, loadUnreachable.Code);
        Assert.Contains($"cannot reach Redis at redis://127.0.0.1:{port}", loadUnreachable.Err, StringComparison.Ordinal);
        var idAlone = await CliRun.Run("run", scenario, "--cluster-id", "x");
        Assert.Equal(2, idAlone.Code);
        Assert.Contains("--cluster-id goes with --cluster", idAlone.Err, StringComparison.Ordinal);
    }
}
