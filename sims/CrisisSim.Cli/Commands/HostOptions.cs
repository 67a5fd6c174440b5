using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using CrisisSim.Engine;
using CrisisSim.Grains;
using Microsoft.Extensions.Hosting;
using Orleans;
using Orleans.Runtime;

namespace CrisisSim.Cli.Commands;

/// <summary>Where the replications of a command run, as the user chose it.</summary>
/// <param name="Host"><c>silo</c> (an embedded Orleans silo) or <c>threads</c> (local threads, no silo).</param>
/// <param name="Grains">On the silo: <c>replication</c> (a grain per replication running the event loop) or
/// <c>components</c> (callers, queue and operator groups each a grain, in virtual time).</param>
/// <param name="Parallelism">Replications in flight at once (0: the host's default).</param>
/// <param name="Cluster">With <c>--cluster</c>: the cluster whose silos run the grains instead of an embedded silo.</param>
internal sealed record HostChoice(string Host, string Grains, int Parallelism, RedisClusterSettings? Cluster = null)
{
    public bool UsesSilo => Host == HostOptions.Silo;

    /// <summary>The host as result files name it (<c>run.json</c>'s <c>host</c>).</summary>
    public string Name => !UsesSilo ? HostOptions.Threads : (Cluster is null ? "silo/" : "cluster/") + (Grains == HostOptions.ComponentGrains ? "component-grains" : "replication-grains");
}

/// <summary><c>--host</c>, <c>--grains</c> and <c>--parallelism</c>, declared once for every command that simulates; the
/// former spellings (<c>--host process</c>, <c>--engine inline|grains</c>) still work, with a note on standard error.</summary>
internal sealed class HostOptions
{
    public const string Silo = "silo";
    public const string Threads = "threads";
    private const string FormerThreads = "process";
    public const string ReplicationGrains = "replication";
    public const string ComponentGrains = "components";

    private readonly Option<string> _host = new("--host")
    {
        Description = "Where replications run. silo: an embedded Orleans silo in this process (default); threads: the event loop on local threads, no silo (formerly 'process').",
        DefaultValueFactory = _ => Silo,
    };

    private readonly Option<string?> _grains = new("--grains")
    {
        Description = "With --host silo: replication: one grain per replication, running the event loop (default); components: callers, queue and operator groups each a grain, driven by a clock grain in virtual time (the same outcomes, much slower: for checking the grains).",
    };

    private readonly Option<string?> _engine = new("--engine")
    {
        Description = "Former spelling of --grains: inline is --grains replication, grains is --grains components.",
        Hidden = true,
    };

    private readonly ClusterOptionPair _cluster = new("Run the grains on a cluster of standalone silos (crisissim-silo) instead of an embedded silo: its membership table, " + RedisAddress.Scheme + "HOST:PORT (a Redis server). Replications spread over every silo; one lost with its silo runs again elsewhere, with the same result.");

    private readonly Option<int> _parallelism;

    public HostOptions(string parallelismDescription)
    {
        _host.AcceptOnlyFromAmong(Silo, Threads, FormerThreads);
        _grains.AcceptOnlyFromAmong(ReplicationGrains, ComponentGrains);
        _engine.AcceptOnlyFromAmong("inline", "grains");
        _parallelism = new Option<int>("--parallelism") { Description = parallelismDescription };
    }

    public void AddTo(Command command)
    {
        command.Options.Add(_parallelism);
        command.Options.Add(_host);
        command.Options.Add(_grains);
        command.Options.Add(_engine);
        _cluster.AddTo(command);
    }

    /// <summary>The choice, or null after writing what is wrong with it. Former spellings are noted on
    /// <paramref name="e"/>.</summary>
    public HostChoice? Read(ParseResult parse, TextWriter e)
    {
        var threads = parse.GetValue(_parallelism);
        if (threads is < 0 or > RunLimits.MaxParallelism)
        {
            e.WriteLine(string.Create(CultureInfo.InvariantCulture, $"error: --parallelism must be 0 (the host's default) to {RunLimits.MaxParallelism} (got {threads})."));
            return null;
        }
        var host = parse.GetValue(_host)!;
        if (host == FormerThreads)
        {
            e.WriteLine("note: --host process is now spelled --host threads.");
            host = Threads;
        }
        var grains = parse.GetValue(_grains);
        if (parse.GetValue(_engine) is { } engine)
        {
            var meant = engine == "grains" ? ComponentGrains : ReplicationGrains;
            e.WriteLine($"note: --engine {engine} is now spelled --grains {meant}.");
            if (grains is not null && grains != meant)
            {
                e.WriteLine($"error: --engine {engine} and --grains {grains} contradict each other; use --grains alone.");
                return null;
            }
            grains ??= meant;
        }
        if (host == Threads && grains == ComponentGrains)
        {
            e.WriteLine("error: --host threads runs the event loop only; component grains need --host silo.");
            return null;
        }
        if (!_cluster.TryRead(parse, e, out var cluster))
        {
            return null;
        }
        if (cluster is not null && host == Threads)
        {
            e.WriteLine("error: --host threads runs on this machine only; --cluster runs the grains of the cluster's silos.");
            return null;
        }
        return new HostChoice(host, grains ?? ReplicationGrains, threads, cluster);
    }
}

