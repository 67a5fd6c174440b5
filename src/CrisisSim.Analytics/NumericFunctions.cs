namespace CrisisSim.Analytics;

/// <summary>
/// Small numerically careful helpers shared by the queueing formulas.
/// </summary>
internal static class NumericFunctions
{
    /// <summary>Computes <c>exp(x) - 1</c> accurately also for small <paramref name="x"/>.</summary>
    public static double ExpM1(double x)
    {
        if (Math.Abs(x) > 0.5)
        {
            return Math.Exp(x) - 1.0;
        }

        double u = Math.Exp(x);
        if (u == 1.0)
        {
            return x;
        }

        double um1 = u - 1.0;
        return um1 * x / Math.Log(u);
    }

    /// <summary>
    /// Computes <c>1 / (1 + exp(x))</c> without overflow; this is the form in which
    /// the probability of waiting is obtained from log-space ratios.
    /// </summary>
    public static double InverseOnePlusExp(double x)
    {
        if (x > 0)
        {
            double e = Math.Exp(-x);
            return e / (1.0 + e);
        }

        return 1.0 / (1.0 + Math.Exp(x));
    }
}
