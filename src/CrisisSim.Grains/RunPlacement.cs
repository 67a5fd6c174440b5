using Orleans.Placement;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace CrisisSim.Grains;

/// <summary>Puts every grain of one run on the same silo, chosen from the run id: a cluster spreads runs over its
/// silos, while the chatter within a run (clock ↔ components) stays inside one silo.</summary>
[Serializable, GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("crisissim.RunPlacement")]
public sealed class RunPlacement : PlacementStrategy
{
    public static RunPlacement Instance { get; } = new();
}

/// <summary>Marks a run grain class for <see cref="RunPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class RunPlacementAttribute : PlacementAttribute
{
    public RunPlacementAttribute()
        : base(RunPlacement.Instance)
    {
    }
}

/// <summary>Hashes the run id of the grain's key stably over the sorted compatible silos, so every silo makes the
/// same choice for every grain of a run.</summary>
public sealed class RunPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var silos = context.GetCompatibleSilos(target);
        if (silos.Length == 0)
        {
            throw new OrleansException($"No silo can host {target.GrainIdentity}");
        }
        return Task.FromResult(Choose(RunKeys.RunIdOf(target.GrainIdentity.Key.ToString()), silos));
    }

    /// <summary>The silo for a run among <paramref name="silos"/>: depends only on the run id and the set of silos.</summary>
    public static SiloAddress Choose(string runId, IEnumerable<SiloAddress> silos)
    {
        var sorted = silos.Order().ToArray();
        return sorted[(int)(RunKeys.StableHash(runId) % (ulong)sorted.Length)];
    }
}
