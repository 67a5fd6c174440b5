using Microsoft.Extensions.Hosting;
using Orleans.TestingHost;

namespace CrisisSim.Grains.Tests;

/// <summary>One two-silo cluster shared by every test: silos in Development, so a type without a serializer makes the
/// silo fail at start, and two of them, so placement and cross-silo serialization are exercised.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public const int SiloCount = 2;

    private InProcessTestCluster? _cluster;

    public InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster has not started");

    public IClusterClient Client => Cluster.Client;

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable("DOTNET_ENVIRONMENT", Environments.Development);
        var builder = new InProcessTestClusterBuilder(SiloCount);
        builder.ConfigureSiloHost((_, host) => host.Environment.EnvironmentName = Environments.Development);
        builder.ConfigureSilo((_, silo) => silo.AddCrisisSimGrains().AddIncomingGrainCallFilter(context =>
        {
            Deliveries.Count(context.Grain, context.MethodName);
            return context.Invoke();
        }));
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.StopAllSilosAsync();
            await _cluster.DisposeAsync();
        }
    }
}

/// <summary>Deliveries received by each kind of component grain, counted by a call filter in the test silos.</summary>
public static class Deliveries
{
    private static long _callers;
    private static long _others;

    public static (long Callers, long Others) Snapshot() => (Interlocked.Read(ref _callers), Interlocked.Read(ref _others));

    internal static void Count(object grain, string method)
    {
        if (method != nameof(IComponentGrain.Deliver))
        {
            return;
        }
        if (grain is CallerGrain)
        {
            Interlocked.Increment(ref _callers);
        }
        else if (grain is ComponentGrain)
        {
            Interlocked.Increment(ref _others);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
