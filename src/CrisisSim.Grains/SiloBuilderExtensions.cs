using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace CrisisSim.Grains;

public static class SiloBuilderExtensions
{
    /// <summary>Registers what CrisisSim's grains need in a silo: the placement that keeps each run on one silo, the
    /// placement of a grain on a given silo, and CrisisSim's exceptions carried across processes.</summary>
    public static ISiloBuilder AddCrisisSimGrains(this ISiloBuilder builder)
    {
        builder.Services.AddCrisisSimExceptions();
        return builder.AddPlacementDirector<RunPlacement, RunPlacementDirector>()
            .AddPlacementDirector<SiloPlacement, SiloPlacementDirector>();
    }

    /// <summary>A failure of the model on a silo (an unstable replication, a routing policy that fails, with its inner
    /// exceptions) reaches a client in another process as the same exception: Orleans serializes exceptions of the
    /// namespaces it is told about, and only those.</summary>
    public static IServiceCollection AddCrisisSimExceptions(this IServiceCollection services) =>
        services.Configure<ExceptionSerializationOptions>(o => o.SupportedNamespacePrefixes.Add("CrisisSim"));
}
