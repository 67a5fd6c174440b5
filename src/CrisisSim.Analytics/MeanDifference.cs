using MathNet.Numerics.Distributions;

namespace CrisisSim.Analytics;

/// <summary>The difference B − A of two means estimated over replications, its two-sided confidence half-width and the
/// p-value of "no difference".</summary>
/// <param name="Delta">Mean of B minus mean of A.</param>
/// <param name="HalfWidth">Half-width of the confidence interval of <paramref name="Delta"/>; NaN when undefined.</param>
/// <param name="PValue">Two-sided p-value of the t-test of a zero difference; NaN when undefined.</param>
/// <param name="Paired">Whether the test paired replication i of A with replication i of B (common random numbers).</param>
public readonly record struct Difference(double Delta, double HalfWidth, double PValue, bool Paired)
{
    public bool IsSignificant(double alpha = 0.05) => PValue < alpha;
}

/// <summary>Tests of the difference of two runs' means: Welch's unequal-variance t-test from each run's mean,
/// confidence half-width and count (what a run's summary keeps), or the paired t-test from the replications' values
/// when both runs used the same seed and replications.</summary>
public static class MeanDifference
{
    /// <summary>Welch's t-test from two Student-t confidence intervals (mean, half-width at <paramref name="level"/>,
    /// count of replications). The standard deviation of each run is recovered as half-width x √n / t(n − 1).</summary>
    public static Difference Welch(double meanA, double halfWidthA, int countA, double meanB, double halfWidthB, int countB, double level = ConfidenceInterval.DefaultLevel)
    {
        Guard.OpenUnitInterval(level, nameof(level));
        var delta = meanB - meanA;
        if (countA < 2 || countB < 2 || !double.IsFinite(halfWidthA) || !double.IsFinite(halfWidthB) || !double.IsFinite(delta))
        {
            return new Difference(delta, double.NaN, double.NaN, false);
        }
        var varianceA = Variance(halfWidthA, countA, level) / countA;
        var varianceB = Variance(halfWidthB, countB, level) / countB;
        var se2 = varianceA + varianceB;
        if (se2 <= 0)
        {
            return new Difference(delta, 0, delta == 0 ? 1 : 0, false);
        }
        // Welch–Satterthwaite degrees of freedom.
        var df = se2 * se2 / (varianceA * varianceA / (countA - 1) + varianceB * varianceB / (countB - 1));
        return FromT(delta, Math.Sqrt(se2), df, level, paired: false);
    }

    /// <summary>The paired t-test over replications: <paramref name="a"/>[i] and <paramref name="b"/>[i] come from the
    /// same random numbers. Pairs where either value is NaN (a KPI undefined in that replication) are left out.</summary>
    public static Difference Paired(ReadOnlySpan<double> a, ReadOnlySpan<double> b, double level = ConfidenceInterval.DefaultLevel)
    {
        Guard.OpenUnitInterval(level, nameof(level));
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"A paired test needs as many values on each side ({a.Length} and {b.Length})", nameof(b));
        }
        var moments = new RunningMoments();
        for (var i = 0; i < a.Length; i++)
        {
            if (!double.IsNaN(a[i]) && !double.IsNaN(b[i]))
            {
                moments.Add(b[i] - a[i]);
            }
        }
        if (moments.Count < 2)
        {
            return new Difference(moments.Count == 0 ? double.NaN : moments.Mean, double.NaN, double.NaN, true);
        }
        var se = Math.Sqrt(Math.Max(0, moments.Variance) / moments.Count);
        if (se == 0)
        {
            return new Difference(moments.Mean, 0, moments.Mean == 0 ? 1 : 0, true);
        }
        return FromT(moments.Mean, se, moments.Count - 1, level, paired: true);
    }

    private static double Variance(double halfWidth, int count, double level)
    {
        var sd = halfWidth * Math.Sqrt(count) / StudentT.InvCDF(0, 1, count - 1, 1 - (1 - level) / 2);
        return sd * sd;
    }

    private static Difference FromT(double delta, double se, double df, double level, bool paired)
    {
        var t = Math.Abs(delta / se);
        var p = 2 * (1 - StudentT.CDF(0, 1, df, t));
        var halfWidth = StudentT.InvCDF(0, 1, df, 1 - (1 - level) / 2) * se;
        return new Difference(delta, halfWidth, Math.Clamp(p, 0, 1), paired);
    }
}
