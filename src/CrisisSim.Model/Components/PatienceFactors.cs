namespace CrisisSim.Model.Components;

/// <summary>Multiplies a caller's patience by the factor of the interval it arrives in (callers grow less patient as a
/// crisis drags on). No draw: the patience streams are unchanged.</summary>
public sealed class PatienceFactors(IReadOnlyList<double> factors, double intervalSeconds)
{
    private readonly double[] _factors = [.. factors];

    public double Apply(double patience, double now)
    {
        var k = Math.Min((int)(now / intervalSeconds), _factors.Length - 1);
        return patience * _factors[Math.Max(k, 0)];
    }
}
