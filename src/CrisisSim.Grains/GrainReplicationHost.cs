using System.Collections.Concurrent;
using CrisisSim.Engine;
using CrisisSim.Model.Scenario;
using Orleans.Runtime;

namespace CrisisSim.Grains;

/// <summary>A replication run again because its grain was lost (its silo died or left): which, where it had been, why.</summary>
public sealed record LostReplication(int Replication, int Attempt, string? Silo, string Reason);

/// <summary>Replications on grains of a silo or cluster, each long-polled (<see cref="GrainRunner"/>), so that no grain
/// call outlasts the response timeout whatever the replication's length.</summary>
public sealed class GrainReplicationHost : IReplicationHost
{
    /// <summary>Attempts of one replication on a cluster before its loss fails the run.</summary>
    public const int MaxAttempts = 6;

    private readonly IGrainFactory _grains;
    private readonly bool _components;
    private readonly bool _rerunLost;
    private readonly ConcurrentQueue<LostReplication> _lost = new();
    private readonly ConcurrentDictionary<string, int> _ranOn = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Path, string Type), Lazy<Task>> _pluginChecks = new();

    private GrainReplicationHost(IGrainFactory grains, bool components, int concurrency, bool rerunLost = false)
    {
        _grains = grains ?? throw new ArgumentNullException(nameof(grains));
        _components = components;
        _rerunLost = rerunLost;
        Concurrency = concurrency;
    }

    /// <summary>One replication grain per replication (keyed RUNID/rR) running the inline engine; silos run as many at
    /// once as they have cores.</summary>
    /// <param name="parallelism">Replications requested at once (0: 4 per local core, so remote silos stay busy too).</param>
    public static GrainReplicationHost ReplicationGrains(IGrainFactory grains, int parallelism = 0) =>
        new(grains, false, parallelism > 0 ? parallelism : 4 * Environment.ProcessorCount);

    /// <summary>The model's components (callers, queue, operator groups) as grains, driven by a clock grain (keyed
    /// RUNID/rR) in virtual time; each replication is sequential.</summary>
    /// <param name="parallelism">Replications played at once (0: one per local core).</param>
    public static GrainReplicationHost ComponentGrains(IGrainFactory grains, int parallelism = 0) =>
        new(grains, true, parallelism > 0 ? parallelism : Environment.ProcessorCount);

    /// <summary>Replications spread over the silos of a cluster (<see cref="RedisCluster"/>): a replication whose grain is
    /// lost with its silo runs again under a new id (<see cref="RunKeys.Replication(string, int, int)"/>), which placement
    /// puts on a silo still there, up to <see cref="MaxAttempts"/> times; it draws from the same streams (seed,
    /// replication), so the result is the same. <see cref="Lost"/> says which were run again.</summary>
    /// <param name="parallelism">Replications requested at once (0: 4 per local core per silo).</param>
    public static GrainReplicationHost OnCluster(IGrainFactory grains, bool components, int silos, int parallelism = 0) =>
        new(grains, components, parallelism > 0 ? parallelism : Math.Min(RunLimits.MaxParallelism, 4 * Environment.ProcessorCount * Math.Max(1, silos)), rerunLost: true);

    public int Concurrency { get; }

    /// <summary>The replications run again after their grain was lost, in the order their losses were noticed.</summary>
    public IReadOnlyList<LostReplication> Lost => [.. _lost];

    /// <summary>How many replications each silo ran to the end (by silo address), sorted by address.</summary>
    public IReadOnlyList<KeyValuePair<string, int>> RanOn => [.. _ranOn.OrderBy(p => p.Key, StringComparer.Ordinal)];

    public string NewRunId(ScenarioDefinition scenario, long seed) => GrainRunner.NewRunId(scenario, seed);

    public async Task<ReplicationKpis> RunAsync(ReplicationJob job, CancellationToken cancellationToken)
    {
        if (_rerunLost && job.Scenario.Routing is { AssemblyPath: { } path, TypeName: { } type })
        {
            // On a cluster, every silo must be able to load the plug-in: checked once per plug-in, before its first run.
            await _pluginChecks.GetOrAdd((path, type), key => new Lazy<Task>(() => CheckPluginOnEverySiloAsync(key.Path, key.Type))).Value.WaitAsync(cancellationToken);
        }
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await RunOnceAsync(job, RunKeys.Replication(job.RunId, job.Replication, attempt), cancellationToken);
            }
            catch (RunLostException lost) when (_rerunLost && attempt < MaxAttempts && !cancellationToken.IsCancellationRequested)
            {
                _lost.Enqueue(new LostReplication(job.Replication, attempt, lost.Silo, lost.Message));
                // Until the cluster declares the silo dead, placement may still choose it: wait a little more each time.
                await Task.Delay(TimeSpan.FromSeconds(attempt), cancellationToken);
            }
        }
    }

    private async Task CheckPluginOnEverySiloAsync(string path, string type)
    {
        var silos = await _grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        var problems = new List<string>();
        foreach (var silo in silos.Keys.OrderBy(s => s.ToParsableString(), StringComparer.Ordinal))
        {
            if (await _grains.GetGrain<ISiloCheckGrain>(silo.ToParsableString()).CheckPlugin(path, type) is { } problem)
            {
                problems.Add($"silo {silo}: {problem}");
            }
        }
        if (problems.Count > 0)
        {
            throw new ClusterPluginException($"the routing plug-in {type} cannot be loaded on every silo of the cluster (it must be at the same path on every machine): {string.Join("; ", problems)}");
        }
    }

    private async Task<ReplicationKpis> RunOnceAsync(ReplicationJob job, string key, CancellationToken cancellationToken)
    {
        // A replication grain streams the call log to a folder of this machine; component grains hold it in their records.
        var callLogs = !_components && job.KeepsCallLog ? job.CallLogs as CallLogFolder : null;
        var request = new RunRequest(job.Scenario, job.Seed, job.Replication, job.Output, callLogs?.Folder);
        var outcome = _components
            ? await GrainRunner.RunModelGrainReplicationAsync(_grains, key, request, cancellationToken)
            : await GrainRunner.RunReplicationGrainAsync(_grains, key, request, cancellationToken);
        foreach (var silo in outcome.Silos.Distinct())
        {
            _ranOn.AddOrUpdate(silo, 1, (_, n) => n + 1);
        }
        return GrainRunner.ToReplicationKpis(job.Scenario, outcome, callLogs);
    }
}
