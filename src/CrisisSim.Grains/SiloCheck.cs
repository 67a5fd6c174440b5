using CrisisSim.Model.Routing;
using CrisisSim.Plugins;
using Orleans.Placement;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace CrisisSim.Grains;

/// <summary>Puts a grain on the silo its key names (the silo's address as <see cref="SiloAddress.ToParsableString"/>).</summary>
[Serializable, GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("crisissim.SiloPlacement")]
public sealed class SiloPlacement : PlacementStrategy
{
    public static SiloPlacement Instance { get; } = new();
}

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SiloPlacementAttribute : PlacementAttribute
{
    public SiloPlacementAttribute()
        : base(SiloPlacement.Instance)
    {
    }
}

public sealed class SiloPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var key = target.GrainIdentity.Key.ToString();
        var silo = context.GetCompatibleSilos(target).FirstOrDefault(s => s.ToParsableString() == key)
            ?? throw new OrleansException($"No active silo {key} for {target.GrainIdentity}");
        return Task.FromResult(silo);
    }
}

/// <summary>Checks on its own silo that a routing plug-in can be loaded there, from metadata only.</summary>
[SiloPlacement]
public sealed class SiloCheckGrain : Grain, ISiloCheckGrain
{
    public Task<string?> CheckPlugin(string assemblyPath, string typeName)
    {
        try
        {
            PluginInspector.Check(assemblyPath, typeName);
            return Task.FromResult<string?>(null);
        }
        catch (RoutingPluginException ex)
        {
            return Task.FromResult<string?>(ex.Message);
        }
        finally
        {
            DeactivateOnIdle();
        }
    }
}

/// <summary>A cluster's silo that cannot run the scenario's routing plug-in: said before any replication runs.</summary>
public sealed class ClusterPluginException(string message) : Exception(message);
