using CrisisSim.Analytics;

namespace CrisisSim.Engine;

internal static class Statistics
{
    /// <summary>Mean and 95 % Student-t half-width of the values that are defined (not NaN).</summary>
    public static Estimate Estimate(ReadOnlySpan<double> values)
    {
        var defined = new List<double>(values.Length);
        foreach (var v in values)
        {
            if (!double.IsNaN(v))
            {
                defined.Add(v);
            }
        }
        if (defined.Count == 0)
        {
            return new Estimate(double.NaN, double.NaN, 0);
        }
        var ci = ConfidenceInterval.FromSamples(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(defined));
        return new Estimate(ci.Mean, ci.HalfWidth, ci.Count);
    }
}
