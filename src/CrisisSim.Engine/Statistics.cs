namespace CrisisSim.Engine;

internal static class Statistics
{
    /// <summary>Mean and 95 % half-width of the values that are not NaN.</summary>
    public static Estimate Estimate(ReadOnlySpan<double> values)
    {
        var n = 0;
        var sum = 0.0;
        foreach (var v in values)
        {
            if (!double.IsNaN(v))
            {
                n++;
                sum += v;
            }
        }
        if (n == 0)
        {
            return new Estimate(double.NaN, double.NaN, 0);
        }
        var mean = sum / n;
        if (n < 2)
        {
            return new Estimate(mean, double.NaN, n);
        }
        var squares = 0.0;
        foreach (var v in values)
        {
            if (!double.IsNaN(v))
            {
                squares += (v - mean) * (v - mean);
            }
        }
        var sd = Math.Sqrt(squares / (n - 1));
        var t = MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, n - 1, 0.975);
        return new Estimate(mean, t * sd / Math.Sqrt(n), n);
    }
}