/// <summary><c>--cluster</c> and <c>--cluster-id</c>, declared once for every command that can run on a cluster.</summary>
internal sealed class ClusterOptionPair(string description)
{
    private readonly Option<string?> _cluster = new("--cluster") { Description = description };

    private readonly Option<string> _clusterId = new("--cluster-id")
    {
        Description = $"With --cluster: the cluster's id, as its silos were started with (default {RedisCluster.DefaultClusterId}).",
        DefaultValueFactory = _ => RedisCluster.DefaultClusterId,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(_cluster);
        command.Options.Add(_clusterId);
    }

    /// <summary>The cluster asked for (null: none), or false after writing what is wrong with the options.</summary>
    public bool TryRead(ParseResult parse, TextWriter e, out RedisClusterSettings? cluster)
    {
        cluster = null;
        if (parse.GetValue(_cluster) is not { } text)
        {
            if (parse.GetResult(_clusterId) is { Implicit: false })
            {
                e.WriteLine("error: --cluster-id goes with --cluster.");
                return false;
            }
            return true;
        }
        if (!RedisAddress.TryParse(text, out var redis, out var problem))
        {
            e.WriteLine($"error: --cluster: {problem}.");
            return false;
        }
        var id = parse.GetValue(_clusterId)!;
        if (!RedisCluster.IsValidClusterId(id))
        {
            e.WriteLine($"error: --cluster-id takes 1 to 64 letters, digits, '-', '_' or '.' (got '{id}').");
            return false;
        }
        cluster = new RedisClusterSettings(redis!, id);
        return true;
    }
}

/// <summary>The host a command chose, started when its work starts: local threads, or an embedded silo. The silo starts
/// on another thread (<see cref="EmbeddedSilo.StartInBackground"/>) so that a command cancelled during the start returns
/// at once, the silo being stopped in the background once its start is done. (Starting it while the command reads its
/// input was measured to save nothing here, +0.07 s with an interquartile range of -0.04 to +0.13 s, and it shortened
/// the window in which a signal meets a starting silo.)</summary>
internal sealed class PreparedHost(HostChoice choice, TextWriter? notes = null, EmbeddedSiloOptions? siloOptions = null) : IAsyncDisposable
{
    private StartingSilo? _silo;
    private Task? _stopping;

    public HostChoice Choice => choice;

    /// <summary>Runs <paramref name="work"/> on the host: local threads, or the grains of the embedded silo, stopped after
    /// it (promptly when the command is cancelled; after a success, while the command writes its results, disposing this
    /// waiting for the stop). <paramref name="started"/> is called once the host is ready; the silo's
    /// start time is handed back beside the result.</summary>
    public async Task<(T Result, TimeSpan SiloWait)> RunAsync<T>(Func<IReplicationHost, Task<T>> work, CancellationToken cancellation, Action? started = null)
    {
        if (!choice.UsesSilo)
        {
            started?.Invoke();
            return (await work(new LocalThreadsHost(choice.Parallelism)), TimeSpan.Zero);
        }
        if (choice.Cluster is { } cluster)
        {
            return await OnClusterAsync(cluster, work, cancellation, started);
        }
        var clock = Stopwatch.StartNew();
        _silo ??= StartSilo();
        var silo = await _silo.Ready.WaitAsync(cancellation);
        var wait = clock.Elapsed;
        started?.Invoke();
        T result;
        try
        {
            var grains = silo.GrainFactory();
            IReplicationHost host = choice.Grains == HostOptions.ComponentGrains
                ? GrainReplicationHost.ComponentGrains(grains, choice.Parallelism)
                : GrainReplicationHost.ReplicationGrains(grains, choice.Parallelism);
            result = await work(host);
        }
        catch
        {
            await StopAndDisposeAsync(silo, cancellation);
            throw;
        }
        // The work is done: the silo stops while the command writes its results (disposing this waits for the stop).
        _stopping = Task.Run(() => StopAndDisposeAsync(silo, cancellation), CancellationToken.None);
        return (result, wait);
    }

