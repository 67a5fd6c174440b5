namespace CrisisSim.Grains;

public static class SiloBuilderExtensions
{
    /// <summary>Registers what CrisisSim's grains need in a silo: the placement that keeps each run on one silo.</summary>
    public static ISiloBuilder AddCrisisSimGrains(this ISiloBuilder builder) =>
        builder.AddPlacementDirector<RunPlacement, RunPlacementDirector>()
            .AddPlacementDirector<SiloPlacement, SiloPlacementDirector>();
}
