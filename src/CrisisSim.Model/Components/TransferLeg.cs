using CrisisSim.Model.Distributions;
using CrisisSim.Model.Randomness;

namespace CrisisSim.Model.Components;

/// <summary>How a caller transferred to this call type starts its leg: with the type's patience, drawn from the stream
/// of the type it comes from, times the patience factor of now.</summary>
/// <param name="patience">Null: never abandons.</param>
/// <param name="factors">Null: 1.</param>
public sealed class TransferLeg(Distribution? patience, PatienceFactors? factors)
{
    public double Patience(RandomStream stream, double now)
    {
        var drawn = patience?.Sample(stream) ?? double.PositiveInfinity;
        return factors is null ? drawn : factors.Apply(drawn, now);
    }
}