    /// <summary>Runs <paramref name="work"/> on the grains of a cluster's silos, as a client; says on the notes writer which
    /// replications were lost with their silo and run again. Throws <see cref="ClusterUnreachableException"/> when the
    /// cluster cannot be reached.</summary>
    private async Task<(T Result, TimeSpan SiloWait)> OnClusterAsync<T>(RedisClusterSettings cluster, Func<IReplicationHost, Task<T>> work, CancellationToken cancellation, Action? started)
    {
        var clock = Stopwatch.StartNew();
        using var client = await RedisCluster.ConnectAsync(cluster, cancellation);
        var wait = clock.Elapsed;
        try
        {
            var grains = client.ClusterClient();
            var silos = (await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Count;
            notes?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cluster '{cluster.ClusterId}' at {cluster.Redis}: {silos} silo{(silos == 1 ? "" : "s")} active"));
            started?.Invoke();
            var host = GrainReplicationHost.OnCluster(grains, choice.Grains == HostOptions.ComponentGrains, silos, choice.Parallelism);
            try
            {
                return (await work(host), wait);
            }
            finally
            {
                ReportLost(host.Lost);
                notes?.WriteLine("replications run per silo: " + string.Join(", ", host.RanOn.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value}"))));
            }
        }
        finally
        {
            await StopAsync(client, cancellation);
        }
    }

    private void ReportLost(IReadOnlyList<LostReplication> lost)
    {
        if (notes is null || lost.Count == 0)
        {
            return;
        }
        var bySilo = lost.GroupBy(l => l.Silo is null ? "a silo not yet declared dead (lost as they started)" : l.Silo).Select(g => $"{g.Count()} on {g.Key} ({string.Join(", ", g.Select(l => "r" + l.Replication.ToString(CultureInfo.InvariantCulture)).Take(10))}{(g.Count() > 10 ? ", ..." : "")})");
        notes.WriteLine(string.Create(CultureInfo.InvariantCulture, $"note: {lost.Count} replication{(lost.Count == 1 ? " was" : "s were")} lost with their silo and run again elsewhere, with the same random numbers: {string.Join("; ", bySilo)}"));
    }

    /// <summary>Runs <paramref name="work"/> on the grains of the embedded silo (started here, stopped after it, promptly
    /// when the command is cancelled); the silo's start time is handed back beside the result.</summary>
    public async Task<(T Result, TimeSpan SiloWait)> RunOnSiloAsync<T>(Func<IGrainFactory, Task<T>> work, CancellationToken cancellation)
    {
        if (choice.Cluster is { } cluster)
        {
            // The cluster's silos host the grains; this process connects as a client.
            var connecting = Stopwatch.StartNew();
            using var client = await RedisCluster.ConnectAsync(cluster, cancellation);
            var connected = connecting.Elapsed;
            try
            {
                var grains = client.ClusterClient();
                var silos = (await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Count;
                notes?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cluster '{cluster.ClusterId}' at {cluster.Redis}: {silos} silo{(silos == 1 ? "" : "s")} active"));
                return (await work(grains), connected);
            }
            finally
            {
                await StopAsync(client, cancellation);
            }
        }
        var clock = Stopwatch.StartNew();
        _silo ??= StartSilo();
        var silo = await _silo.Ready.WaitAsync(cancellation);
        var wait = clock.Elapsed;
        try
        {
            return (await work(silo.GrainFactory()), wait);
        }
        finally
        {
            await StopAndDisposeAsync(silo, cancellation);
        }
    }

    /// <summary>The embedded silo of a command: it logs errors only (to standard error), as every command promises;
    /// Orleans' warnings (a thread-pool stall under load, a slow grain call) are for whoever tunes the silo itself.</summary>
    public static EmbeddedSiloOptions SiloOptions { get; } = new() { MinimumLogLevel = Microsoft.Extensions.Logging.LogLevel.Error };

    private StartingSilo StartSilo()
    {
        var silo = EmbeddedSilo.StartInBackground(siloOptions ?? SiloOptions);
        // Only a silo whose start was abandoned is stopped through the handle: nothing to drain.
        silo.StopTimeout = TimeSpan.FromSeconds(2);
        return silo;
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping is not null)
        {
            await _stopping;
        }
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
    }

    private static async Task StopAndDisposeAsync(IHost silo, CancellationToken cancellation)
    {
        await StopAsync(silo, cancellation);
        silo.Dispose();
    }

    private static async Task StopAsync(IHost silo, CancellationToken cancellation)
    {
        // A cancelled command does not wait for a graceful shutdown: the process is about to end. A stop begun before
        // the command is cancelled is cut short the same way.
        using var stopping = new CancellationTokenSource(cancellation.IsCancellationRequested ? TimeSpan.FromMilliseconds(500) : TimeSpan.FromSeconds(30));
        using var cut = cancellation.Register(() => stopping.CancelAfter(TimeSpan.FromMilliseconds(500)));
        try
        {
            await silo.StopAsync(stopping.Token);
        }
        catch (OperationCanceledException)
        {
            // Stopping was cut short on purpose.
        }
    }
}
