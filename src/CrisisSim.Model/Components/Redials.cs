using CrisisSim.Model.Distributions;
using CrisisSim.Model.Randomness;

namespace CrisisSim.Model.Components;

/// <summary>After a failed attempt (blocked, balked, abandoned, told to call back), the caller may try again after a
/// delay, with a fresh patience. Every draw from stream <c>redial/TYPE</c>.</summary>
/// <param name="probabilities">Probability of redialling after failed attempt k at index k - 1.</param>
/// <param name="patience">The patience of a redialling caller (drawn anew for each attempt); null: never abandons.</param>
/// <param name="factors">Patience factor by interval of the attempt's arrival; null: 1.</param>
public sealed class Redials(double[] probabilities, Distribution delay, Distribution? patience, PatienceFactors? factors, RandomStream stream)
{
    /// <summary>Draws whether the caller redials after failed attempt <paramref name="attempt"/> (from 1), and when.</summary>
    public bool TryRedial(int attempt, double now, out double at)
    {
        if (attempt > probabilities.Length || !(stream.NextDouble() < probabilities[attempt - 1]))
        {
            at = double.PositiveInfinity;
            return false;
        }
        at = now + delay.Sample(stream);
        return true;
    }

    /// <summary>The patience of the caller redialling now.</summary>
    public double Patience(double now)
    {
        var drawn = patience?.Sample(stream) ?? double.PositiveInfinity;
        return factors is null ? drawn : factors.Apply(drawn, now);
    }
}
