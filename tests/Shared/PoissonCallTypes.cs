using CrisisSim.Model.Scenario;

namespace CrisisSim.Testing;

/// <summary>The per-interval calls of a call type with Poisson arrivals (the default process), as tests built in code
/// use them.</summary>
internal static class PoissonCallTypes
{
    extension(CallTypeSpec type)
    {
        public IReadOnlyList<double> CallsPerInterval => ((PoissonArrivalSpec)type.Arrivals).CallsPerInterval;
    }
}
